"""Read what the public portal shows. Every function runs a fixed number of queries.

Lights come from `alerts.selectors` (approved values only); a past year's plan is shown as it stood on
31 December, its final result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from minsheng.alerts.selectors import Rollup, item_statuses, light_day, rollup
from minsheng.alerts.status import ItemStatus
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, Plan, Project
from minsheng.plans.selectors import plan_detail
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Evidence, ProgressReport

TIMELINE_LENGTH = 12


def published_plans() -> QuerySet[Plan]:
    """Published plans, newest year first."""
    return (
        Plan.objects.filter(status=PlanStatus.PUBLISHED)
        .select_related("region")
        .order_by("-year", "region__code", "title")
    )


def as_of(plan: Plan, today: dt.date | None = None) -> dt.date:
    """The day the plan's lights are shown for: today, or 31 December for a past year (final result).

    An ending (验收, 终止) recorded after 31 December still counts on that day, as on the item's timeline.
    """
    return light_day(plan, today)


@dataclass
class ItemView:
    item: Item
    status: ItemStatus | None
    lead_units: list[str]


@dataclass
class ProjectView:
    project: Project
    rollup: Rollup
    items: list[ItemView] = field(default_factory=list)


@dataclass
class PlanView:
    plan: Plan
    on: dt.date
    final: bool
    rollup: Rollup
    projects: list[ProjectView]


def plan_overview(plan: Plan, today: dt.date | None = None) -> PlanView:
    """The plan with each project's light and each item's, for the public list page."""
    on = as_of(plan, today)
    detailed = plan_detail(plan.pk)
    statuses = item_statuses(detailed, on)
    projects = []
    for project in detailed.projects.all():
        views = [
            ItemView(
                item=item,
                status=statuses.get(item.pk),
                lead_units=[u.written_as for u in item.item_units.all() if u.role == UnitRole.LEAD],
            )
            for item in project.items.all()
        ]
        group = {v.item.pk: v.status for v in views if v.status is not None}
        projects.append(ProjectView(project=project, rollup=rollup(group), items=views))
    return PlanView(
        plan=detailed,
        on=on,
        final=on < (today or timezone.localdate()),
        rollup=rollup(statuses),
        projects=projects,
    )


@dataclass
class TargetView:
    quote: str
    value: object
    unit: str
    op: str
    due_date: dt.date
    reached: object
    completion: float | None
    achieved: float | None = None  # uncapped: above 1 is shown as over-achievement


@dataclass
class MilestoneView:
    quote: str
    state: str
    due_date: dt.date
    done: bool
    completion: float | None


@dataclass
class ItemDetail:
    item: Item
    plan: Plan
    on: dt.date
    status: ItemStatus | None
    lead_units: list[str]
    partner_units: list[str]
    targets: list[TargetView]
    milestones: list[MilestoneView]
    timeline: list[ProgressReport]
    photos: list[Evidence]


def public_item(item_id: int, today: dt.date | None = None) -> ItemDetail:
    """An item of a published plan with approved values, milestones, timeline and cleaned photos.

    Raises Item.DoesNotExist when there is no such item in a published plan.
    """
    item = (
        Item.objects.select_related("project__plan__region")
        .prefetch_related("item_units", "targets", "milestones")
        .get(pk=item_id, project__plan__status=PlanStatus.PUBLISHED)
    )
    plan = item.project.plan
    on = as_of(plan, today)
    status = item_statuses(plan, on, item_ids=[item.pk]).get(item.pk)
    parts = {p.key: p for p in status.targets} if status else {}
    milestone_parts = {p.key: p for p in status.milestones} if status else {}
    targets = [
        TargetView(
            quote=t.quote,
            value=t.value,
            unit=t.unit,
            op=t.op,
            due_date=t.due_date,
            reached=parts[t.pk].reached if t.pk in parts else None,
            completion=parts[t.pk].completion if t.pk in parts else None,
            achieved=parts[t.pk].achieved if t.pk in parts else None,
        )
        for t in sorted(item.targets.all(), key=lambda t: t.position)
    ]
    milestones = [
        MilestoneView(
            quote=m.quote,
            state=m.state,
            due_date=m.due_date,
            done=bool(milestone_parts.get(m.pk) and milestone_parts[m.pk].done),
            completion=milestone_parts[m.pk].completion if m.pk in milestone_parts else None,
        )
        for m in sorted(item.milestones.all(), key=lambda m: m.position)
    ]
    approved = Q(status=ReportStatus.APPROVED, period__start__lte=on)
    timeline = list(
        ProgressReport.objects.filter(approved, item=item)
        .select_related("period")
        .order_by("-period__start")[:TIMELINE_LENGTH]
    )
    photos = list(
        Evidence.objects.filter(
            report__item=item,
            report__status=ReportStatus.APPROVED,
            report__period__start__lte=on,
            content_type__startswith="image/",
        )
        .exclude(public_copy="")
        .select_related("report__period")
        .order_by("-report__period__start", "pk")
    )
    units = sorted(item.item_units.all(), key=lambda u: (u.role, u.position))
    return ItemDetail(
        item=item,
        plan=plan,
        on=on,
        status=status,
        lead_units=[u.written_as for u in units if u.role == UnitRole.LEAD],
        partner_units=[u.written_as for u in units if u.role == UnitRole.PARTNER],
        targets=targets,
        milestones=milestones,
        timeline=timeline,
        photos=photos,
    )


def public_photo(evidence_id: int) -> Evidence:
    """A photo the public may see. Raises Evidence.DoesNotExist otherwise."""
    return (
        Evidence.objects.select_related("report__item__project__plan")
        .exclude(public_copy="")
        .get(
            pk=evidence_id,
            content_type__startswith="image/",
            report__status=ReportStatus.APPROVED,
            report__item__project__plan__status=PlanStatus.PUBLISHED,
        )
    )


def last_change(plan_ids: list[int]) -> dt.datetime | None:
    """When what the portal shows for these plans last changed (plan edits, approvals): for ETags."""
    plans = Plan.objects.filter(pk__in=plan_ids).aggregate(latest=Max("updated_at"))["latest"]
    reports = ProgressReport.objects.filter(
        item__project__plan_id__in=plan_ids, status=ReportStatus.APPROVED
    ).aggregate(latest=Max("reviewed_at"))["latest"]
    stamps = [s for s in (plans, reports) if s is not None]
    return max(stamps) if stamps else None
