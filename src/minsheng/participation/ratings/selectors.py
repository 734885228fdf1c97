"""Read ratings, results and rectification tasks, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.selectors import user_region_ids
from minsheng.participation.ratings.choices import EventStatus, Mark
from minsheng.participation.ratings.models import (
    Rating,
    RatingEvent,
    RatingResult,
    RectificationEvidence,
    RectificationReport,
    RectificationTask,
)
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan, Project

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


@dataclass(frozen=True)
class Counts:
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def votes(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied


def tally(event: RatingEvent) -> list[tuple[Project, Counts]]:
    """Every project of the plan in list order with its counts so far (two queries)."""
    rows = (
        Rating.objects.filter(event=event)
        .values("project_id")
        .annotate(
            satisfied=Count("pk", filter=Q(mark=Mark.SATISFIED)),
            basic=Count("pk", filter=Q(mark=Mark.BASIC)),
            unsatisfied=Count("pk", filter=Q(mark=Mark.UNSATISFIED)),
        )
    )
    by_project = {r["project_id"]: Counts(r["satisfied"], r["basic"], r["unsatisfied"]) for r in rows}
    projects = Project.objects.filter(plan_id=event.plan_id).order_by("position", "no")
    return [(p, by_project.get(p.pk, Counts())) for p in projects]


def event_for_plan(plan: Plan) -> RatingEvent | None:
    return RatingEvent.objects.filter(plan=plan).select_related("plan__region").first()


def published_results(plan: Plan) -> tuple[RatingEvent, list[RatingResult]] | None:
    """The results of a closed rating of a published plan, in list order; None before that (two queries)."""
    if plan.status != PlanStatus.PUBLISHED:
        return None
    event = RatingEvent.objects.filter(plan=plan, status=EventStatus.CLOSED).first()
    if event is None:
        return None
    results = list(
        RatingResult.objects.filter(event=event)
        .select_related("project", "task")
        .order_by("project__position", "project__no")
    )
    return event, results


def has_published_results(plan: Plan) -> bool:
    """For the portal's plan page link (one query)."""
    return (
        plan.status == PlanStatus.PUBLISHED
        and RatingEvent.objects.filter(plan=plan, status=EventStatus.CLOSED).exists()
    )


def deputy_marks(event: RatingEvent, user: Any) -> dict[int, str]:
    """The marks `user` has given in the event, by project id."""
    return dict(Rating.objects.filter(event=event, deputy=user).values_list("project_id", "mark"))


def deputies_who_rated(event: RatingEvent) -> int:
    return Rating.objects.filter(event=event).values("deputy_id").distinct().count()


def _region_plans(user: Any) -> Q:
    if user.region_id is None:
        return Q()
    return Q(plan__region_id__in=user_region_ids(user))


def events_visible(user: Any) -> QuerySet[RatingEvent]:
    """Ratings of the user's region: all for the office, opened ones on published plans for others."""
    qs = RatingEvent.objects.select_related("plan__region")
    if not any(has_role(user, r) for r in _READERS):
        return qs.none()
    qs = qs.filter(_region_plans(user))
    if has_role(user, Role.OFFICE):
        return qs
    return qs.filter(plan__status=PlanStatus.PUBLISHED).exclude(status=EventStatus.DRAFT)


def tasks_visible(user: Any) -> QuerySet[RectificationTask]:
    """Rectification tasks: by region for office, reviewers, leaders, deputies; by unit for reporters."""
    qs = RectificationTask.objects.select_related("project__plan", "result").prefetch_related("units")
    if any(has_role(user, r) for r in _READERS):
        if user.region_id is None:
            return qs
        return qs.filter(project__plan__region_id__in=user_region_ids(user))
    if has_role(user, Role.REPORTER) and user.unit_id is not None:
        own = Q(units=user.unit_id)
        if user.unit.kind == UnitKind.TOWN:
            own |= Q(units__kind=UnitKind.GROUP, units__region_id=user.unit.region_id)
        return qs.filter(own).distinct()
    return qs.none()


def task_with_reports(pk: int) -> RectificationTask:
    """A task with its units, reports and their files (four queries)."""
    reports = RectificationReport.objects.select_related("unit", "author", "decided_by").prefetch_related(
        Prefetch("evidence", queryset=RectificationEvidence.objects.order_by("pk"))
    )
    return (
        RectificationTask.objects.select_related("project__plan__region", "result__event")
        .prefetch_related("units", Prefetch("reports", queryset=reports.order_by("created_at", "pk")))
        .get(pk=pk)
    )
