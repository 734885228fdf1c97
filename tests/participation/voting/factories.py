"""Deputies and vote events for the voting tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from factories import UserFactory
from minsheng.participation.voting import services
from minsheng.participation.voting.models import VoteEvent
from participation.solicitation.factories import with_candidates


def deputies(region: Any, count: int, prefix: str = "dep") -> list[Any]:
    return [
        UserFactory(username=f"{prefix}{n:02d}", role="deputy", region=region) for n in range(1, count + 1)
    ]


def open_event(
    region: Any,
    office: Any,
    *,
    candidates: int = 6,
    choose_n: int = 3,
    rule: str = "exactly",
    quorum: int = 2,
) -> VoteEvent:
    """A vote open now (for a day) on `candidates` candidates, choose `choose_n`."""
    solicitation, _ = with_candidates(region, office, candidates)
    now = timezone.now()
    return services.vote_event_create(
        acting_user=office,
        solicitation=solicitation,
        title="2025年民生实事项目票决",
        rule=rule,
        choose_n=choose_n,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        quorum=quorum,
    )


def ids(event: VoteEvent, *positions: int) -> list[int]:
    """EventCandidate ids of the given ballot numbers."""
    by_pos = dict(event.candidates.values_list("position", "pk"))
    return [by_pos[p] for p in positions]


def after_window(event: VoteEvent) -> dt.datetime:
    return event.closes_at + dt.timedelta(minutes=1)
