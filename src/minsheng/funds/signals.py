"""Keep the stored fund lights true in the transaction that moves them: a report approved or returned (its
money starts or stops counting), a correction of an approved report's funds, a due date changed (the
schedule ends elsewhere). Planned money and thresholds refresh from their own services.

Derived data only; nothing is audited here.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from minsheng.funds.models import PlannedFund, ReportFunds
from minsheng.plans.models import Item, Milestone, Target
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport


def item_changed(item_id: int | None) -> None:
    """Refresh one item's fund light (nothing to do for an item without planned money)."""
    if item_id is None or not PlannedFund.objects.filter(item_id=item_id).exists():
        return
    from minsheng.funds.lights import fund_lights_refresh

    item = Item.objects.select_related("project__plan").filter(pk=item_id).first()
    if item is not None:  # None while the item itself is being deleted
        fund_lights_refresh(item.project.plan, [item_id])


def _report_changed(sender: Any, instance: ProgressReport, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if kwargs.get("signal") is post_save and instance.status not in (
        ReportStatus.APPROVED,
        ReportStatus.RETURNED,
    ):
        return
    item_changed(instance.item_id)


def _funds_changed(sender: Any, instance: ReportFunds, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    status = ProgressReport.objects.filter(pk=instance.report_id).values_list("status", "item_id").first()
    if status is not None and status[0] == ReportStatus.APPROVED:
        item_changed(status[1])


def _part_changed(sender: Any, instance: Target | Milestone, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        item_changed(instance.item_id)


RECEIVERS: tuple[tuple[Any, Any], ...] = (
    (ProgressReport, _report_changed),
    (ReportFunds, _funds_changed),
    (Target, _part_changed),
    (Milestone, _part_changed),
)


def connect() -> None:
    """Called once from `FundsConfig.ready`."""
    for model, receiver in RECEIVERS:
        uid = f"funds-lights-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete", weak=False)
