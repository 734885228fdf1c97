"""Stored lights: write them when something changes, read them in a fixed number of queries.

- `lights_refresh(plan_ids)` — recompute and store every item's light and the project, lead-unit and plan
  roll-ups of these plans, as of `light_day(plan)`; called after the transaction that changed something
  commits (`alerts.signals`), by the daily tick and by `minsheng lights` (which rebuilds them all).
- `lights_invalidate(plan_ids)` — drop a plan's stored rows inside the changing transaction, so no page
  ever reads a light that is no longer true; readers compute a plan without rows live until it is refreshed.
- `lights_for_plans(plans, kinds, item_ids=None)` — items' and groups' lights of many plans: one query
  when their rows are current, the live computation (`item_statuses`) only for a plan whose rows are
  missing or from an earlier day. `item_lights(plans, item_ids)` and `group_lights(plans, kind)` are its
  two common uses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from minsheng.alerts.models import Light, LightKind
from minsheng.alerts.selectors import Rollup, item_statuses, light_day, rollup
from minsheng.alerts.status import ItemStatus, PartStatus, Status
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, ItemUnit, Plan


def _part_json(part: PartStatus) -> dict[str, Any]:
    return {
        "key": part.key,
        "status": str(part.status),
        "completion": part.completion,
        "expected": part.expected,
        "reached": None if part.reached is None else format(part.reached, "f"),
        "reference": part.reference_expected,
        "held": part.held,
        "achieved": part.achieved,
    }


def _part(data: dict[str, Any]) -> PartStatus:
    reached = data.get("reached")
    return PartStatus(
        key=int(data["key"]),
        status=Status(data["status"]),
        completion=float(data["completion"]),
        expected=float(data["expected"]),
        reached=None if reached is None else Decimal(reached),
        reference_expected=data.get("reference"),
        held=bool(data.get("held")),
        achieved=data.get("achieved"),
    )


def item_row(plan_id: int, on: dt.date, item_id: int, status: ItemStatus) -> Light:
    """The stored form of an item's light."""
    return Light(
        plan_id=plan_id,
        kind=LightKind.ITEM,
        key=item_id,
        on=on,
        status=str(status.status),
        completion=status.completion,
        expected=status.expected,
        reference_expected=status.reference_expected,
        values={
            "targets": [_part_json(p) for p in status.targets],
            "milestones": [_part_json(p) for p in status.milestones],
            "report_overdue": status.report_overdue,
            "accepted": status.accepted,
            "outcome": status.outcome,
            "held": status.held,
            "reasons": list(status.reasons),
        },
    )


def item_from_row(row: Light) -> ItemStatus:
    """The ItemStatus a stored row was made from (equal to the live one)."""
    values = row.values or {}
    return ItemStatus(
        status=Status(row.status),
        completion=row.completion,
        expected=row.expected,
        reference_expected=row.reference_expected,
        targets=tuple(_part(p) for p in values.get("targets", [])),
        milestones=tuple(_part(p) for p in values.get("milestones", [])),
        report_overdue=bool(values.get("report_overdue")),
        accepted=bool(values.get("accepted")),
        outcome=values.get("outcome"),
        held=bool(values.get("held")),
        reasons=tuple(values.get("reasons", [])),
    )


def group_row(plan_id: int, on: dt.date, kind: str, key: int, group: Rollup) -> Light:
    return Light(
        plan_id=plan_id,
        kind=kind,
        key=key,
        on=on,
        status=str(group.status),
        completion=group.completion,
        expected=group.expected,
        reference_expected=group.expected,
        total=group.total,
        counts=group.counts,
        values={"items": list(group.item_ids)},
    )


def rollup_from_row(row: Light) -> Rollup:
    return Rollup(
        status=Status(row.status),
        total=row.total,
        completion=row.completion,
        expected=row.expected,
        counts=dict(row.counts or {}),
        item_ids=tuple((row.values or {}).get("items", [])),
    )


