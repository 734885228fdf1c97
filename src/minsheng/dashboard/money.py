"""Funds on the dashboard and the charts of the multi-level views (ECharts options, as `charts.py`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from minsheng.dashboard.charts import ACTUAL, EXPECTED, PALETTE, Link, _pct
from minsheng.dashboard.regions import DistrictsBoard, YearRow
from minsheng.dashboard.selectors import Dashboard
from minsheng.funds.lights import fund_lights
from minsheng.funds.selectors import Totals


@dataclass
class FundsBoard:
    """The plan's money as the dashboard shows it: totals and per project (万元)."""

    total: Totals
    projects: list[tuple[Any, Totals]]


def _bar(name: str, colour: str, data: list[Any]) -> dict[str, Any]:
    """One bar series of an ECharts option."""
    return {"name": name, "type": "bar", "itemStyle": {"color": colour}, "data": data}


def funds_board(board: Dashboard) -> FundsBoard:
    """Money of the items the dashboard shows (its filters apply), from the stored fund lights."""
    ids = [row.pk for row in board.items]
    lights = fund_lights([board.plan], ids) if ids else {}
    project_of = {row.pk: row.project_id for row in board.items}
    per_project: dict[int, Totals] = defaultdict(Totals)
    total = Totals()
    for item_id, light in lights.items():
        total.add(light)
        per_project[project_of[item_id]].add(light)
    return FundsBoard(total, [(p, per_project[p.pk]) for p, _r in board.projects if p.pk in per_project])


def _amount(value: Decimal) -> float:
    return round(float(value), 2)


def funds_chart(funds: FundsBoard, link: Link) -> dict[str, Any]:
    """Planned, in place and paid per project (10,000 yuan)."""
    names = [f"{p.no}. {p.name}" for p, _t in funds.projects]
    series = [
        (_("Planned"), EXPECTED, "planned"),
        (_("In place"), PALETTE["green"], "in_place"),
        (_("Paid"), ACTUAL, "paid"),
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [name for name, _c, _a in series]},
        "grid": {"left": 8, "right": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": _("10,000 yuan")},
        "yAxis": {"type": "category", "data": names, "inverse": True, "axisLabel": {"interval": 0}},
        "series": [
            _bar(
                name,
                colour,
                [
                    {"value": _amount(getattr(t, attr)), "url": link(project=p.pk, status=None)}
                    for p, t in funds.projects
                ],
            )
            for name, colour, attr in series
        ],
    }


def funds_charts(funds: FundsBoard, link: Link) -> dict[str, dict[str, Any]]:
    """The funds chart, when the plan has planned money."""
    return {"chart-funds": funds_chart(funds, link)} if funds.total.items else {}


def districts_chart(board: DistrictsBoard) -> dict[str, Any]:
    """Completion, schedule and share paid per district."""
    rows = [r for r in board.rows if r.rollup is not None]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Actual"), _("Expected"), _("Paid")]},
        "grid": {"left": 8, "right": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [r.region.name for r in rows], "inverse": True},
        "series": [
            _bar(_("Actual"), ACTUAL, [_pct(r.completion) for r in rows]),
            _bar(_("Expected"), EXPECTED, [_pct(r.rollup.expected) if r.rollup else 0 for r in rows]),
            _bar(_("Paid"), PALETTE["green"], [_pct(r.funds.paid_share) if r.funds else 0 for r in rows]),
        ],
    }


def years_chart(rows: list[YearRow]) -> dict[str, Any]:
    """Completion and share paid per year, oldest first."""
    ordered = list(reversed(rows))
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Completion"), _("Paid")]},
        "grid": {"left": 8, "right": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(r.plan.year) for r in ordered]},
        "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            _bar(_("Completion"), ACTUAL, [_pct(r.rollup.completion) if r.rollup else 0 for r in ordered]),
            _bar(_("Paid"), PALETTE["green"], [_pct(r.funds.paid_share) for r in ordered]),
        ],
    }
