"""Template helpers for status lights and shares: words, CSS classes, percentages."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.alerts.status import status_colour
from minsheng.bulletins.labels import status_label

register = template.Library()


@register.filter
def light_label(status: Any) -> str:
    """The translated word for a status (未开始, 正常, 滞后, 严重滞后, 已完成, 终止)."""
    return status_label(getattr(status, "status", status)) if status is not None else ""


def light_colour(status: Any) -> str:
    """blue, green, yellow, red or grey for an ItemStatus, a Rollup or a status value."""
    if status is None:
        return "grey"
    accepted = bool(getattr(status, "accepted", False))
    value = getattr(status, "status", status)
    return status_colour(value, accepted)


@register.filter
def light_class(status: Any) -> str:
    """CSS class `light-<colour>` for an ItemStatus, a Rollup or a status value."""
    return f"light-{light_colour(status)}"


@register.filter
def percent(share: Any) -> str:
    """0.423 → 42%; None → —."""
    if share is None or share == "":
        return "—"
    return f"{round(float(share) * 100)}%"


@register.filter
def bar_width(share: Any) -> int:
    """A share as a whole percentage between 0 and 100, for the width of a progress bar."""
    if share is None or share == "":
        return 0
    return max(0, min(100, round(float(share) * 100)))
