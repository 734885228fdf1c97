"""The fund light (资金灯): money paid against the schedule, stored per item like the progress light.

- `fund_status(planned=, in_place=, paid=, expected=, rules=)` — pure: done when paid reaches the planned
  amount; otherwise yellow or red by the points the paid share is behind `expected`, with the plan's
  fund thresholds (`FundSettings`); grey (无资金计划) without planned money.
- `fund_statuses(plan, on=None, item_ids=None)` — each item's fund light from approved reports, in a fixed
  number of queries. The schedule is the progress light's 序时 rule (`alerts.status.expected_share`) from
  1 January to the item's last due date, so money is expected as the work is.
- `fund_lights_refresh(plan, item_ids=None)` — store them (the signals call it in the changing transaction;
  `minsheng funds-rebuild` for all); `fund_lights(plans, item_ids=None)` — read them, computing live a plan
  whose rows are from an earlier day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Sum

from minsheng.alerts.selectors import light_day
from minsheng.alerts.status import Rules, Status, classify, expected_share, status_colour
from minsheng.funds.models import FundLight, FundSettings, PlannedFund, ReportFunds
from minsheng.plans.models import Item, Milestone, Plan, Target
from minsheng.progress.choices import ReportStatus

ZERO = Decimal(0)


@dataclass(frozen=True)
class FundStatus:
    """An item's money (万元) and its fund light; `expected` is the share of the plan due to be paid."""

    status: Status
    planned: Decimal
    in_place: Decimal
    paid: Decimal
    expected: float

    @property
    def paid_share(self) -> float:
        return float(self.paid / self.planned) if self.planned else 0.0

    @property
    def in_place_share(self) -> float:
        return float(self.in_place / self.planned) if self.planned else 0.0

    @property
    def colour(self) -> str:
        return status_colour(self.status)

    @property
    def measurable(self) -> bool:
        return self.planned > 0


def fund_rules(plan: Plan) -> Rules:
    """The plan's fund thresholds (defaults without settings)."""
    return _rules(FundSettings.objects.filter(plan=plan).first() or FundSettings(plan=plan))


def fund_status(
    *, planned: Decimal, in_place: Decimal, paid: Decimal, expected: float, rules: Rules
) -> FundStatus:
    """The light of one item's money (see the module docstring)."""
    if planned <= 0:
        status = Status.UNMEASURED
    elif paid >= planned:
        status = Status.DONE
    else:
        share = float(paid / planned)
        status = classify(share, expected, rules)
        if status == Status.ON_TRACK and paid <= 0:
            status = Status.NOT_STARTED
    return FundStatus(status, planned, in_place, paid, expected)


def _rules(conf: FundSettings) -> Rules:
    return Rules(lag_threshold=Decimal(conf.lag_threshold), severe_threshold=Decimal(conf.severe_threshold))


@dataclass(frozen=True)
class _Money:
    planned: Decimal
    in_place: Decimal
    paid: Decimal
    due: dt.date


def _judge(plan: Plan, on: dt.date, money: _Money, rules: Rules) -> FundStatus:
    expected = expected_share(on=on, start=dt.date(plan.year, 1, 1), due=money.due)
    return fund_status(
        planned=money.planned, in_place=money.in_place, paid=money.paid, expected=expected, rules=rules
    )


def planned_totals(item_ids: Iterable[int]) -> dict[int, Decimal]:
    """Planned money per item (all sources), for the items that have some."""
    return dict(
        PlannedFund.objects.filter(item_id__in=list(item_ids))
        .values("item_id")
        .annotate(total=Sum("amount"))
        .values_list("item_id", "total")
    )


