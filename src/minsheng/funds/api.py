"""The items API's `funds` field (资金): planned investment (计划投资, total and per source), the latest
approved funds in place (资金到位) and paid (已支付), and the fund light — registered with
`progress.api.extensions` from `FundsConfig.ready`. Read-only; a report's money is written with the
report (`funds_in_place`, `funds_paid` on POST/PUT /api/reports/, see `funds.report`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from minsheng.alerts.status import Status
from minsheng.funds.choices import FundSource
from minsheng.funds.lights import FundStatus, fund_lights, fund_statuses
from minsheng.funds.report import FIELDS
from minsheng.funds.selectors import planned_by_source
from minsheng.plans.models import Item, Plan
from minsheng.progress.api.extensions import ItemApiField, ItemValue


@dataclass(frozen=True)
class ItemMoney:
    planned: Decimal
    planned_by_source: dict[str, Decimal]
    light: FundStatus


def _amount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False, **kwargs)


class ItemFundsSerializer(ItemValue):
    """An item's money in 万元 (10,000 yuan); null for an item without planned investment."""

    planned = _amount(help_text="计划投资, all sources.")
    planned_by_source = serializers.DictField(
        child=_amount(),
        help_text="计划投资 per source: " + ", ".join(f"{v} ({label})" for v, label in FundSource.choices),
    )
    in_place = _amount(
        source="light.in_place", help_text="资金到位 of the last approved report (cumulative)."
    )
    paid = _amount(source="light.paid", help_text="已支付 of the last approved report (cumulative).")
    status = serializers.ChoiceField(
        source="light.status", choices=[str(s) for s in Status], help_text="The fund light (资金灯)."
    )
    colour = serializers.CharField(source="light.colour")
    paid_share = serializers.FloatField(source="light.paid_share", help_text="paid / planned (0–1).")
    expected = serializers.FloatField(
        source="light.expected", help_text="The share due to be paid by the schedule (序时, 0–1)."
    )


class ReportFundsSerializer(serializers.Serializer):
    """The report's own 资金到位 and 已支付 (cumulative 万元); null when it states none."""

    in_place = _amount()
    paid = _amount()


def items_money(items: Sequence[Item], on: dt.date | None) -> dict[int, ItemMoney]:
    """The money of a page of items: three queries for today's (stored) lights, a fixed number per plan
    for another day."""
    ids = [item.pk for item in items]
    if not ids:
        return {}
    plans: dict[int, Plan] = {item.project.plan_id: item.project.plan for item in items}
    if on is None:
        lights = fund_lights(list(plans.values()), ids)
    else:
        by_plan: dict[int, list[int]] = defaultdict(list)
        for item in items:
            by_plan[item.project.plan_id].append(item.pk)
        lights = {}
        for plan_id, plan_ids in by_plan.items():
            lights.update(fund_statuses(plans[plan_id], on, plan_ids))
    planned = planned_by_source(ids)
    return {
        item_id: ItemMoney(light.planned, dict(planned.get(item_id, {})), light)
        for item_id, light in lights.items()
        if light.measurable
    }


def _input(label: str) -> serializers.DecimalField:
    return _amount(
        required=False,
        allow_null=True,
        help_text=f"{label} (万元), cumulative since the item began; give both amounts or neither. Checked "
        "as on the report form: not negative, not below the last approved report's, paid not above in place.",
    )


def register() -> None:
    """Called from `FundsConfig.ready`."""
    from minsheng.progress.api.extensions import (
        ReportApiField,
        item_api_field_register,
        report_api_field_register,
        report_api_input_register,
    )

    item_api_field_register(ItemApiField(name="funds", field=ItemFundsSerializer, read=items_money))
    report_api_field_register(
        ReportApiField(
            name="funds",
            field=lambda: ReportFundsSerializer(read_only=True, allow_null=True),  # report.funds
            related=("funds",),
        )
    )
    report_api_input_register(FIELDS["in_place"], lambda: _input("资金到位 (funds in place)"))
    report_api_input_register(FIELDS["paid"], lambda: _input("已支付 (paid)"))
