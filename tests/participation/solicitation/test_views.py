"""The pages: public counts without personal data, the form's messages, masked contacts, another district."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from factories import RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.participation.solicitation.models import Proposal

from .factories import open_solicitation, propose

pytestmark = pytest.mark.django_db

FORM = {
    "title": "新建社区食堂",
    "content": "新建社区食堂3个",
    "place": "东城街道",
    "beneficiaries": "老年人",
    "category": "elderly",
    "proposer_name": "王小明",
    "proposer_contact": "13812345678",
}


def test_a_citizen_proposes_and_the_public_page_shows_counts_only(district: Any) -> None:
    s = open_solicitation(district)
    client = Client()
    response = client.post(reverse("solicitation:propose", args=[s.pk]), FORM, follow=True)
    assert response.status_code == 200
    assert Proposal.objects.get().title == "新建社区食堂"
    page = client.get(reverse("solicitation:public_index")).content.decode()
    assert "13812345678" not in page and "王小明" not in page
    assert reverse("solicitation:propose", args=[s.pk]) in page


def test_a_script_is_refused_with_a_message_and_nothing_stored(district: Any) -> None:
    s = open_solicitation(district)
    response = Client().post(
        reverse("solicitation:propose", args=[s.pk]), {**FORM, "content": "<script>alert(1)</script>"}
    )
    assert response.status_code == 400
    assert "&lt;script&gt;" in response.content.decode()  # the message quotes it, escaped
    assert "<script>alert" not in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_huge_proposal_is_refused_before_it_is_read(district: Any) -> None:
    s = open_solicitation(district)
    response = Client().post(
        reverse("solicitation:propose", args=[s.pk]), {**FORM, "content": "长" * 3_000_000}
    )
    assert response.status_code == 413
    assert not Proposal.objects.exists()


def test_the_limit_per_address_answers_429(district: Any, settings: Any) -> None:
    settings.MINSHENG_PROPOSALS_PER_HOUR = 1
    s = open_solicitation(district)
    client = Client()
    assert client.post(reverse("solicitation:propose", args=[s.pk]), FORM).status_code == 302
    assert client.post(reverse("solicitation:propose", args=[s.pk]), FORM).status_code == 429
    assert Proposal.objects.count() == 1


def test_staff_see_masked_contacts_until_they_reveal_one(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = propose(s)
    client = Client()
    client.force_login(world.office)
    page = client.get(reverse("solicitation:screen", args=[s.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page and "王**" in page
    revealed = client.post(reverse("solicitation:proposal_reveal", args=[p.pk])).content.decode()
    assert "13812345678" in revealed
    assert AuditEvent.objects.filter(message="proposer contact revealed", actor=world.office).count() == 1


def test_screening_actions_from_the_page(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    a, b, c = propose(s, 0), propose(s, 0), propose(s, 3)
    client = Client()
    client.force_login(world.office)
    client.post(reverse("solicitation:proposal_merge", args=[b.pk]), {"into": a.pk})
    client.post(reverse("solicitation:proposal_reject", args=[c.pk]), {"reason": "不属于民生实事"})
    client.post(reverse("solicitation:proposal_shortlist", args=[a.pk]))
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "shortlisted", b.pk: "merged", c.pk: "rejected"}
    response = client.post(reverse("solicitation:proposal_reject", args=[a.pk]), {"reason": ""}, follow=True)
    assert f"#{a.pk}" in response.content.decode()  # the message names the proposal


def test_another_district_sees_nothing(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = propose(s)
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    client = Client()
    client.force_login(UserFactory(username="office_liyang", role="office", region=elsewhere))
    assert client.get(reverse("solicitation:screen", args=[s.pk])).status_code == 404
    assert client.post(reverse("solicitation:proposal_reveal", args=[p.pk])).status_code == 404
    assert s.title not in client.get(reverse("solicitation:manage")).content.decode()
    client.force_login(UserFactory(username="rep_liyang", role="reporter", region=elsewhere, unit=None))
    assert client.get(reverse("solicitation:unit_propose", args=[s.pk])).status_code == 403


def test_the_screening_page_costs_the_same_queries_for_more_proposals(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minsheng.participation.solicitation import services

    s = open_solicitation(world.plan.region)
    client = Client()
    client.force_login(world.office)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("solicitation:screen", args=[s.pk])).status_code == 200
        return len(queries)

    for n in range(3):
        propose(s, n)
    services.proposal_shortlist(acting_user=world.office, proposal=propose(s, 4))
    few = cost()
    for n in range(12):
        p = propose(s, n)
        if n % 3 == 0:
            services.proposal_shortlist(acting_user=world.office, proposal=p)
        elif n % 3 == 1:
            services.proposal_reject(acting_user=world.office, proposal=p, reason="重复")
    assert cost() == few
