"""A closed year's final result as a light: the frozen values (after a correction) judged by the usual
rule (`alerts.status.item_status`). `corrected_statuses` is registered with
`alerts.selectors.final_results_register`, so the stored lights (`alerts.Light`) — and with them the
portal, the dashboard, the bulletin and the API — show a corrected final result (最终结果更正)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from minsheng.alerts.status import ItemStatus, MilestoneInput, Rules, Status, TargetInput, item_status
from minsheng.plans.models import Plan
from minsheng.yearend.models import FinalResult


def final_status(plan: Plan, values: dict[str, Any], ending: str, rules: Rules) -> ItemStatus:
    """The light of frozen `values` (targets reached, milestones' states) and `ending` on 31 December."""
    start = dt.date(plan.year, 1, 1)
    targets = [
        TargetInput(
            key=int(t["id"]),
            op=t["op"],
            value=Decimal(t["value"]),
            due=dt.date.fromisoformat(t["due"]),
            start=start,
            reached=None if t.get("reached") is None else Decimal(t["reached"]),
            baseline=None if t.get("baseline") is None else Decimal(t["baseline"]),
        )
        for t in values.get("targets", [])
    ]
    milestones = [
        MilestoneInput(
            key=int(m["id"]), due=dt.date.fromisoformat(m["due"]), start=start, state=m.get("state")
        )
        for m in values.get("milestones", [])
    ]
    return item_status(
        targets=targets,
        milestones=milestones,
        on=dt.date(plan.year, 12, 31),
        rules=rules,
        outcome=ending or None,
    )


def corrected_statuses(plan: Plan, item_ids: list[int], rules: Rules) -> dict[int, ItemStatus]:
    """The lights of the items of a closed year whose final result was corrected (one query). Items
    never corrected keep the computed light, which equals their frozen one (nothing changes once closed)."""
    found = {}
    for result in FinalResult.objects.filter(plan=plan, corrected=True, item_id__in=item_ids):
        status = final_status(plan, result.values or {}, result.ending, rules)
        # The snapshot's own figures win (they were computed by this rule when corrected).
        found[result.item_id] = dataclasses.replace(
            status, status=Status(result.status), completion=float(result.completion)
        )
    return found