def _groups(statuses: dict[int, ItemStatus], pairs: Iterable[tuple[int, int]]) -> dict[int, Rollup]:
    members: dict[int, dict[int, ItemStatus]] = defaultdict(dict)
    for group_id, item_id in pairs:
        if item_id in statuses:
            members[group_id][item_id] = statuses[item_id]
    return {group_id: rollup(found) for group_id, found in members.items()}


def plan_rows(plan: Plan, today: dt.date | None = None) -> list[Light]:
    """Every stored row of one plan, computed now from approved values."""
    on = light_day(plan, today)
    statuses = item_statuses(plan, on)
    rows = [item_row(plan.pk, on, item_id, status) for item_id, status in statuses.items()]
    projects = _groups(statuses, Item.objects.filter(project__plan=plan).values_list("project_id", "pk"))
    units = _groups(
        statuses,
        ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).values_list(
            "unit_id", "item_id"
        ),
    )
    rows += [group_row(plan.pk, on, LightKind.PROJECT, k, g) for k, g in projects.items()]
    rows += [group_row(plan.pk, on, LightKind.UNIT, k, g) for k, g in units.items()]
    rows.append(group_row(plan.pk, on, LightKind.PLAN, plan.pk, rollup(statuses)))
    return rows


# Sent after a plan's item lights are stored: `plan_id`, `statuses` (item id → light). Notifications
# listen to announce red lights once per change (notifications.services.red_lights_notify).
lights_stored = Signal()