def _money(plan: Plan, on: dt.date, ids: list[int]) -> dict[int, _Money]:
    planned = planned_totals(ids)
    dues: dict[int, dt.date] = {}
    for model in (Target, Milestone):
        for item_id, due in (
            model.objects.filter(item_id__in=ids)
            .values("item_id")
            .annotate(due=Max("due_date"))
            .values_list("item_id", "due")
        ):
            if due is not None and (item_id not in dues or due > dues[item_id]):
                dues[item_id] = due
    latest: dict[int, tuple[Decimal, Decimal]] = {}
    for item_id, in_place, paid in (
        ReportFunds.objects.filter(
            report__status=ReportStatus.APPROVED, report__period__start__lte=on, report__item_id__in=ids
        )
        .order_by("report__item_id", "-report__period__start")
        .values_list("report__item_id", "in_place", "paid")
    ):
        latest.setdefault(item_id, (in_place, paid))
    end = dt.date(plan.year, 12, 31)
    return {
        item_id: _Money(
            planned.get(item_id) or ZERO, *latest.get(item_id, (ZERO, ZERO)), dues.get(item_id, end)
        )
        for item_id in ids
    }


def fund_statuses(
    plan: Plan, on: dt.date | None = None, item_ids: Iterable[int] | None = None
) -> dict[int, FundStatus]:
    """Every item's fund light on `on` (default: the plan's light day), from approved reports only."""
    on = on or light_day(plan)
    if item_ids is None:
        ids = list(Item.objects.filter(project__plan=plan).values_list("pk", flat=True))
    else:
        ids = list(item_ids)
    if not ids:
        return {}
    rules = fund_rules(plan)
    return {item_id: _judge(plan, on, money, rules) for item_id, money in _money(plan, on, ids).items()}


def fund_lights_refresh(
    plan: Plan, item_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> int:
    """Recompute and store the fund lights of a plan (or of some of its items); returns the rows written.

    Derived data: not audited (the changes that moved the lights are). Items without planned money get no
    row (their light is grey wherever it is read).
    """
    on = light_day(plan, today)
    if item_ids is None:
        ids = list(Item.objects.filter(project__plan=plan).values_list("pk", flat=True))
    else:
        ids = list(item_ids)
    rules = fund_rules(plan)
    rows = []
    for item_id, money in _money(plan, on, ids).items():
        found = _judge(plan, on, money, rules)
        if found.measurable:
            rows.append(
                FundLight(
                    plan_id=plan.pk,
                    item_id=item_id,
                    on=on,
                    status=str(found.status),
                    planned=found.planned,
                    in_place=found.in_place,
                    paid=found.paid,
                    expected=found.expected,
                    due=money.due,
                )
            )
    stale = FundLight.objects.filter(plan=plan)
    if item_ids is not None:
        stale = stale.filter(item_id__in=ids)
    stale.delete()
    FundLight.objects.bulk_create(rows)
    return len(rows)


def fund_lights_by_plan(
    plans: Sequence[Plan], item_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> dict[int, dict[int, FundStatus]]:
    """Fund lights per plan of the items that have planned money (or only of `item_ids`), in two queries
    whatever the number of plans: a row stored on an earlier day is judged again against today's schedule
    (the money has not changed since, or the row would have been refreshed)."""
    by_id = {p.pk: p for p in plans}
    rows = FundLight.objects.filter(plan_id__in=list(by_id))
    if item_ids is not None:
        rows = rows.filter(item_id__in=sorted(set(item_ids)))
    settings = {s.plan_id: s for s in FundSettings.objects.filter(plan_id__in=list(by_id))}
    result: dict[int, dict[int, FundStatus]] = {p.pk: {} for p in plans}
    for row in rows:
        plan = by_id[row.plan_id]
        day = light_day(plan, today)
        if row.on == day:
            found = FundStatus(Status(row.status), row.planned, row.in_place, row.paid, row.expected)
        else:
            rules = _rules(settings.get(plan.pk) or FundSettings(plan=plan))
            found = _judge(plan, day, _Money(row.planned, row.in_place, row.paid, row.due), rules)
        result[plan.pk][row.item_id] = found
    return result


def fund_lights(
    plans: Sequence[Plan], item_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> dict[int, FundStatus]:
    """`fund_lights_by_plan`, items of all the plans together."""
    return {k: v for found in fund_lights_by_plan(plans, item_ids, today).values() for k, v in found.items()}
