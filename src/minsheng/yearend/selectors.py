"""Read the year's end: is a year closed, its final results, carry-over links, the completion report's
figures. Every function runs a fixed number of queries whatever the number of items.

- `is_year_closed(plan) -> bool`
- `year_end_plans(user) -> list[Plan]` — published plans whose year-end page the user may read.
- `year_end_page(plan) -> YearEndPage` — the plan's year-end state, results per project, carry-overs.
- `item_links(item) -> ItemLinks` — the item's final result, its corrections, where it came from and
  where it went (both years' item pages show it).
- `completion_lines(plan) -> list[ProjectLines]` — per project and item: promised, achieved, ending,
  reasons for a shortfall, carry-over (the annual completion report).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from minsheng.alerts.status import Status
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item, Plan, Project
from minsheng.plans.policies import year_closed
from minsheng.plans.selectors import plan_list
from minsheng.yearend.models import CarryOver, FinalCorrection, FinalResult, YearClose
from minsheng.yearend.policies import can_read_year_end

# Final results that are not carried over: done, no longer pursued, or nothing measurable left to carry.
FINISHED = frozenset({Status.DONE, Status.TERMINATED, Status.UNMEASURED})


def is_year_closed(plan: Plan) -> bool:
    """年度关账: the plan's final results are frozen."""
    return year_closed(plan)


def year_over(plan: Plan, today: dt.date | None = None) -> bool:
    """The plan's year has ended (a year closes from 1 January of the next)."""
    return (today or timezone.localdate()) > dt.date(plan.year, 12, 31)


def year_end_plans(user: Any) -> list[Plan]:
    """Published plans whose year-end page `user` may read, newest year first."""
    plans = plan_list(user).filter(status=PlanStatus.PUBLISHED)
    return [plan for plan in plans if can_read_year_end(user, plan)]


def unfinished(result: FinalResult) -> bool:
    return Status(result.status) not in FINISHED


@dataclass
class ProjectResults:
    project: Project
    results: list[FinalResult] = field(default_factory=list)


@dataclass
class YearEndPage:
    """What the plan's year-end page shows."""

    plan: Plan
    close: YearClose | None
    projects: list[ProjectResults]
    counts: dict[str, int]
    carried: dict[int, CarryOver]  # origin item id → its carry-over
    over: bool

    @property
    def closed(self) -> bool:
        return self.close is not None

    @property
    def to_carry(self) -> int:
        return sum(
            1 for p in self.projects for r in p.results if unfinished(r) and r.item_id not in self.carried
        )

    @property
    def next_plan(self) -> Plan | None:
        first = next(iter(self.carried.values()), None)
        return first.item.project.plan if first is not None else None


def year_end_page(plan: Plan, today: dt.date | None = None) -> YearEndPage:
    """The plan's year-end state: the close, each item's final result grouped by project, carry-overs."""
    close = YearClose.objects.filter(plan=plan).select_related("closed_by").first()
    results = list(
        FinalResult.objects.filter(plan=plan)
        .select_related("item__project")
        .prefetch_related("corrections")
        .order_by("item__project__position", "item__project__no", "item__position")
    )
    grouped: dict[int, ProjectResults] = {}
    for result in results:
        project = result.item.project
        grouped.setdefault(project.pk, ProjectResults(project)).results.append(result)
    carried = {
        c.origin_id: c
        for c in CarryOver.objects.filter(origin__project__plan=plan).select_related("item__project__plan")
    }
    return YearEndPage(
        plan=plan,
        close=close,
        projects=list(grouped.values()),
        counts=dict(Counter(r.status for r in results)),
        carried=carried,
        over=year_over(plan, today),
    )


@dataclass
class ItemLinks:
    """An item's year-end facts for its pages: final result, corrections, carried from / into."""

    result: FinalResult | None
    corrections: list[FinalCorrection]
    origin: CarryOver | None  # this item continues an item of the year before
    successor: CarryOver | None  # this item was carried into the next year

    @property
    def empty(self) -> bool:
        return self.result is None and self.origin is None and self.successor is None


def item_links(item: Item) -> ItemLinks:
    """Three queries whatever the item."""
    result = FinalResult.objects.filter(item=item).first()
    corrections = list(result.corrections.all()) if result is not None and result.corrected else []
    links = CarryOver.objects.filter(origin=item) | CarryOver.objects.filter(item=item)
    origin = successor = None
    for link in links.select_related("origin__project__plan", "item__project__plan"):
        if link.item_id == item.pk:
            origin = link
        else:
            successor = link
    return ItemLinks(result, corrections, origin, successor)


@dataclass
class ItemLine:
    """One item of the completion report."""

    item: Item
    result: FinalResult
    carried: CarryOver | None

    @property
    def targets(self) -> list[dict[str, Any]]:
        return list((self.result.values or {}).get("targets", []))

    @property
    def milestones(self) -> list[dict[str, Any]]:
        return list((self.result.values or {}).get("milestones", []))

    @property
    def completion(self) -> Decimal:
        return self.result.completion


@dataclass
class ProjectLines:
    project: Project
    items: list[ItemLine] = field(default_factory=list)


def completion_lines(plan: Plan) -> list[ProjectLines]:
    """Per project, each item's frozen final result and carry-over (the year must be closed)."""
    page = year_end_page(plan)
    return [
        ProjectLines(
            group.project,
            [ItemLine(r.item, r, page.carried.get(r.item_id)) for r in group.results],
        )
        for group in page.projects
    ]