@transaction.atomic
def lights_refresh(plan_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Recompute and store the lights of these plans; returns the number of rows written.

    Derived data, not a decision: nothing is audited (the changes that moved the lights are).
    """
    written = 0
    # One refresh of a plan at a time (two concurrent ones would both insert its rows); NO KEY UPDATE
    # still lets other transactions insert rows that refer to the plan (reports' audit rows…).
    for plan in Plan.objects.select_for_update(no_key=True).filter(pk__in=set(plan_ids)).order_by("pk"):
        rows = plan_rows(plan, today)
        Light.objects.filter(plan=plan).delete()
        Light.objects.bulk_create(rows)
        written += len(rows)
        statuses = {row.key: row.status for row in rows if row.kind == LightKind.ITEM}
        lights_stored.send(sender=Light, plan_id=plan.pk, statuses=statuses)
    return written


def lights_update_items(plan: Plan, item_ids: Iterable[int], today: dt.date | None = None) -> bool:
    """Recompute the stored rows of these items of one plan and of the roll-ups that include them (their
    projects, lead units and the plan), leaving every other row as it is: a fixed number of queries.

    For a change that moves only these items' own inputs (a submission: whether its report is overdue).
    Does nothing and returns False when the plan has no rows for today (dropped in this transaction, or
    from an earlier day): readers then compute it live until the next refresh. Takes the plan's row lock
    first, like `lights_refresh`, so two concurrent updates of one plan never roll up each other's stale
    rows. Call it inside the changing transaction (the rows are true when it commits)."""
    ids = set(item_ids)
    conn = transaction.get_connection()
    if conn.in_atomic_block and conn.features.has_select_for_update:
        list(Plan.objects.select_for_update(no_key=True).filter(pk=plan.pk).order_by().values_list("pk"))
    on = light_day(plan, today)
    rows = list(Light.objects.filter(plan_id=plan.pk).order_by("pk"))
    if not any(r.kind == LightKind.PLAN and r.on == on for r in rows) or any(r.on != on for r in rows):
        return False
    statuses = item_statuses(plan, on, item_ids=ids)
    items = {r.key: r for r in rows if r.kind == LightKind.ITEM}
    if set(statuses) - set(items):
        return False  # an item without a row: only a full refresh knows its groups
    current = {key: item_from_row(row) for key, row in items.items()}
    changed: list[Light] = []
    for item_id, status in statuses.items():
        fresh = item_row(plan.pk, on, item_id, status)
        if current[item_id] != status:
            row = items[item_id]
            for name in ("status", "completion", "expected", "reference_expected", "values"):
                setattr(row, name, getattr(fresh, name))
            changed.append(row)
        current[item_id] = status
    if not changed:
        return True
    moved = {row.key for row in changed}
    for row in rows:
        if row.kind == LightKind.ITEM:
            continue
        members = [int(k) for k in (row.values or {}).get("items", [])]  # in the rebuild's order
        if not moved.intersection(members):
            continue
        fresh = group_row(plan.pk, on, row.kind, row.key, rollup({m: current[m] for m in members}))
        for name in ("status", "completion", "expected", "reference_expected", "total", "counts", "values"):
            setattr(row, name, getattr(fresh, name))
        changed.append(row)
    now = timezone.now()
    for row in changed:
        row.computed_at = now  # bulk_update skips auto_now
    Light.objects.bulk_update(
        changed,
        [
            "status",
            "completion",
            "expected",
            "reference_expected",
            "total",
            "counts",
            "values",
            "computed_at",
        ],
    )
    lights_stored.send(
        sender=Light,
        plan_id=plan.pk,
        statuses={row.key: row.status for row in changed if row.kind == LightKind.ITEM},
    )
    return True


def lights_invalidate(plan_ids: Iterable[int]) -> None:
    """Drop the stored rows of these plans (readers compute them live until the next refresh).

    Takes the plans' row lock first, as `lights_refresh` does, so two transactions never delete and
    insert the same rows in different orders (a deadlock on PostgreSQL)."""
    ids = sorted(set(plan_ids))
    conn = transaction.get_connection()
    if conn.in_atomic_block and conn.features.has_select_for_update:  # SQLite locks the whole database
        list(Plan.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
    Light.objects.filter(plan_id__in=ids).delete()


@dataclass
class Lights:
    """Lights read for a page: items' (`items`) and groups' per kind (`groups["project"]`, …)."""

    items: dict[int, ItemStatus] = field(default_factory=dict)
    groups: dict[str, dict[int, Rollup]] = field(default_factory=lambda: defaultdict(dict))


def lights_for_plans(
    plans: Sequence[Plan],
    kinds: Iterable[str] = (LightKind.ITEM,),
    item_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> Lights:
    """Stored lights of `plans` of the given kinds (items: only `item_ids` when given) in one query;
    a plan without rows as of its light day is computed live (and not stored: reads never write)."""
    kinds = set(kinds)
    wanted = None if item_ids is None else set(item_ids)
    query = Q(kind__in=[*sorted(kinds - {LightKind.ITEM}), LightKind.PLAN])
    if LightKind.ITEM in kinds:
        query |= Q(kind=LightKind.ITEM) if wanted is None else Q(kind=LightKind.ITEM, key__in=sorted(wanted))
    by_plan: dict[int, list[Light]] = defaultdict(list)
    for row in Light.objects.filter(query, plan_id__in=[p.pk for p in plans]):
        by_plan[row.plan_id].append(row)
    found = Lights()
    for plan in plans:
        rows = by_plan.get(plan.pk, [])
        day = light_day(plan, today)
        if not any(r.kind == LightKind.PLAN and r.on == day for r in rows):
            if kinds == {LightKind.ITEM}:
                found.items.update(item_statuses(plan, day, item_ids=wanted))
                continue
            rows = plan_rows(plan, today)
        for row in rows:
            if row.kind not in kinds:
                continue
            if row.kind == LightKind.ITEM:
                if wanted is None or row.key in wanted:
                    found.items[row.key] = item_from_row(row)
            else:
                found.groups[row.kind][row.key] = rollup_from_row(row)
    return found


def item_lights(
    plans: Sequence[Plan], item_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> dict[int, ItemStatus]:
    """Lights of the items of `plans` (or only `item_ids`), as of each plan's light day."""
    return lights_for_plans(plans, (LightKind.ITEM,), item_ids, today).items


def group_lights(plans: Sequence[Plan], kind: str, today: dt.date | None = None) -> dict[int, Rollup]:
    """Roll-ups of one kind (project, unit or plan) for `plans`."""
    return lights_for_plans(plans, (kind,), None, today).groups[kind]
