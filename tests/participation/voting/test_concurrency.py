"""Twenty identical ballots at once from one deputy make one ballot and one participation."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from minsheng.core.exceptions import Conflict
from minsheng.participation.voting import services
from minsheng.participation.voting.models import Ballot, Participation

from .factories import ids, open_event

ATTEMPTS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_votes_make_one_ballot(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=6, choose_n=3)
    choices = ids(event, 1, 2, 3)
    outcomes: list[str] = []

    def vote() -> None:
        try:
            services.ballot_cast(acting_user=world.deputy, event=event, choices=choices)
            outcomes.append("cast")
        except Conflict:
            outcomes.append("refused")
        except BaseException as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    if connection.vendor == "sqlite":
        # SQLite's test database is one in-memory file whose IMMEDIATE transactions serialise writers:
        # the same twenty calls, one after the other.
        for _ in range(ATTEMPTS):
            vote()
    else:
        barrier = threading.Barrier(ATTEMPTS)

        def at_once() -> None:
            barrier.wait()
            vote()

        threads = [threading.Thread(target=at_once) for _ in range(ATTEMPTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["cast"] + ["refused"] * (ATTEMPTS - 1)
    assert Ballot.objects.count() == 1
    assert Participation.objects.filter(voter=world.deputy).count() == 1
