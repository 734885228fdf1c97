"""The demo's 2025 solicitation and vote: 30 proposals, 15 candidates, a published vote, the draft plan."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from minsheng.demo.participation import CHOOSE, VOTES, ballots, seed_vote_cycle
from minsheng.participation.solicitation.models import Candidate, Proposal
from minsheng.participation.voting.choices import EventStatus
from minsheng.participation.voting.models import Ballot, EventCandidate, PaperTally, VoteEvent
from minsheng.participation.voting.selectors import draft_plan_for
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan, Project

pytestmark = pytest.mark.django_db


def test_the_ballots_add_up_to_the_planned_votes() -> None:
    sheets = ballots()
    assert all(len(set(s)) == CHOOSE for s in sheets)
    assert Counter(c for s in sheets for c in s) == dict(VOTES)


def test_seed_vote_cycle_once(district: Any) -> None:
    from minsheng.demo.services import demo_install

    demo_install()
    first = seed_vote_cycle(district)
    assert (first.proposals, first.merged, first.rejected, first.candidates) == (30, 8, 7, 15)
    assert first.created and first.turnout == 38 and first.deputies == 41  # `deputy` and deputy01…40
    event = VoteEvent.objects.get()
    assert event.status == EventStatus.PUBLISHED and event.quorum_met and not event.tie_at_cut
    assert (event.electronic_ballots, event.paper_ballots) == (30, 8)
    assert Ballot.objects.count() == 30 and PaperTally.objects.count() == 2
    votes = dict(EventCandidate.objects.filter(event=event).values_list("position", "votes"))
    assert votes == dict(VOTES)  # electronic + the agreed paper count, after the clerk's correction
    winners = [
        ec.candidate.title for ec in EventCandidate.objects.filter(event=event, won=True).order_by("rank")
    ]
    assert len(winners) == CHOOSE
    plan = draft_plan_for(district, 2025)
    assert plan == first.plan and plan is not None and plan.status == PlanStatus.DRAFT
    assert list(plan.projects.order_by("no").values_list("name", flat=True)) == winners
    assert plan.projects.filter(items__targets__isnull=False).distinct().count() == CHOOSE
    again = seed_vote_cycle(district)
    assert not again.created and again.plan == plan
    assert Proposal.objects.count() == 30 and Candidate.objects.count() == 15
    assert Plan.objects.filter(year=2025).count() == 1 and Project.objects.filter(plan=plan).count() == CHOOSE
