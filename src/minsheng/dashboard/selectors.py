"""Figures for the dashboard (驾驶舱). A fixed number of queries whatever the number of items: lights come
from `alerts.selectors.item_statuses` (one batch), counts and averages over reports and snapshots are
aggregated in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q

from minsheng.alerts.lights import item_lights
from minsheng.alerts.selectors import Rollup, item_statuses, light_day, rollup
from minsheng.alerts.status import ItemStatus, Status
from minsheng.core.changes import stamped_get, stamped_set
from minsheng.dashboard.policies import can_use_dashboard, dashboard_plans_visible
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import town_units, user_region_ids
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, ItemUnit, Plan, Project
from minsheng.plans.selectors import plan_list
from minsheng.progress.models import Period, PeriodSnapshot, ProgressReport


@dataclass(frozen=True)
class Filters:
    """Narrow the dashboard to one project, one lead unit and/or one town or street."""

    project_id: int | None = None
    unit_id: int | None = None
    town_id: int | None = None
    status: str | None = None

    def query(self, **override: Any) -> dict[str, Any]:
        """The filters as URL parameters (empty ones left out), with some replaced."""
        values = {
            "project": self.project_id,
            "unit": self.unit_id,
            "town": self.town_id,
            "status": self.status,
        }
        values.update(override)
        return {k: v for k, v in values.items() if v not in (None, "")}


def dashboard_plans(user: Any) -> list[Plan]:
    """Plans the user may see on the dashboard, newest year first.

    The user's region and everything under it come with the user (`user_region_ids`), not walked up
    from each plan, so a city leader's page costs the same whatever the number of districts.
    """
    if not can_use_dashboard(user):
        return []
    within = user_region_ids(user) if user.region_id is not None else None
    return dashboard_plans_visible(user, plan_list(user), within)


def default_plan(user: Any, plans: list[Plan]) -> Plan | None:
    """The plan a person lands on: the newest published plan of their own region, else the newest
    published plan they may see, else the newest (a draft, for the office)."""
    published = [p for p in plans if p.status == PlanStatus.PUBLISHED]
    own = [p for p in published if user.region_id is not None and p.region_id == user.region_id]
    for candidates in (own, published, plans):
        if candidates:
            return max(candidates, key=lambda p: (p.year, p.pk))
    return None


def filter_choices(plan: Plan) -> dict[str, list[tuple[int, str]]]:
    """Projects, lead units and towns/streets to filter by."""
    projects = [
        (p.pk, f"{p.no}. {p.name}") for p in Project.objects.filter(plan=plan).order_by("position", "no")
    ]
    units = list(
        Unit.objects.filter(item_units__item__project__plan=plan, item_units__role=UnitRole.LEAD)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    towns = list(town_units(plan.region).values_list("pk", "name"))
    return {"projects": projects, "units": units, "towns": towns}


def filtered_item_ids(plan: Plan, filters: Filters) -> list[int]:
    """Items of the plan matching the filters (a town matches items naming it or a group word that covers it)."""
    items = Item.objects.filter(project__plan=plan)
    if filters.project_id:
        items = items.filter(project_id=filters.project_id)
    if filters.unit_id:
        items = items.filter(
            pk__in=ItemUnit.objects.filter(role=UnitRole.LEAD, unit_id=filters.unit_id).values("item_id")
        )
    if filters.town_id:
        town_region = Unit.objects.filter(pk=filters.town_id, kind=UnitKind.TOWN).values("region_id")
        items = items.filter(
            pk__in=ItemUnit.objects.filter(
                Q(unit_id=filters.town_id) | Q(unit__kind=UnitKind.GROUP, unit__region_id__in=town_region)
            ).values("item_id")
        )
    return list(items.order_by("project__position", "position").values_list("pk", flat=True))


@dataclass
class ItemRow:
    """An item as the dashboard lists it."""

    pk: int
    text: str
    project_id: int
    project_no: int
    project_name: str
    lead_units: list[str]
    status: ItemStatus
    days_behind: int | None


@dataclass
class UnitRow:
    """A lead unit's standing: on-time reporting rate and mean completion of its items."""

    pk: int
    name: str
    items: int
    on_time: int
    due: int
    rollup: Rollup

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class TrendPoint:
    label: str
    expected: float
    actual: float


@dataclass
class Dashboard:
    plan: Plan
    on: dt.date
    filters: Filters
    items: list[ItemRow]
    total: Rollup
    counts: dict[str, int]
    overdue: int
    projects: list[tuple[Project, Rollup]]
    units: list[UnitRow]
    trend: list[TrendPoint]
    trend_project: Project | None
    project_trend: list[TrendPoint]
    red: list[ItemRow] = field(default_factory=list)


def days_behind(status: ItemStatus, plan: Plan) -> int | None:
    """Schedule gap in days: the points behind, as a share of the plan year (a linear schedule); None for
    an item with nothing measurable (无量化指标), which has no schedule to be behind."""
    if not status.measurable:
        return None
    gap = max(0.0, status.reference_expected - status.completion)
    year_days = (dt.date(plan.year, 12, 31) - dt.date(plan.year, 1, 1)).days
    return round(gap * year_days)


