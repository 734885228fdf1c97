"""ECharts options for the dashboard, built on the server and handed to the page with `json_script`.

Every data point carries the URL of the items behind it (`url`), which the page's script opens on click;
each chart also has a table with the same links for keyboard and screen-reader users.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from minsheng.alerts.status import COLOURS, Status
from minsheng.bulletins.labels import STATUS_ORDER, status_label
from minsheng.dashboard.selectors import Dashboard, TrendPoint

PALETTE = {"green": "#1e7a34", "yellow": "#c98a00", "red": "#b3261e", "blue": "#1d4f91", "grey": "#80868b"}
ACTUAL = "#1d4f91"
EXPECTED = "#9aa0a6"

Link = Callable[..., str]


def _pct(share: float) -> float:
    return round(share * 100, 1)


def project_chart(board: Dashboard, link: Link) -> dict[str, Any]:
    names = [f"{p.no}. {p.name}" for p, _r in board.projects]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Actual"), _("Expected")]},
        "grid": {"left": 8, "right": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": names, "inverse": True, "axisLabel": {"interval": 0}},
        "series": [
            {
                "name": _("Actual"),
                "type": "bar",
                "itemStyle": {"color": ACTUAL},
                "data": [
                    {"value": _pct(r.completion), "url": link(project=p.pk, status=None)}
                    for p, r in board.projects
                ],
            },
            {
                "name": _("Expected"),
                "type": "bar",
                "itemStyle": {"color": EXPECTED},
                "data": [
                    {"value": _pct(r.expected), "url": link(project=p.pk, status=None)}
                    for p, r in board.projects
                ],
            },
        ],
    }


def status_chart(board: Dashboard, link: Link) -> dict[str, Any]:
    data = [
        {
            "name": status_label(s),
            "value": board.counts.get(str(s), 0),
            "url": link(status=str(s)),
            "itemStyle": {"color": PALETTE[COLOURS[s]] if s != Status.DONE else PALETTE["blue"]},
        }
        for s in STATUS_ORDER
        if board.counts.get(str(s), 0)
    ]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"bottom": 0},
        "series": [
            {"type": "pie", "radius": ["40%", "70%"], "data": data, "label": {"formatter": "{b}\n{c}"}}
        ],
    }


def unit_chart(board: Dashboard, link: Link) -> dict[str, Any]:
    units = board.units
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("On-time reporting"), _("Completion")]},
        "grid": {"left": 8, "right": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {
            "type": "category",
            "data": [u.name for u in units],
            "inverse": True,
            "axisLabel": {"interval": 0},
        },
        "series": [
            {
                "name": _("On-time reporting"),
                "type": "bar",
                "itemStyle": {"color": PALETTE["green"]},
                "data": [
                    {
                        "value": _pct(u.on_time_rate) if u.on_time_rate is not None else None,
                        "url": link(unit=u.pk, status=None),
                    }
                    for u in units
                ],
            },
            {
                "name": _("Completion"),
                "type": "bar",
                "itemStyle": {"color": ACTUAL},
                "data": [
                    {"value": _pct(u.rollup.completion), "url": link(unit=u.pk, status=None)} for u in units
                ],
            },
        ],
    }


def trend_chart(points: list[TrendPoint]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Expected"), _("Actual")]},
        "grid": {"left": 8, "right": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [p.label for p in points]},
        "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            {
                "name": _("Expected"),
                "type": "line",
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": EXPECTED},
                "data": [_pct(p.expected) for p in points],
            },
            {
                "name": _("Actual"),
                "type": "line",
                "itemStyle": {"color": ACTUAL},
                "data": [_pct(p.actual) for p in points],
            },
        ],
    }


def all_charts(board: Dashboard, link: Link) -> dict[str, dict[str, Any]]:
    """Options of every chart, keyed by the id of the element that holds it."""
    return {
        "chart-projects": project_chart(board, link),
        "chart-status": status_chart(board, link),
        "chart-units": unit_chart(board, link),
        "chart-trend": trend_chart(board.trend),
        "chart-project-trend": trend_chart(board.project_trend),
    }


def bar_height(rows: int) -> int:
    """Pixels for a horizontal bar chart with `rows` categories, so that every label shows."""
    return max(320, 80 + 30 * rows)
