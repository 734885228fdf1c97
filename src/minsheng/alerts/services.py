"""Close a period: freeze every item's light and values (月末快照).

`period_close(*, acting_user, period) -> list[PeriodSnapshot]` — office only; refused while reports of the
period still wait for review or when already closed. Bulletins and charts of past months read the snapshots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.selectors import item_statuses
from minsheng.alerts.status import ItemStatus
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed
from minsheng.plans.models import Plan
from minsheng.progress import policies
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, PeriodSnapshot, ProgressReport
from minsheng.progress.services import TransitionError

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def _share(value: float) -> str:
    return f"{value:.4f}"


def snapshot_values(status: ItemStatus) -> dict:
    """The numbers behind a light, in JSON."""
    return {
        "targets": {
            str(p.key): {
                "reached": None if p.reached is None else format(p.reached, "f"),
                "completion": round(p.completion, 4),
                "expected": round(p.expected, 4),
                "reference": round(p.bar, 4),
                "status": str(p.status),
                "achieved": None if p.achieved is None else round(p.achieved, 4),
            }
            for p in status.targets
        },
        "milestones": {
            str(p.key): {
                "status": str(p.status),
                "completion": round(p.completion, 4),
                "expected": round(p.expected, 4),
                "reference": round(p.bar, 4),
            }
            for p in status.milestones
        },
        "report_overdue": status.report_overdue,
        "accepted": status.accepted,
        "outcome": status.outcome,
        "reasons": list(status.reasons),
    }


@transaction.atomic
def period_close(*, acting_user: User | None, period: Period) -> list[PeriodSnapshot]:
    """Freeze the lights and approved values of every item of the plan as of the period's end."""
    period = Period.objects.select_for_update().select_related("plan__region").get(pk=period.pk)
    plan = period.plan
    # acting_user=None: the operator's command or the scheduled task (audited as system).
    if acting_user is not None and not policies.can_manage(acting_user, plan):
        raise NotAllowed(_("Only the supervision office closes a period."))
    if period.closed_at is not None:
        raise TransitionError(_("The period %s is already closed.") % period)
    waiting = ProgressReport.objects.filter(period=period, status=ReportStatus.SUBMITTED).count()
    if waiting:
        raise TransitionError(
            _("%(n)d report(s) of %(period)s still wait for review; decide on them first.")
            % {"n": waiting, "period": period}
        )
    statuses = item_statuses(plan, on=period.end)
    snapshots = PeriodSnapshot.objects.bulk_create(
        [
            PeriodSnapshot(
                period=period,
                item_id=item_id,
                status=str(status.status),
                completion=_share(status.completion),
                expected=_share(status.expected),
                reference_expected=_share(status.reference_expected),
                values=snapshot_values(status),
            )
            for item_id, status in statuses.items()
        ]
    )
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=plan,
        plan=plan,
        object_type="progress.period",
        object_id=str(period.pk),
        object_repr=str(period),
        after={"closed_at": period.closed_at.isoformat(), "snapshots": len(snapshots)},
        message="period_close",
    )
    return snapshots


@dataclass
class ClosingRun:
    """What `periods_close_due` did: the periods it closed and, if it stopped, where and why."""

    closed: list[Period] = field(default_factory=list)
    stopped_at: Period | None = None
    reason: str = ""


def periods_close_due(
    *,
    acting_user: User | None,
    plan: Plan,
    on: dt.date | None = None,
    grace_days: int | None = None,
) -> ClosingRun:
    """Close every period of `plan` that ended before `on` (today) and is still open, oldest first.

    With `grace_days` (the scheduled run), only periods whose report deadline is more than that many
    days past, so late reports still land. Each period closes in its own transaction (`period_close`);
    the run stops at the first period that cannot close (reports still waiting for review), so months
    are never frozen out of order.
    """
    on = on or timezone.localdate()
    run = ClosingRun()
    due = Period.objects.filter(plan=plan, end__lt=on, closed_at__isnull=True).order_by("start")
    if grace_days is not None:
        due = due.filter(deadline__lt=on - dt.timedelta(days=grace_days))
    for period in due:
        try:
            period_close(acting_user=acting_user, period=period)
        except TransitionError as exc:
            run.stopped_at, run.reason = period, exc.message
            break
        run.closed.append(period)
    return run