def _trend(plan: Plan, ids: list[int], live: Rollup, on: dt.date, periods: list[Period]) -> list[TrendPoint]:
    """Mean expected and actual completion at each closed period (from snapshots), then today's."""
    rows = (
        PeriodSnapshot.objects.filter(period__plan=plan, item_id__in=ids)
        .values("period_id")
        .annotate(actual=Avg("completion"), expected=Avg("expected"))
    )
    by_period = {r["period_id"]: r for r in rows}
    points = [
        TrendPoint(str(p), float(by_period[p.pk]["expected"]), float(by_period[p.pk]["actual"]))
        for p in periods
        if p.pk in by_period and p.end < on
    ]
    if ids:
        points.append(TrendPoint(f"{on:%Y-%m-%d}", live.expected, live.completion))
    return points


FIGURES_SECONDS = 3600


def dashboard(plan: Plan, filters: Filters, on: dt.date | None = None) -> Dashboard:
    """Everything the dashboard shows for a plan, narrowed by the filters.

    Today's figures are kept in the shared cache under the stamp of the last change (`alerts.version`:
    approval, return, period close, edits, the daily tick), so leaders opening the same plan share one
    computation; the caller has checked that the user may see the plan.
    """
    if on is not None:
        return _dashboard(plan, filters, on)
    raw = f"{plan.pk}|{sorted(filters.query().items())}|{light_day(plan)}"
    key = "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()
    stamp, board = stamped_get(key)
    if board is None:
        board = _dashboard(plan, filters, None)
        stamped_set(key, stamp, board, FIGURES_SECONDS)
    return board


def _dashboard(plan: Plan, filters: Filters, on: dt.date | None) -> Dashboard:
    stored = on is None
    on = on or light_day(plan)
    ids = filtered_item_ids(plan, filters)
    # Today's lights are the stored ones (alerts.lights); another day is computed.
    if not ids:
        statuses = {}
    elif stored:
        statuses = item_lights([plan], item_ids=ids)
    else:
        statuses = item_statuses(plan, on, item_ids=ids)
    info = {
        row["pk"]: row
        for row in Item.objects.filter(pk__in=ids).values(
            "pk", "text", "project_id", "project__no", "project__name"
        )
    }
    leads: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for item_id, unit_id, name in (
        ItemUnit.objects.filter(item_id__in=ids, role=UnitRole.LEAD)
        .order_by("position")
        .values_list("item_id", "unit_id", "unit__name")
    ):
        leads[item_id].append((unit_id, name))
    rows = [
        ItemRow(
            pk=pk,
            text=info[pk]["text"],
            project_id=info[pk]["project_id"],
            project_no=info[pk]["project__no"],
            project_name=info[pk]["project__name"],
            lead_units=[name for _, name in leads[pk]],
            status=statuses[pk],
            days_behind=days_behind(statuses[pk], plan),
        )
        for pk in ids
        if pk in statuses
    ]
    shown = [r for r in rows if r.status.status == filters.status] if filters.status else rows

    total = rollup(statuses)
    counts = {str(s): 0 for s in Status}
    for row in rows:
        counts[str(row.status.status)] += 1

    projects = {p.pk: p for p in Project.objects.filter(plan=plan).order_by("position", "no")}
    per_project: dict[int, dict[int, ItemStatus]] = defaultdict(dict)
    for row in rows:
        per_project[row.project_id][row.pk] = row.status
    project_rollups = [(p, rollup(per_project[pk])) for pk, p in projects.items() if pk in per_project]

    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    due_periods = sum(1 for p in periods if p.deadline < on)
    on_time = dict(
        ProgressReport.objects.filter(period__plan=plan, period__deadline__lt=on, item_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("pk", filter=Q(submitted_at__date__lte=F("period__deadline"))))
        .values_list("unit_id", "n")
    )
    per_unit: dict[int, dict[int, ItemStatus]] = defaultdict(dict)
    unit_names: dict[int, str] = {}
    for row in rows:
        for unit_id, name in leads[row.pk]:
            per_unit[unit_id][row.pk] = row.status
            unit_names[unit_id] = name
    units = [
        UnitRow(
            pk=unit_id,
            name=unit_names[unit_id],
            items=len(members),
            on_time=on_time.get(unit_id, 0),
            due=len(members) * due_periods,
            rollup=rollup(members),
        )
        for unit_id, members in per_unit.items()
    ]
    units.sort(
        key=lambda u: (-(u.on_time_rate if u.on_time_rate is not None else 1.0), -u.rollup.completion, u.name)
    )

    trend_project = projects.get(filters.project_id) if filters.project_id else None
    if trend_project is None and project_rollups:
        # The project furthest behind schedule is the one a leader asks about.
        trend_project = max(project_rollups, key=lambda pr: pr[1].expected - pr[1].completion)[0]
    project_ids = [r.pk for r in rows if trend_project and r.project_id == trend_project.pk]
    project_live = rollup({pk: statuses[pk] for pk in project_ids})

    red = sorted(
        (r for r in rows if r.status.status == Status.SEVERE),
        key=lambda r: (-(r.days_behind or 0), r.project_no, r.pk),
    )
    return Dashboard(
        plan=plan,
        on=on,
        filters=filters,
        items=shown,
        total=total,
        counts=counts,
        overdue=sum(1 for r in rows if r.status.report_overdue),
        projects=project_rollups,
        units=units,
        trend=_trend(plan, ids, total, on, periods),
        trend_project=trend_project,
        project_trend=_trend(plan, project_ids, project_live, on, periods),
        red=red,
    )
