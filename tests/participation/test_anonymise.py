"""Anonymising the public's personal data (DATA-07): after retention (time travel) and on request."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from factories import RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import NotAllowed
from minsheng.participation.anonymise import (
    anonymise_expired,
    proposal_anonymise,
    ratings_anonymise_phone,
)
from minsheng.participation.feedback.choices import Channel
from minsheng.participation.feedback.models import PublicRating
from minsheng.participation.feedback.selectors import item_rating_summary
from minsheng.participation.feedback.services import rating_submit
from minsheng.participation.feedback.verification import Identity, mask_phone, person_key
from minsheng.participation.solicitation.models import Proposal
from minsheng.participation.solicitation.selectors import public_counts
from participation.solicitation.factories import open_solicitation, propose

pytestmark = pytest.mark.django_db


def phone_identity(phone: str) -> Identity:
    return Identity(key=person_key("phone", phone), channel=Channel.PHONE, label=mask_phone(phone))


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    """A call closed on 2025-01-31 with two proposals; phone ratings in March 2024 (period ends 2024-03-31)."""
    s = open_solicitation(world.plan.region)
    proposals = [propose(s, 0, address="10.0.0.1"), propose(s, 1, proposer_contact="13900002222")]
    s.opens_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    s.closes_at = dt.datetime(2025, 1, 31, tzinfo=dt.UTC)
    s.save()
    march = dt.date(2024, 3, 5)
    for n, score in enumerate([5, 4, 2]):
        rating_submit(
            acting_user=None,
            item=world.item,
            identity=phone_identity(f"1380000000{n}"),
            score=score,
            today=march,
        )
    return {"solicitation": s, "proposals": proposals}


def test_nothing_changes_before_retention_then_everything_personal_goes(world: Any, data: Any) -> None:
    summary = item_rating_summary(world.item.pk)
    counts = public_counts([data["solicitation"]], now=timezone.now())
    early = anonymise_expired(acting_user=None, older_than_days=365, today=dt.date(2025, 1, 30))
    assert (early.proposals, early.ratings) == (0, 0)
    assert Proposal.objects.get(pk=data["proposals"][0].pk).proposer_contact == "13812345678"

    # 2025-04-01 is more than 365 days after the March 2024 period, not yet after the call's close.
    mid = anonymise_expired(acting_user=None, older_than_days=365, today=dt.date(2025, 4, 2))
    assert (mid.proposals, mid.ratings) == (0, 3)
    late = anonymise_expired(acting_user=None, older_than_days=365, today=dt.date(2026, 2, 1))
    assert (late.proposals, late.ratings) == (2, 0)

    for p in Proposal.objects.all():
        assert (p.proposer_name, p.proposer_contact, p.address_hash) == ("", "", "")
        assert p.title and p.content  # the proposal itself stays
    keys = set(PublicRating.objects.values_list("rater_key", flat=True))
    assert all(k.startswith("anon:") for k in keys) and len(keys) == 3
    assert person_key("phone", "13800000000") not in keys
    assert set(PublicRating.objects.values_list("rater_label", flat=True)) == {""}
    with connection.cursor() as cursor:
        cursor.execute("SELECT proposer_contact FROM solicitation_proposal")
        assert {row[0] for row in cursor.fetchall()} == {""}
    # Aggregates unchanged: counts, scores, average.
    assert item_rating_summary(world.item.pk) == summary
    assert public_counts([data["solicitation"]], now=timezone.now()) == counts
    assert sorted(PublicRating.objects.values_list("score", flat=True)) == [2, 4, 5]
    runs = AuditEvent.objects.filter(message="participation personal data anonymised after retention")
    assert runs.count() == 3 and runs.order_by("pk").last().after["proposals"] == 2
    # Running again finds nothing to do.
    again = anonymise_expired(acting_user=None, older_than_days=365, today=dt.date(2026, 2, 1))
    assert (again.proposals, again.ratings) == (0, 0)


def test_the_command_with_a_date(world: Any, data: Any) -> None:
    out = StringIO()
    call_command("anonymise-participation", "--older-than", "30", "--today", "2025-03-15", stdout=out)
    assert "2 proposal(s) and 3 public rating(s)" in out.getvalue()
    assert not Proposal.objects.exclude(proposer_contact="").exists()


def test_the_command_refuses_a_bad_date(world: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today"):
        call_command("anonymise-participation", "--today", "2025-13-01")


def test_the_office_anonymises_one_proposal_on_request(world: Any, data: Any) -> None:
    first, second = data["proposals"]
    proposal_anonymise(acting_user=world.office, proposal=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.proposer_name, first.proposer_contact) == ("", "")
    assert second.proposer_contact == "13900002222"
    assert AuditEvent.objects.filter(
        message="proposer's personal data anonymised on request", actor=world.office
    ).exists()


def test_the_office_anonymises_one_phones_ratings_on_request(world: Any, data: Any) -> None:
    assert ratings_anonymise_phone(acting_user=world.office, phone="138 0000 0001") == 1
    keys = list(PublicRating.objects.order_by("score").values_list("score", "rater_key"))
    assert [k.startswith("anon:") for _, k in keys] == [False, True, False]  # the 4 was 13800000001


def test_another_district_cannot_anonymise(world: Any, data: Any) -> None:
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    office = UserFactory(username="office_liyang", role="office", region=elsewhere)
    with pytest.raises(NotAllowed):
        proposal_anonymise(acting_user=office, proposal=data["proposals"][0])
    assert ratings_anonymise_phone(acting_user=office, phone="13800000001") == 0
    with pytest.raises(NotAllowed):
        ratings_anonymise_phone(acting_user=world.reporter, phone="13800000001")
    assert not PublicRating.objects.filter(rater_key__startswith="anon:").exists()
    assert Proposal.objects.get(pk=data["proposals"][0].pk).proposer_contact == "13812345678"


def test_the_office_erases_a_proposer_from_the_contact_page(world: Any, data: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    first = data["proposals"][0]
    client = Client()
    client.force_login(world.office)
    contact = client.post(reverse("solicitation:proposal_reveal", args=[first.pk])).content.decode()
    url = reverse("solicitation:proposal_anonymise", args=[first.pk])
    assert url in contact
    page = client.post(url, follow=True).content.decode()
    assert f"#{first.pk}" in page and "13812345678" not in page
    first.refresh_from_db()
    assert (first.proposer_name, first.proposer_contact) == ("", "")


def test_the_office_erases_a_rater_from_the_moderation_page(world: Any, data: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.office)
    url = reverse("feedback:anonymise_phone")
    assert url in client.get(reverse("feedback:moderation")).content.decode()
    page = client.post(url, {"phone": "13800000002"}, follow=True).content.decode()
    done = _("Ratings anonymised for this number: %(count)s.") % {"count": 1}
    assert done in page and PublicRating.objects.filter(rater_key__startswith="anon:").count() == 1
    bad = client.post(url, {"phone": "12345"}, follow=True).content.decode()
    assert "11" in bad  # the message says a mobile number has 11 digits
    assert PublicRating.objects.filter(rater_key__startswith="anon:").count() == 1


def test_another_districts_office_erases_nothing_from_the_pages(world: Any, data: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    client = Client()
    client.force_login(UserFactory(username="office_liyang", role="office", region=elsewhere))
    first = data["proposals"][0]
    assert client.post(reverse("solicitation:proposal_anonymise", args=[first.pk])).status_code == 404
    client.post(reverse("feedback:anonymise_phone"), {"phone": "13800000002"})
    assert Proposal.objects.get(pk=first.pk).proposer_contact == "13812345678"
    assert not PublicRating.objects.filter(rater_key__startswith="anon:").exists()
