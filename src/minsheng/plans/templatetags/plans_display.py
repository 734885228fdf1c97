"""Display helpers for plan pages: numbers as a person writes them, comparison signs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from minsheng.plans.choices import TargetOp

register = template.Library()

_OP_SIGNS: dict[str, str] = {TargetOp.EQ: "", TargetOp.GTE: "≥", TargetOp.LTE: "≤", TargetOp.APPROX: "≈"}


@register.filter
def plain_number(value: Any) -> str:
    """3500.0000 → 3500, 1.2500 → 1.25; other values unchanged."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


@register.filter
def op_sign(op: str) -> str:
    """The sign shown before a target's value (≥ for 'at least'; nothing for 'equal to')."""
    return _OP_SIGNS.get(op, op)


@register.filter
def units_of(item: Any, role: str) -> list[Any]:
    """The item's units of one role, from the prefetched item_units (no query)."""
    return [iu for iu in item.item_units.all() if iu.role == role]


@register.filter
def display_value(value: Any) -> str:
    """A before/after value from an audit row: lists joined with 、, nothing shown as —."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {display_value(v)}" for k, v in value.items())
    return str(value)


@register.simple_tag
def item_adjustments(item: Any) -> list[Any]:
    """The item's adjustments (项目调整) after publishing, oldest first."""
    from minsheng.plans.selectors import adjustments_of

    return adjustments_of(item)


_ADJUSTED_FIELDS = {
    "text": _("Content"),
    "lead_units": _("Lead units"),
    "partner_units": _("Partner units"),
    "value": _("Value"),
    "unit": _("Unit of measure"),
    "quote": _("Quote"),
}


@register.filter
def adjustment_change(value: Any) -> str:
    """An adjustment's before or after, the fields a citizen recognises, in words."""
    if not isinstance(value, dict):
        return display_value(value)
    shown = [(k, v) for k, v in value.items() if k in _ADJUSTED_FIELDS]
    return "; ".join(f"{_ADJUSTED_FIELDS[k]}: {display_value(v)}" for k, v in shown) or "—"
