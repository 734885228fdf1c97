"""Paper tallies by two clerks, closing and counting, ties, quorum, publication, winners → draft plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from factories import UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, ValidationFailed
from minsheng.participation.voting import services
from minsheng.participation.voting.choices import EventStatus
from minsheng.participation.voting.models import EventCandidate
from minsheng.participation.voting.selectors import draft_plan_for, published_events
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Target

from .factories import after_window, deputies, ids, open_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk2(world: Any) -> Any:
    return UserFactory(username="clerk2", role="office", region=world.plan.region)


def _cast(event: Any, voters: list[Any], *positions: int) -> None:
    for voter in voters:
        services.ballot_cast(acting_user=voter, event=event, choices=ids(event, *positions))


def _counts(event: Any, **by_position: int) -> dict[int, int]:
    return {ec.pk: by_position.get(f"c{ec.position}", 0) for ec in event.candidates.all()}


def test_rank_candidates_shows_ties_and_the_cut() -> None:
    ranks, winners, tied = services.rank_candidates({1: 9, 2: 7, 3: 7, 4: 5, 5: 0}, 3)
    assert ranks == {1: 1, 2: 2, 3: 2, 4: 4, 5: 5}
    assert winners == {1, 2, 3} and tied == set()
    ranks, winners, tied = services.rank_candidates({1: 9, 2: 7, 3: 7, 4: 7}, 2)
    assert winners == {1} and tied == {2, 3, 4}
    _, winners, _ = services.rank_candidates({1: 3, 2: 0, 3: 0}, 2)
    assert winners == {1}  # no project wins without a vote


def test_the_clerks_counts_must_agree(world: Any, clerk2: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2, quorum=1)
    paper = deputies(world.plan.region, 3, prefix="paper")
    services.paper_voters_record(acting_user=world.office, event=event, voters=paper)
    with pytest.raises(ValidationFailed):  # more ballots than paper voters
        services.paper_tally_enter(acting_user=world.office, event=event, ballots=4, counts=_counts(event))
    with pytest.raises(ValidationFailed):  # 3 ballots × 2 choices = at most 6 votes
        services.paper_tally_enter(
            acting_user=world.office, event=event, ballots=3, counts=_counts(event, c1=3, c2=3, c3=1)
        )
    with pytest.raises(ValidationFailed):  # a candidate left out
        services.paper_tally_enter(acting_user=world.office, event=event, ballots=3, counts={})
    services.paper_tally_enter(
        acting_user=world.office, event=event, ballots=3, counts=_counts(event, c1=3, c2=2, c3=1)
    )
    assert services.paper_tally_state(event).state == "waiting"
    services.paper_tally_enter(
        acting_user=clerk2, event=event, ballots=3, counts=_counts(event, c1=3, c2=1, c3=2)
    )
    state = services.paper_tally_state(event)
    assert state.state == "disagree" and [(a, b) for _, a, b in state.differences] == [(2, 1), (1, 2)]
    with translation.override("en"), pytest.raises(Conflict, match="disagree"):
        services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    third = UserFactory(username="clerk3", role="office", region=world.plan.region)
    with pytest.raises(Conflict):
        services.paper_tally_enter(acting_user=third, event=event, ballots=3, counts=_counts(event, c1=3))
    # The second clerk recounts and corrects their own entry: now they agree and the paper votes count.
    services.paper_tally_enter(
        acting_user=clerk2, event=event, ballots=3, counts=_counts(event, c1=3, c2=2, c3=1)
    )
    assert services.paper_tally_state(event).state == "agreed"
    event = services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    votes = dict(EventCandidate.objects.filter(event=event).values_list("position", "paper_votes"))
    assert votes == {1: 3, 2: 2, 3: 1, 4: 0}
    assert event.paper_ballots == 3 and event.turnout == 3


def test_close_ranks_counts_turnout_and_quorum(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=5, choose_n=2, quorum=4)
    voters = deputies(world.plan.region, 5)  # + world.deputy = 6 entitled
    _cast(event, voters[:2], 1, 2)
    _cast(event, voters[2:4], 1, 3)
    with pytest.raises(Conflict):  # the window is still open
        services.vote_event_close(acting_user=world.office, event=event)
    event = services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    assert (event.electorate_size, event.turnout, event.quorum_met) == (6, 4, True)
    rows = {
        ec.position: (ec.votes, ec.rank, ec.won, ec.tied) for ec in EventCandidate.objects.filter(event=event)
    }
    assert rows == {
        1: (4, 1, True, False),
        2: (2, 2, False, True),
        3: (2, 2, False, True),
        4: (0, 4, False, False),
        5: (0, 4, False, False),
    }
    assert event.tie_at_cut
    with translation.override("en"), pytest.raises(Conflict, match="tied"):
        services.vote_winners_to_plan(acting_user=world.office, event=event)


def test_without_quorum_nothing_is_chosen(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=4, choose_n=2, quorum=3)
    _cast(event, deputies(world.plan.region, 2), 1, 2)
    event = services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    assert event.quorum_met is False
    assert not EventCandidate.objects.filter(event=event, won=True).exists()
    with pytest.raises(Conflict):
        services.vote_winners_to_plan(acting_user=world.office, event=event)


def test_winners_become_the_draft_plan_with_their_text_and_targets(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=6, choose_n=2, quorum=2)
    voters = deputies(world.plan.region, 3)
    _cast(event, voters, 2, 5)
    event = services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    assert published_events() == []
    services.vote_results_publish(acting_user=world.office, event=event)
    assert published_events() == [event]
    plan = services.vote_winners_to_plan(acting_user=world.office, event=event)
    assert plan.status == PlanStatus.DRAFT and plan.year == 2025 and plan.region == world.plan.region
    winners = [
        ec.candidate for ec in EventCandidate.objects.filter(event=event, won=True).order_by("position")
    ]
    projects = list(plan.projects.order_by("no").prefetch_related("items__targets"))
    assert [p.name for p in projects] == [c.title for c in winners]
    for project, candidate in zip(projects, winners, strict=True):
        [item] = project.items.all()
        assert item.text == candidate.content
        assert [(t.quote, t.value, t.unit) for t in item.targets.order_by("position")] == [
            (t["quote"], Decimal(str(t["value"])), t["unit"]) for t in candidate.targets
        ]
    assert Target.objects.filter(item__project__plan=plan).count() == sum(len(c.targets) for c in winners) > 0
    assert draft_plan_for(world.plan.region, 2025) == plan
    assert draft_plan_for(world.plan.region, 2026) is None
    with pytest.raises(Conflict):
        services.vote_winners_to_plan(acting_user=world.office, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.plan == plan


def test_every_step_is_audited(world: Any, clerk2: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=3, choose_n=1, quorum=1)
    paper = deputies(world.plan.region, 1, prefix="paper")
    services.paper_voters_record(acting_user=world.office, event=event, voters=paper)
    for clerk in (world.office, clerk2):
        services.paper_tally_enter(acting_user=clerk, event=event, ballots=1, counts=_counts(event, c1=1))
    services.ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 1))
    event = services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    services.vote_results_publish(acting_user=world.office, event=event)
    services.vote_winners_to_plan(acting_user=world.office, event=event)
    messages = set(AuditEvent.objects.values_list("message", flat=True))
    assert {
        "vote created",
        "paper voters recorded",
        "paper tally entered",
        "ballot cast",
        "vote closed and counted",
        "vote results published",
        "vote winners made the draft plan",
    } <= messages


def test_rules_are_checked_when_the_vote_is_set_up(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=3, choose_n=1)
    with pytest.raises(ValidationFailed):
        services.vote_event_create(
            acting_user=world.office,
            solicitation=event.solicitation,
            title="N too big",
            rule="exactly",
            choose_n=4,
            opens_at=event.opens_at,
            closes_at=event.closes_at,
            quorum=1,
        )
    with pytest.raises(ValidationFailed):
        services.vote_event_create(
            acting_user=world.office,
            solicitation=event.solicitation,
            title="backwards",
            rule="exactly",
            choose_n=1,
            opens_at=event.closes_at,
            closes_at=event.opens_at,
            quorum=1,
        )
