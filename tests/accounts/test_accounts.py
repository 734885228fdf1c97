"""Accounts: user_upsert and the adduser command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from factories import UnitAliasFactory, UnitFactory, UserFactory
from minsheng.accounts.models import User
from minsheng.accounts.policies import has_role
from minsheng.accounts.services import user_upsert
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db
GOOD = "Lanterns-over-the-river-9"


def test_create_office_user_with_region(district):
    user = user_upsert(acting_user=None, username="zhang", role="office", password=GOOD, region=district)
    assert user.check_password(GOOD)
    assert has_role(user, "office") and not has_role(user, "reporter")
    # The office works from the app's pages: not staff, no Django admin permissions.
    assert not user.is_staff and user.region == district
    assert not user.has_perm("plans.change_target") and not user.has_perm("audit.view_auditevent")
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert event.action == "create" and GOOD not in str(event.after)


def test_only_the_system_administrator_is_staff(district):
    admin = user_upsert(acting_user=None, username="sys", role="system_admin", password=GOOD)
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("orgs.change_unit") and not admin.has_perm("audit.view_auditevent")
    user = user_upsert(acting_user=None, username="sys", role="office", password=None, region=district)
    assert not User.objects.get(pk=user.pk).is_staff


def test_update_switches_role_and_keeps_one_account(district):
    unit = UnitFactory(name="区教育局", region=district)
    user_upsert(acting_user=None, username="li", role="office", password=GOOD)
    user = user_upsert(acting_user=None, username="LI", role="reporter", password=None, unit=unit)
    assert User.objects.count() == 1
    user = User.objects.get(pk=user.pk)
    assert has_role(user, "reporter") and not has_role(user, "office")
    assert user.unit == unit and user.region == district and not user.is_staff
    assert user.check_password(GOOD)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "reporter"}, "unit"),
        ({"role": "mayor"}, "Unknown role"),
        ({"role": "office", "password": "12345678"}, "common"),
        ({"role": "office", "password": "short"}, "too short"),
        ({"role": "office", "password": None}, "password"),
        ({"role": "office", "username": "  "}, "user name"),
    ],
)
def test_user_upsert_errors(district, kwargs, message):
    args = {"acting_user": None, "username": "wang", "password": GOOD, **kwargs}
    with translation.override("en"), pytest.raises(ValidationFailed, match=message):
        user_upsert(**args)
    assert not User.objects.exists()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("adduser", *args, stdout=out)
    return out.getvalue()


def test_adduser_command_creates_reporter_by_unit_alias(district):
    unit = UnitFactory(name="区卫生健康局", region=district)
    UnitAliasFactory(unit=unit, name="区卫健局")
    out = run("zhao", "--role", "reporter", "--unit", "区卫健局", "--password", GOOD)
    assert "zhao: reporter" in out and "区卫生健康局" in out
    assert User.objects.get(username="zhao").unit == unit


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "reporter"], "needs a unit"),
        (["--role", "reporter", "--unit", "不存在的局"], "No unit"),
        (["--role", "office", "--region", "火星区"], "No region"),
    ],
)
def test_adduser_command_errors(district, args, message):
    with pytest.raises(CommandError, match=message):
        run("qian", *args, "--password", GOOD)
    assert not User.objects.filter(username="qian").exists()


def test_adduser_command_rejects_weak_password(district):
    with translation.override("en"), pytest.raises(CommandError, match="too common"):
        run("qian", "--role", "office", "--password", "password")
    assert not User.objects.filter(username="qian").exists()


def test_adduser_ambiguous_unit_needs_region(district):
    from factories import RegionFactory

    UnitFactory(name="区教育局", region=district)
    UnitFactory(name="区教育局", region=RegionFactory(name="溧阳市", code="320481"))
    with pytest.raises(CommandError, match="several regions"):
        run("sun", "--role", "reporter", "--unit", "区教育局", "--password", GOOD)
    run("sun", "--role", "reporter", "--unit", "区教育局", "--region", "金坛区", "--password", GOOD)
    assert User.objects.get(username="sun").unit.region == district


def test_username_is_case_insensitively_unique(db):
    UserFactory(username="Office")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="office")
