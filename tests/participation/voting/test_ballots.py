"""Electronic ballots: N of M, the window, once per deputy, the region's deputies only; paper voters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from factories import RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.participation.voting import services
from minsheng.participation.voting.models import Ballot, Participation

from .factories import after_window, deputies, ids, open_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world: Any) -> Any:
    return open_event(world.plan.region, world.office, candidates=6, choose_n=3)


def _nothing_stored() -> None:
    assert Ballot.objects.count() == 0 and Participation.objects.count() == 0


def test_a_ballot_is_stored_without_the_voter(world: Any, event: Any) -> None:
    services.ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 5, 1, 3))
    ballot = Ballot.objects.get()
    assert ballot.choices == sorted(ids(event, 1, 3, 5))
    assert Participation.objects.get().voter == world.deputy
    audit = AuditEvent.objects.get(message="ballot cast")
    assert audit.actor == world.deputy
    assert str(ballot.id) not in str(audit.after) and "choices" not in str(audit.after)


@pytest.mark.parametrize(
    ("positions", "says"),
    [((1, 2), "exactly 3"), ((1, 2, 3, 4), "at most 3"), ((1, 1, 2), "only once"), ((), "exactly 3")],
)
def test_a_wrong_number_of_choices_is_refused(
    world: Any, event: Any, positions: tuple[int, ...], says: str
) -> None:
    chosen = [ids(event, p)[0] for p in positions]
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.ballot_cast(acting_user=world.deputy, event=event, choices=chosen)
    assert says in caught.value.message
    _nothing_stored()


def test_at_most_allows_fewer_but_not_more(world: Any) -> None:
    event = open_event(world.plan.region, world.office, rule="at_most", choose_n=2)
    a, b = deputies(world.plan.region, 2)
    services.ballot_cast(acting_user=a, event=event, choices=ids(event, 4))
    with pytest.raises(ValidationFailed):
        services.ballot_cast(acting_user=b, event=event, choices=ids(event, 1, 2, 3))
    assert Ballot.objects.count() == 1


def test_a_candidate_of_another_vote_is_refused(world: Any, event: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.ballot_cast(acting_user=world.deputy, event=event, choices=[*ids(event, 1, 2), 999999])
    _nothing_stored()


def test_votes_outside_the_window_are_refused(world: Any, event: Any) -> None:
    for when in (event.opens_at - dt.timedelta(seconds=1), event.closes_at):
        with pytest.raises(Conflict):
            services.ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 1, 2, 3), now=when)
    _nothing_stored()


def test_a_second_ballot_is_refused(world: Any, event: Any) -> None:
    services.ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 1, 2, 3))
    with translation.override("en"), pytest.raises(Conflict, match="already voted"):
        services.ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 4, 5, 6))
    assert Ballot.objects.count() == 1 and Participation.objects.count() == 1


def test_only_deputies_of_the_region_vote(world: Any, event: Any) -> None:
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    foreign = UserFactory(username="dep_liyang", role="deputy", region=elsewhere)
    for user in (foreign, world.office, world.leader, world.reporter):
        with pytest.raises(NotAllowed):
            services.ballot_cast(acting_user=user, event=event, choices=ids(event, 1, 2, 3))
    _nothing_stored()


def test_a_paper_voter_cannot_vote_electronically_and_vice_versa(world: Any, event: Any) -> None:
    a, b = deputies(world.plan.region, 2)
    services.paper_voters_record(acting_user=world.office, event=event, voters=[a])
    with pytest.raises(Conflict):
        services.ballot_cast(acting_user=a, event=event, choices=ids(event, 1, 2, 3))
    services.ballot_cast(acting_user=b, event=event, choices=ids(event, 1, 2, 3))
    with pytest.raises(Conflict):
        services.paper_voters_record(acting_user=world.office, event=event, voters=[b])
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    foreign = UserFactory(username="dep_liyang", role="deputy", region=elsewhere)
    with pytest.raises(ValidationFailed):
        services.paper_voters_record(acting_user=world.office, event=event, voters=[foreign])
    assert Participation.objects.count() == 2


def test_nothing_changes_after_the_event_closes(world: Any, event: Any) -> None:
    a, b = deputies(world.plan.region, 2)
    services.ballot_cast(acting_user=a, event=event, choices=ids(event, 1, 2, 3))
    services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    with pytest.raises(Conflict):
        services.ballot_cast(acting_user=b, event=event, choices=ids(event, 1, 2, 3), now=event.opens_at)
    with pytest.raises(Conflict):
        services.paper_voters_record(acting_user=world.office, event=event, voters=[b])
    with pytest.raises(Conflict):
        services.paper_tally_enter(acting_user=world.office, event=event, ballots=0, counts={})
    with pytest.raises(Conflict):
        services.vote_event_close(acting_user=world.office, event=event, now=after_window(event))
    assert Ballot.objects.count() == 1
