"""Read what the public portal shows. Every function runs a fixed number of queries.

Lights are the stored ones (`alerts.lights`, approved values only); a past year's plan is shown as it
stood on 31 December, its final result. Each region's current year is its own latest published list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from minsheng.alerts.lights import item_lights, lights_for_plans
from minsheng.alerts.models import LightKind
from minsheng.alerts.selectors import Rollup, light_day, rollup
from minsheng.alerts.status import ItemStatus
from minsheng.orgs.models import Region
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, Plan, Project
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


def plan_overviews(
    plans: list[Plan], with_items: bool = True, today: dt.date | None = None
) -> list[PlanView]:
    """Plans with each project's light (and each item's with `with_items`), for the public pages.

    A fixed number of queries whatever the number of plans, projects and items: lights are the stored
    ones (`alerts.lights`), projects and items are read for all plans at once.
    """
    if not plans:
        return []
    today = today or timezone.localdate()
    kinds = [LightKind.PLAN, LightKind.PROJECT] + ([LightKind.ITEM] if with_items else [])
    lights = lights_for_plans(plans, kinds, today=today)
    projects: dict[int, list[Project]] = defaultdict(list)
    for project in Project.objects.filter(plan__in=plans).order_by("plan_id", "position", "no"):
        projects[project.plan_id].append(project)
    items: dict[int, list[ItemView]] = defaultdict(list)
    if with_items:
        for item in (
            Item.objects.filter(project__plan__in=plans)
            .prefetch_related("item_units")
            .order_by("project_id", "position")
        ):
            items[item.project_id].append(
                ItemView(
                    item=item,
                    status=lights.items.get(item.pk),
                    lead_units=[u.written_as for u in item.item_units.all() if u.role == UnitRole.LEAD],
                )
            )
    empty = rollup({})
    views = []
    for plan in plans:
        on = as_of(plan, today)
        views.append(
            PlanView(
                plan=plan,
                on=on,
                final=on < today,
                rollup=lights.groups[LightKind.PLAN].get(plan.pk, empty),
                projects=[
                    ProjectView(
                        project=project,
                        rollup=lights.groups[LightKind.PROJECT].get(project.pk, empty),
                        items=items[project.pk],
                    )
                    for project in projects[plan.pk]
                ],
            )
        )
    return views


def plan_overview(plan: Plan, today: dt.date | None = None) -> PlanView:
    """The plan with each project's light and each item's, for the public list page."""
    return plan_overviews([plan], today=today)[0]


@dataclass
class RegionChoice:
    """A region with published lists, its current year (its own latest list) and that list's lights."""

    region: Region
    year: int
    plans: list[PlanView]


@dataclass
class FrontPage:
    """What `/` shows: one region's current lists and earlier years, or a chooser of regions."""

    region: Region | None
    current: list[PlanView]
    earlier: list[Plan]
    regions: list[RegionChoice]

    @property
    def current_year(self) -> int | None:
        return self.current[0].plan.year if self.current else None


def front_page(region_id: int | None = None, today: dt.date | None = None) -> FrontPage:
    """The portal's front page: with one region (or `region_id`), that region's current year — its own
    latest published list — with projects, and its earlier years; with several, a region chooser with each
    region's current list and light. Raises Region.DoesNotExist for a region without a published list."""
    plans = list(published_plans())
    latest: dict[int, int] = {}
    for plan in plans:
        latest[plan.region_id] = max(latest.get(plan.region_id, plan.year), plan.year)
    if region_id is not None:
        if region_id not in latest:
            raise Region.DoesNotExist
        plans = [p for p in plans if p.region_id == region_id]
    current = [p for p in plans if p.year == latest[p.region_id]]
    if region_id is None and len(latest) > 1:
        views = plan_overviews(current, with_items=False, today=today)
        by_region: dict[int, RegionChoice] = {}
        for view in views:
            choice = by_region.setdefault(
                view.plan.region_id, RegionChoice(view.plan.region, view.plan.year, [])
            )
            choice.plans.append(view)
        regions = sorted(by_region.values(), key=lambda c: (c.region.code, c.region.name))
        return FrontPage(region=None, current=[], earlier=[], regions=regions)
    return FrontPage(
        region=plans[0].region if plans else None,
        current=plan_overviews(current, with_items=False, today=today),
        earlier=[p for p in plans if p.year != latest[p.region_id]],
        regions=[],
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
    # 截至: the end of the latest approved report's period (not the deadline, not today).
    reported_to: dt.date | None = None


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
    status = item_lights([plan], item_ids=[item.pk], today=today).get(item.pk)
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
        reported_to=timeline[0].period.end if timeline else None,
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
