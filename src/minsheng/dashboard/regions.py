"""The multi-level view (多级汇总) and the year comparison, for a city or province leader.

- `districts_board(user, year)` — every district (or county) under the person's region: its plan of the
  year, item counts per light, completion against 序时, money planned, in place and paid, and the ranking.
- `years_board(user, region)` — one district's published plans of every year side by side.

Both read the stored lights (`alerts.lights`) and fund lights (`funds.lights`) of all the plans at once, so
the number of queries does not grow with the number of districts or years (tested with 3 and 30).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minsheng.alerts.lights import group_lights
from minsheng.alerts.models import LightKind
from minsheng.alerts.selectors import Rollup
from minsheng.dashboard.policies import can_use_dashboard
from minsheng.funds.selectors import Totals, funds_totals
from minsheng.orgs.choices import RegionLevel
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import region_descendant_ids
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan


@dataclass
class DistrictRow:
    """A district's standing in a year (no plan: `plan` is None)."""

    region: Region
    plan: Plan | None
    rollup: Rollup | None
    funds: Totals | None
    rank: int | None = None

    @property
    def completion(self) -> float:
        return self.rollup.completion if self.rollup else 0.0

    @property
    def gap(self) -> float:
        """Points behind the schedule (negative: ahead)."""
        return (self.rollup.expected - self.rollup.completion) * 100 if self.rollup else 0.0


@dataclass
class DistrictsBoard:
    region: Region
    year: int | None
    years: list[int]
    rows: list[DistrictRow]
    total: Totals


def _districts(region: Region) -> list[Region]:
    """The districts (and counties) at or under the region, by code."""
    if region.level == RegionLevel.DISTRICT:
        return [region]
    ids = region_descendant_ids(region)
    return list(Region.objects.filter(pk__in=ids, level=RegionLevel.DISTRICT).order_by("code"))


def _newest(plans: list[Plan]) -> dict[int, Plan]:
    """The newest published plan per region (a second list of the same year replaces the first)."""
    chosen: dict[int, Plan] = {}
    for plan in sorted(plans, key=lambda p: (p.year, p.pk)):
        chosen[plan.region_id] = plan
    return chosen


def districts_board(user: Any, year: int | None = None) -> DistrictsBoard | None:
    """The person's districts in `year` (default: the newest year with a published plan)."""
    if not can_use_dashboard(user) or user.region_id is None:
        return None
    region = user.region
    districts = _districts(region)
    ids = [d.pk for d in districts]
    published = list(
        Plan.objects.filter(region_id__in=ids, status=PlanStatus.PUBLISHED).only(
            "pk", "year", "region_id", "title", "status"
        )
    )
    years = sorted({p.year for p in published}, reverse=True)
    year = year if year in years else (years[0] if years else None)
    plans = _newest([p for p in published if p.year == year])
    chosen = list(plans.values())
    lights = group_lights(chosen, LightKind.PLAN) if chosen else {}
    money = funds_totals(chosen) if chosen else {}
    rows = [
        DistrictRow(
            region=d,
            plan=plans.get(d.pk),
            rollup=lights.get(plans[d.pk].pk) if d.pk in plans else None,
            funds=money.get(plans[d.pk].pk) if d.pk in plans else None,
        )
        for d in districts
    ]
    # Ranked by completion, then by the gap to the schedule; districts without a plan are not ranked.
    ranked = sorted(
        (r for r in rows if r.rollup is not None), key=lambda r: (-r.completion, r.gap, r.region.code)
    )
    for n, row in enumerate(ranked, start=1):
        row.rank = n
    total = Totals()
    for totals in money.values():
        total.planned += totals.planned
        total.in_place += totals.in_place
        total.paid += totals.paid
        total.expected_paid += totals.expected_paid
        total.items += totals.items
    return DistrictsBoard(region=region, year=year, years=years, rows=rows, total=total)


@dataclass
class YearRow:
    plan: Plan
    rollup: Rollup | None
    funds: Totals


def comparable_districts(user: Any) -> list[Region]:
    """The districts the person may compare (those at or under their region)."""
    if not can_use_dashboard(user) or user.region_id is None:
        return []
    return _districts(user.region)


def years_board(region: Region) -> list[YearRow]:
    """A district's published plans, newest year first, with their final (past years) or current lights."""
    by_year: dict[int, Plan] = {}
    for plan in sorted(
        Plan.objects.filter(region=region, status=PlanStatus.PUBLISHED), key=lambda p: (p.year, p.pk)
    ):
        by_year[plan.year] = plan
    plans = [by_year[y] for y in sorted(by_year, reverse=True)]
    lights = group_lights(plans, LightKind.PLAN) if plans else {}
    money = funds_totals(plans) if plans else {}
    return [YearRow(plan=p, rollup=lights.get(p.pk), funds=money.get(p.pk, Totals())) for p in plans]
