"""Read votes: the office's events, a deputy's open votes, published results, and the draft plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from minsheng.orgs.models import Region
from minsheng.orgs.selectors import user_region_ids
from minsheng.participation.voting.choices import EventStatus
from minsheng.participation.voting.models import EventCandidate, Participation, VoteEvent
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan


def events_visible(user: Any) -> QuerySet[VoteEvent]:
    """The office's events: its region and those below it (all for a user without a region)."""
    qs = VoteEvent.objects.select_related("region", "solicitation", "plan").annotate(
        participation_count=Count("participations", distinct=True)
    )
    if user.region_id is not None:
        qs = qs.filter(region_id__in=user_region_ids(user))
    return qs.order_by("-year", "-pk")


@dataclass
class DeputyEvent:
    event: VoteEvent
    is_open: bool
    has_voted: bool


def deputy_events(user: Any, now: dt.datetime | None = None) -> list[DeputyEvent]:
    """Votes of the deputy's own region, newest first, with whether each is open and whether they voted
    (two queries)."""
    now = now or timezone.now()
    if user.region_id is None:
        return []
    events = list(
        VoteEvent.objects.filter(region_id=user.region_id).select_related("region").order_by("-opens_at")
    )
    voted = set(Participation.objects.filter(voter=user, event__in=events).values_list("event_id", flat=True))
    return [
        DeputyEvent(
            event=e,
            is_open=e.status == EventStatus.SCHEDULED and e.opens_at <= now < e.closes_at,
            has_voted=e.pk in voted,
        )
        for e in events
    ]


def ballot_candidates(event: VoteEvent) -> list[EventCandidate]:
    """The ballot's candidates in their fixed order, with their text and targets (one query)."""
    return list(EventCandidate.objects.filter(event=event).select_related("candidate").order_by("position"))


def results(event: VoteEvent) -> list[EventCandidate]:
    """Candidates ranked by votes (ties share a rank), then by ballot number (one query)."""
    return list(
        EventCandidate.objects.filter(event=event).select_related("candidate").order_by("rank", "position")
    )


def published_events() -> list[VoteEvent]:
    """Every published vote, newest year first, by region (the public links; one query)."""
    return list(
        VoteEvent.objects.filter(status=EventStatus.PUBLISHED)
        .select_related("region")
        .order_by("-year", "region__name", "pk")
    )


def draft_plan_for(region: Region, year: int) -> Plan | None:
    """The region's DRAFT plan for `year`: the one the vote's winners made, else any draft of that year.

    Year-end (H5) carries the unfinished items of the year before into this plan.
    """
    event = (
        VoteEvent.objects.filter(region=region, year=year, plan__status=PlanStatus.DRAFT)
        .select_related("plan")
        .order_by("-pk")
        .first()
    )
    if event is not None and event.plan is not None:
        return event.plan
    return Plan.objects.filter(region=region, year=year, status=PlanStatus.DRAFT).order_by("pk").first()
