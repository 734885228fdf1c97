"""Translated words for status lights (the status values themselves stay in `alerts.status`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from minsheng.alerts.status import Status, status_colour

LIGHT_LABELS = {
    Status.NOT_STARTED: _("not started"),
    Status.ON_TRACK: _("on track"),
    Status.LAGGING: _("lagging"),
    Status.SEVERE: _("severely lagging"),
    Status.DONE: _("done"),
    Status.TERMINATED: _("terminated"),
    Status.UNMEASURED: _("no measurable target"),
}


def light_label(status: Status | str) -> str:
    """未开始, 正常, 滞后, 严重滞后, 已完成, 终止, 无量化指标 — in the active language."""
    try:
        return str(LIGHT_LABELS[Status(status)])
    except ValueError:
        return str(status)


def light_word(light: Any) -> str:
    """The word for an ItemStatus, a Rollup or a status value ("" for none)."""
    return light_label(getattr(light, "status", light)) if light is not None else ""


def light_colour(light: Any) -> str:
    """blue, green, yellow, red or grey for an ItemStatus, a Rollup or a status value."""
    if light is None:
        return "grey"
    return status_colour(getattr(light, "status", light), bool(getattr(light, "accepted", False)))
