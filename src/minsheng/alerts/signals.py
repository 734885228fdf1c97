"""Keep the stored lights (`alerts.models.Light`) true: whatever changes a light drops its plan's rows in
the same transaction and refreshes them once that transaction commits.

What changes a light: a report leaving draft (submission, approval, return), approved values, targets and
milestones (edits), monthly plans, endings, reporting settings, periods (closing), snapshots, items and
their lead units. The schedule moves by itself: the daily tick (`minsheng lights`) handles that.

Model signals, not calls from `progress` and `plans`, so those apps import nothing from `alerts` (no
cycle). Audit rows are never written from signals; these only maintain derived data.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from minsheng.alerts.version import changes_bump_on_commit
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import (
    ItemOutcome,
    MilestoneState,
    Period,
    PeriodSnapshot,
    ProgressReport,
    ReportingSettings,
    TargetSchedule,
    TargetValue,
)

CALLBACK_MARK = "_minsheng_lights_plan"

# Sent (with `plan_id`) inside a transaction the first time something in it moves the plan's lights.
lights_invalidated = Signal()


def _pending(plan_id: int) -> bool:
    """A refresh of this plan is already due when the current transaction commits (and has not run:
    test helpers run callbacks without removing them)."""
    return any(
        getattr(entry[1], CALLBACK_MARK, None) == plan_id and not getattr(entry[1], "done", False)
        for entry in connection.run_on_commit
    )


def plan_changed(plan_id: int | None) -> None:
    """Drop the plan's stored lights now; rebuild them after commit (once per transaction).

    Lock order, the same everywhere: the plan's row (`lights_invalidate`, `lights_refresh`) before the
    change stamp's row in the database cache (`changes_bump_on_commit`) — the other order deadlocks two
    concurrent submissions on PostgreSQL."""
    if plan_id is None:
        return
    if connection.in_atomic_block and _pending(plan_id):
        changes_bump_on_commit()  # cached public pages and dashboard figures (core.changes)
        return  # this transaction already dropped the rows and announced it
    from minsheng.alerts.lights import lights_invalidate, lights_refresh

    lights_invalidate([plan_id])
    changes_bump_on_commit()
    lights_invalidated.send(sender=None, plan_id=plan_id)

    def refresh() -> None:
        refresh.done = True  # type: ignore[attr-defined]
        lights_refresh([plan_id])

    setattr(refresh, CALLBACK_MARK, plan_id)
    transaction.on_commit(refresh, robust=True)


def _plan_of_item(item_id: int | None, item: Item | None = None) -> int | None:
    """The item's plan: from the loaded item and project when the writer had them (services do)."""
    if item_id is None:
        return None
    project = None if item is None else item._state.fields_cache.get("project")
    if project is not None:
        return project.plan_id
    return Item.objects.filter(pk=item_id).values_list("project__plan_id", flat=True).first()


def report_submitted(report: ProgressReport) -> None:
    """A submission moves no approved value, so no light but its own item's "report overdue" can change,
    and only for the last period whose deadline has passed; a late (re)submission also moves the units'
    on-time counts (dashboard). Before the deadline nothing derived from it changes: nothing to do (no
    plan rebuild). Else the change stamp is renewed and, for that last period, the item's stored row and
    its roll-ups are updated in place (`lights_update_items`), or the plan refreshed if it cannot be."""
    from minsheng.alerts.lights import lights_update_items
    from minsheng.alerts.selectors import light_day

    cache = report._state.fields_cache
    item = cache.get("item")
    project = None if item is None else item._state.fields_cache.get("project")
    plan = None if project is None else project._state.fields_cache.get("plan")
    period = cache.get("period")
    if plan is None:
        plan_id = _plan_of_item(report.item_id, item)
        plan = None if plan_id is None else Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            return
    if period is None:
        period = Period.objects.get(pk=report.period_id)
    on = light_day(plan)
    if period.deadline >= on:
        return
    last_due = (
        Period.objects.filter(plan_id=plan.pk, deadline__lt=on)
        .order_by("-deadline")
        .values_list("pk", flat=True)
    ).first()
    if last_due == period.pk:
        if not (connection.in_atomic_block and _pending(plan.pk)) and not lights_update_items(
            plan, [report.item_id]
        ):
            plan_changed(plan.pk)
            return
    elif connection.in_atomic_block and connection.features.has_select_for_update:
        # The plan's row before the change stamp's, as everywhere (see plan_changed).
        list(Plan.objects.select_for_update(no_key=True).filter(pk=plan.pk).order_by().values_list("pk"))
    changes_bump_on_commit()


def _report_changed(sender: Any, instance: ProgressReport, **kwargs: Any) -> None:
    # A draft moves no light; a submission only its item's overdue flag (report_submitted); an approval,
    # a return or a deletion the plan's lights.
    saved = kwargs.get("signal") is post_save
    if saved and instance.status == ReportStatus.DRAFT:
        return
    if saved and instance.status == ReportStatus.SUBMITTED:
        report_submitted(instance)
        return
    plan_changed(_plan_of_item(instance.item_id, instance._state.fields_cache.get("item")))


def _value_changed(sender: Any, instance: TargetValue | MilestoneState, **kwargs: Any) -> None:
    report = instance._state.fields_cache.get("report")
    if report is not None and report.status != ReportStatus.APPROVED:
        return  # only approved values count
    item_id = (
        report.item_id
        if report is not None
        else ProgressReport.objects.filter(pk=instance.report_id).values_list("item_id", flat=True).first()
    )
    plan_changed(_plan_of_item(item_id))


def _item_part_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    plan_changed(_plan_of_item(instance.item_id))


def _schedule_changed(sender: Any, instance: TargetSchedule, **kwargs: Any) -> None:
    plan_changed(
        Target.objects.filter(pk=instance.target_id).values_list("item__project__plan_id", flat=True).first()
    )


def _item_changed(sender: Any, instance: Item, **kwargs: Any) -> None:
    plan_changed(Project.objects.filter(pk=instance.project_id).values_list("plan_id", flat=True).first())


def _plan_field_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    plan_changed(instance.plan_id)


def _snapshot_changed(sender: Any, instance: PeriodSnapshot, **kwargs: Any) -> None:
    plan_changed(Period.objects.filter(pk=instance.period_id).values_list("plan_id", flat=True).first())


RECEIVERS: tuple[tuple[Any, Any], ...] = (
    (ProgressReport, _report_changed),
    (TargetValue, _value_changed),
    (MilestoneState, _value_changed),
    (Target, _item_part_changed),
    (Milestone, _item_part_changed),
    (ItemOutcome, _item_part_changed),
    (ItemUnit, _item_part_changed),
    (TargetSchedule, _schedule_changed),
    (Item, _item_changed),
    (ReportingSettings, _plan_field_changed),
    (Period, _plan_field_changed),
    (PeriodSnapshot, _snapshot_changed),
)


def connect() -> None:
    """Called once from `AlertsConfig.ready`."""
    for model, receiver in RECEIVERS:
        uid = f"alerts-lights-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete", weak=False)
