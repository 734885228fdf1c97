"""Personal data encrypted at rest (DATA-01): SM4-GCM, key ids, wrong key, altered rows, rotation."""

from __future__ import annotations

import base64
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from minsheng.core.crypto import PersonalDataKeyError, decrypt, encrypt, is_encrypted, key_id
from minsheng.participation.solicitation.models import Proposal
from participation.solicitation.factories import open_solicitation, propose

KEY_A = base64.b64encode(b"A" * 16).decode()
KEY_B = base64.b64encode(b"B" * 16).decode()


@pytest.fixture
def key_a(settings: Any) -> None:
    settings.MINSHENG_PI_KEY = KEY_A
    settings.MINSHENG_PI_OLD_KEYS = []


def raw(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proposer_name, proposer_contact FROM solicitation_proposal WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def test_a_value_round_trips_and_names_its_key(key_a: None) -> None:
    stored = encrypt("13812345678", context="t.c")
    assert stored.startswith(f"pi1:{key_id(b'A' * 16)}:") and "13812345678" not in stored
    assert decrypt(stored, context="t.c") == "13812345678"
    assert encrypt("13812345678", context="t.c") != stored  # a fresh nonce each time


def test_an_altered_value_or_another_column_fails(key_a: None) -> None:
    stored = encrypt("王小明", context="t.name")
    with pytest.raises(PersonalDataKeyError, match=r"t\.contact"):
        decrypt(stored, context="t.contact")
    prefix, kid, blob = stored.split(":")
    body = bytearray(base64.b64decode(blob))
    body[14] ^= 1
    with pytest.raises(PersonalDataKeyError, match="altered"):
        decrypt(f"{prefix}:{kid}:{base64.b64encode(bytes(body)).decode()}", context="t.name")


@pytest.mark.django_db
def test_the_column_is_not_plaintext_and_reads_back(key_a: None, district: Any) -> None:
    proposal = propose(open_solicitation(district), proposer_name="王小明", proposer_contact="13812345678")
    name, contact = raw(proposal.pk)
    assert is_encrypted(name) and is_encrypted(contact)
    assert "王小明" not in name and "13812345678" not in contact and "5678" not in contact
    again = Proposal.objects.get(pk=proposal.pk)
    assert (again.proposer_name, again.proposer_contact) == ("王小明", "13812345678")


@pytest.mark.django_db
def test_a_wrong_key_fails_with_a_clear_error(key_a: None, district: Any, settings: Any) -> None:
    proposal = propose(open_solicitation(district))
    settings.MINSHENG_PI_KEY = KEY_B
    with pytest.raises(PersonalDataKeyError) as failure:
        Proposal.objects.get(pk=proposal.pk)
    assert key_id(b"A" * 16) in str(failure.value) and "MINSHENG_PI_KEY" in str(failure.value)
    settings.MINSHENG_PI_KEY = KEY_A
    assert Proposal.objects.get(pk=proposal.pk).proposer_contact == "13812345678"


@pytest.mark.django_db
def test_keys_rotate_old_rows_read_and_are_rewritten(key_a: None, district: Any, settings: Any) -> None:
    from minsheng.core.crypto import rewrite_encrypted

    proposal = propose(open_solicitation(district))
    settings.MINSHENG_PI_KEY = KEY_B
    settings.MINSHENG_PI_OLD_KEYS = [KEY_A]
    assert Proposal.objects.get(pk=proposal.pk).proposer_contact == "13812345678"
    assert rewrite_encrypted(Proposal, ["proposer_name", "proposer_contact"]) == 1
    assert raw(proposal.pk)[1].startswith(f"pi1:{key_id(b'B' * 16)}:")
    settings.MINSHENG_PI_OLD_KEYS = []
    assert Proposal.objects.get(pk=proposal.pk).proposer_name == "王小明"


@pytest.mark.django_db
def test_the_migration_encrypts_rows_stored_in_plain_text(key_a: None, district: Any) -> None:
    proposal = propose(open_solicitation(district))
    with connection.cursor() as cursor:  # as rows were before encryption
        cursor.execute(
            "UPDATE solicitation_proposal SET proposer_name = %s, proposer_contact = %s WHERE id = %s",
            ["李四", "13900001111", proposal.pk],
        )
    assert Proposal.objects.get(pk=proposal.pk).proposer_contact == "13900001111"  # legacy rows still read
    migration = importlib.import_module(
        "minsheng.participation.solicitation.migrations.0003_encrypt_existing_proposers"
    )
    migration.encrypt_rows(apps, None)
    name, contact = raw(proposal.pk)
    assert is_encrypted(name) and is_encrypted(contact) and "13900001111" not in contact
    assert Proposal.objects.get(pk=proposal.pk).proposer_contact == "13900001111"


@pytest.mark.django_db
def test_text_that_looks_encrypted_is_still_encrypted(key_a: None, district: Any) -> None:
    proposal = propose(open_solicitation(district), proposer_contact="pi1:deadbeef:AAAA")
    assert Proposal.objects.get(pk=proposal.pk).proposer_contact == "pi1:deadbeef:AAAA"
