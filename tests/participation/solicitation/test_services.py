"""Proposals in and out: limits, markup, window, rate limit; screening: merge, reject, shortlist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from factories import RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.parsing.targets import extract_targets
from minsheng.participation.solicitation import services
from minsheng.participation.solicitation.choices import ProposalSource, ProposalStatus
from minsheng.participation.solicitation.models import Proposal
from minsheng.participation.solicitation.selectors import (
    bigrams,
    duplicate_suggestions,
    mask_contact,
    mask_name,
    public_counts,
    similarity,
)

from .factories import open_solicitation, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def solicitation(district: Any) -> Any:
    return open_solicitation(district)


def test_a_public_proposal_is_stored_as_plain_text_without_the_address(solicitation: Any) -> None:
    p = propose(solicitation, address="203.0.113.9")
    assert p.source == ProposalSource.PUBLIC and p.submitted_by is None and p.unit is None
    assert p.status == ProposalStatus.SUBMITTED
    assert "203.0.113.9" not in p.address_hash and len(p.address_hash) == 64
    event = AuditEvent.objects.filter(object_type="solicitation.proposal").get()
    assert "13812345678" not in str(event.after) and "王小明" not in str(event.after)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("content", "<script>alert(1)</script>建设公园", "markup"),
        ("title", '公园<img src=x onerror="alert(1)">', "markup"),
        ("place", "javascript:alert(1)", "markup"),
        ("content", "建" * 2001, "2001"),
        ("content", "x" * 10 * 1024 * 1024, "at most 2000"),
        ("title", "", "required"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    solicitation: Any, field: str, value: str, says: str
) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        propose(solicitation, **{field: value})
    assert caught.value.field == field
    assert says in caught.value.message
    assert not Proposal.objects.exists()


def test_a_lone_less_than_sign_is_plain_text(solicitation: Any) -> None:
    p = propose(solicitation, content="步行距离<500米的社区新建助餐点3个")
    assert p.content.startswith("步行距离<500米")


def test_proposals_are_refused_outside_the_window(district: Any) -> None:
    s = open_solicitation(district)
    with pytest.raises(Conflict):
        services.proposal_submit(
            acting_user=None,
            solicitation=s,
            title="t",
            content="c",
            category="other",
            proposer_name="a",
            proposer_contact="b",
            now=s.closes_at + dt.timedelta(seconds=1),
        )
    assert not Proposal.objects.exists()


def test_one_address_is_limited_per_hour(solicitation: Any, settings: Any) -> None:
    settings.MINSHENG_PROPOSALS_PER_HOUR = 3
    for n in range(3):
        propose(solicitation, n, address="198.51.100.7")
    with pytest.raises(services.RateLimited):
        propose(solicitation, 4, address="198.51.100.7")
    propose(solicitation, 4, address="198.51.100.8")  # another address is not held back
    assert Proposal.objects.count() == 4


def test_a_unit_proposal_records_the_unit(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = services.proposal_submit(
        acting_user=world.reporter,
        solicitation=s,
        title="道路改造",
        content="改造道路5公里",
        category="transport",
        proposer_name="李工",
        proposer_contact="0519-82812345",
    )
    assert p.source == ProposalSource.UNIT and p.unit == world.lead and p.submitted_by == world.reporter


def test_merge_keeps_the_merged_linked_and_follows_to_the_root(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    a, b, c = propose(s, 0), propose(s, 0, title="老年助餐点"), propose(s, 0, title="助餐")
    services.proposal_merge(acting_user=world.office, proposal=b, into=a)
    services.proposal_merge(acting_user=world.office, proposal=c, into=b)  # b is merged: c goes to a
    c.refresh_from_db()
    assert c.merged_into == a and c.status == ProposalStatus.MERGED
    candidate = services.proposal_shortlist(acting_user=world.office, proposal=a)
    assert set(candidate.proposals.values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    with pytest.raises(Conflict):
        services.proposal_merge(acting_user=world.office, proposal=b, into=a)  # already merged


def test_reject_needs_a_reason(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = propose(s)
    with pytest.raises(ValidationFailed):
        services.proposal_reject(acting_user=world.office, proposal=p, reason=" ")
    p = services.proposal_reject(acting_user=world.office, proposal=p, reason="已列入年度计划")
    assert p.status == ProposalStatus.REJECTED and p.reject_reason == "已列入年度计划"
    with pytest.raises(Conflict):
        services.proposal_shortlist(acting_user=world.office, proposal=p)


def test_a_candidate_has_the_targets_of_the_parser(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = propose(s, 1)
    candidate = services.proposal_shortlist(acting_user=world.office, proposal=p, lead_unit="区住建局")
    expected = [t.to_dict() for t in extract_targets(p.content).targets]
    assert candidate.targets == expected
    assert [(t["value"], t["unit"]) for t in candidate.targets] == [(12, "个"), (20, "公里"), (30, "部")]
    candidate = services.candidate_update(
        acting_user=world.office, candidate=candidate, title="加装电梯", content="加装电梯45部", lead_unit=""
    )
    assert [(t["value"], t["unit"]) for t in candidate.targets] == [(45, "部")]


def test_the_office_of_another_district_cannot_screen(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = propose(s)
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    stranger = UserFactory(username="office_liyang", role="office", region=elsewhere)
    for call in (
        lambda: services.proposal_reject(acting_user=stranger, proposal=p, reason="x"),
        lambda: services.proposal_shortlist(acting_user=stranger, proposal=p),
        lambda: services.proposal_contact_reveal(acting_user=stranger, proposal=p),
    ):
        with pytest.raises(NotAllowed):
            call()
    p.refresh_from_db()
    assert p.status == ProposalStatus.SUBMITTED


def test_revealing_a_contact_is_audited(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    p = propose(s)
    name, contact = services.proposal_contact_reveal(acting_user=world.office, proposal=p)
    assert (name, contact) == ("王小明", "13812345678")
    event = AuditEvent.objects.get(message="proposer contact revealed")
    assert event.actor == world.office and event.object_id == str(p.pk)


def test_masks() -> None:
    assert mask_contact("13812345678") == "138****5678"
    assert mask_contact("wang@example.cn") == "wa***********cn"
    assert mask_name("王小明") == "王**"


def test_duplicates_are_suggested_and_different_requests_are_not(solicitation: Any) -> None:
    a = propose(solicitation, 0)
    b = propose(
        solicitation,
        0,
        title="社区老年助餐点建设",
        content="建议在金城镇社区建设老年助餐点，方便老年人吃饭。",
    )
    c = propose(solicitation, 3)
    ga, gb, gc = (bigrams(p.title + p.content) for p in (a, b, c))
    assert similarity(ga, gb) > similarity(ga, gc)
    found = duplicate_suggestions([a, b, c])
    assert [s.other.pk for s in found[b.pk]] == [a.pk]
    assert found[c.pk] == []


def test_public_counts_per_category_and_status(world: Any) -> None:
    s = open_solicitation(world.plan.region)
    propose(s, 0)
    propose(s, 0)
    p = propose(s, 1)
    services.proposal_reject(acting_user=world.office, proposal=p, reason="重复")
    with translation.override("en"):
        [counts] = public_counts([s], now=timezone.now())
    assert counts.total == 3
    assert dict(counts.by_category) == {"elderly and child care": 2, "housing and communities": 1}
    assert dict(counts.by_status) == {"awaiting screening": 2, "rejected": 1}


def test_every_demo_rewording_is_suggested_and_no_other_request(district: Any) -> None:
    from minsheng.demo.participation import CANDIDATES, DUPLICATES

    s = open_solicitation(district)
    originals = [
        propose(s, title=t, content=c, place=p, category=cat) for t, c, p, _who, cat, _lead in CANDIDATES
    ]
    rewordings = [(propose(s, title=t, content=c, place=""), originals[n - 1]) for n, t, c in DUPLICATES]
    found = duplicate_suggestions(list(Proposal.objects.filter(solicitation=s)))
    for p, original in rewordings:
        assert original.pk in [x.other.pk for x in found[p.pk]], p.title
    for p in originals:  # a different request is never offered as a duplicate of another original
        assert not {x.other.pk for x in found[p.pk]} & {o.pk for o in originals}, p.title
