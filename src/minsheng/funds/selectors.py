"""Reads of the funds app, a fixed number of queries whatever the number of items or plans.

- `plan_funds(plan)` — the funds page: every item with its planned money per source and its fund light.
- `funds_totals(plans)` — planned, in place and paid per plan (for the dashboard, the city view, the bulletin).
- `item_funds(item)` — one item's money for its public page.
- `review_funds(reports)` — submitted reports' money beside the last approved (review queue).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from minsheng.funds.choices import FundSource
from minsheng.funds.lights import ZERO, FundStatus, fund_lights, fund_lights_by_plan, fund_statuses
from minsheng.funds.models import PlannedFund, ReportFunds
from minsheng.plans.models import Item, Plan
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport


@dataclass
class Totals:
    """Money of a group of items (万元) and the shares of the plan in place and paid."""

    planned: Decimal = ZERO
    in_place: Decimal = ZERO
    paid: Decimal = ZERO
    expected_paid: Decimal = ZERO  # planned × 序时 share, summed
    items: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, found: FundStatus) -> None:
        self.planned += found.planned
        self.in_place += found.in_place
        self.paid += found.paid
        self.expected_paid += found.planned * Decimal(str(round(found.expected, 6)))
        self.items += 1
        self.counts[str(found.status)] = self.counts.get(str(found.status), 0) + 1

    @property
    def in_place_share(self) -> float:
        return float(self.in_place / self.planned) if self.planned else 0.0

    @property
    def paid_share(self) -> float:
        return float(self.paid / self.planned) if self.planned else 0.0

    @property
    def expected_share(self) -> float:
        return float(self.expected_paid / self.planned) if self.planned else 0.0


@dataclass
class ItemFunds:
    item: Item
    planned: dict[str, Decimal]
    light: FundStatus | None


def _planned_by_source(item_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for item_id, source, amount in PlannedFund.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "source", "amount"
    ):
        found[item_id][source] = amount
    return found


def planned_by_source(item_ids: Sequence[int]) -> dict[int, dict[str, Decimal]]:
    """Planned money per item and source (one query); items without any are absent."""
    return dict(_planned_by_source(list(item_ids)))


def plan_funds(plan: Plan) -> tuple[list[ItemFunds], Totals]:
    """Every item of the plan with its planned money per source and fund light, and the plan's totals."""
    items = list(
        Item.objects.filter(project__plan=plan)
        .select_related("project")
        .order_by("project__position", "project__no", "position")
    )
    ids = [i.pk for i in items]
    planned = _planned_by_source(ids)
    lights = fund_lights([plan], ids)
    totals = Totals()
    for light in lights.values():
        totals.add(light)
    return [ItemFunds(i, planned.get(i.pk, {}), lights.get(i.pk)) for i in items], totals


def funds_totals(plans: Sequence[Plan], today: dt.date | None = None) -> dict[int, Totals]:
    """Planned, in place and paid per plan, from the stored fund lights (two queries for any number)."""
    totals: dict[int, Totals] = {}
    for plan_id, found in fund_lights_by_plan(plans, today=today).items():
        totals[plan_id] = Totals()
        for light in found.values():
            totals[plan_id].add(light)
    return totals


def plan_totals(plan: Plan, on: dt.date | None = None, item_ids: Sequence[int] | None = None) -> Totals:
    """One plan's totals on a given day (the bulletin's period end), computed from approved reports."""
    totals = Totals()
    for found in fund_statuses(plan, on, item_ids).values():
        if found.measurable:
            totals.add(found)
    return totals


def item_funds(item: Item) -> ItemFunds:
    """One item's money (public page: planned per source, in place, paid)."""
    plan = item.project.plan
    return ItemFunds(
        item, _planned_by_source([item.pk]).get(item.pk, {}), fund_lights([plan], [item.pk]).get(item.pk)
    )


SOURCES = FundSource.choices


@dataclass(frozen=True)
class ReviewFunds:
    """A submitted report's money beside the last approved (for the review queue)."""

    in_place: Decimal
    paid: Decimal
    last_in_place: Decimal | None
    last_paid: Decimal | None


def review_funds(reports: Sequence[ProgressReport]) -> dict[int, ReviewFunds]:
    """The money of these reports and of each item's last approved report before, in two queries."""
    mine = {f.report_id: f for f in ReportFunds.objects.filter(report_id__in=[r.pk for r in reports])}
    if not mine:
        return {}
    history: dict[int, list[tuple[dt.date, ReportFunds]]] = defaultdict(list)
    for f in (
        ReportFunds.objects.filter(
            report__item_id__in={r.item_id for r in reports}, report__status=ReportStatus.APPROVED
        )
        .select_related("report__period")
        .order_by("-report__period__start")
    ):
        history[f.report.item_id].append((f.report.period.start, f))
    found = {}
    for report in reports:
        if report.pk not in mine:
            continue
        last = next((f for start, f in history[report.item_id] if start < report.period.start), None)
        found[report.pk] = ReviewFunds(
            mine[report.pk].in_place,
            mine[report.pk].paid,
            last.in_place if last else None,
            last.paid if last else None,
        )
    return found


def report_funds_by_report(report_ids: Sequence[int]) -> dict[int, ReportFunds]:
    """资金到位 / 已支付 stated on each of these reports (one query); reports without money are absent."""
    return {f.report_id: f for f in ReportFunds.objects.filter(report_id__in=list(report_ids))}
