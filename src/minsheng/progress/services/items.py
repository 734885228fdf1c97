"""Extension requests, item endings and the monthly plan of a target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, ValidationFailed
from minsheng.plans.models import Item, Target
from minsheng.plans.policies import year_open_check
from minsheng.progress import policies
from minsheng.progress.choices import ExtensionStatus, OutcomeKind
from minsheng.progress.models import ExtensionRequest, ItemOutcome, TargetSchedule
from minsheng.progress.services.common import (
    TransitionError,
    _decimal,
    _item_for_write,
    _require,
    _user_or_none,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User


@transaction.atomic
def extension_request(
    *, acting_user: User | None, target: Target, requested_due_date: dt.date, reason: str
) -> ExtensionRequest:
    """A lead unit asks to move a target's due date (延期申请)."""
    target = Target.objects.select_related("item__project__plan").get(pk=target.pk)
    item = _item_for_write(target.item)
    _require(
        policies.can_request_extension(acting_user, item), _("Only the lead unit may ask for an extension.")
    )
    assert acting_user is not None
    if not (reason or "").strip():
        raise ValidationFailed(_("Give a reason for the extension."), field="reason")
    if requested_due_date <= target.due_date:
        raise ValidationFailed(
            _("The new due date must be after the current one (%s).") % target.due_date,
            field="requested_due_date",
        )
    if ExtensionRequest.objects.filter(target=target, status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("This target already has an extension request waiting for a decision."))
    assert acting_user.unit is not None  # can_request_extension needs a unit
    request = ExtensionRequest.objects.create(
        target=target,
        unit=acting_user.unit,
        original_due_date=target.due_date,
        requested_due_date=requested_due_date,
        reason=reason.strip(),
        requested_by=_user_or_none(acting_user),
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=request,
        plan=item.project.plan,
        after={"target": target.pk, "due_date": str(target.due_date), "requested": str(requested_due_date)},
        message="extension_request",
    )
    return request


@transaction.atomic
def extension_decide(
    *, acting_user: User | None, request: ExtensionRequest, approve: bool, comment: str = ""
) -> ExtensionRequest:
    """The office approves (the target's due date moves) or refuses; the original date stays on record."""
    from minsheng.plans.services import target_update

    request = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("target__item__project__plan")
        .get(pk=request.pk)
    )
    plan = request.target.item.project.plan
    _require(policies.can_manage(acting_user, plan), _("Only the supervision office decides on extensions."))
    year_open_check(plan, reload=False)
    if request.status != ExtensionStatus.PENDING:
        raise TransitionError(_("This request was already decided."))
    if not approve and not (comment or "").strip():
        raise ValidationFailed(_("Say why the extension is refused."), field="comment")
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by = _user_or_none(acting_user)
    request.decided_at = timezone.now()
    request.decision_comment = (comment or "").strip()
    request.save()
    if approve:
        target_update(acting_user=acting_user, target=request.target, due_date=request.requested_due_date)
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=request,
        plan=plan,
        before={"status": ExtensionStatus.PENDING},
        after={"status": request.status, "comment": request.decision_comment},
        message="extension_decide",
    )
    return request


@transaction.atomic
def item_end(
    *,
    acting_user: User | None,
    item: Item,
    kind: str,
    reason: str = "",
    ended_on: dt.date | None = None,
) -> ItemOutcome:
    """Record how an item ended: done (accepted, 验收), done after an approved change, or terminated."""
    item = _item_for_write(item)
    plan = item.project.plan
    _require(policies.can_manage(acting_user, plan), _("Only the supervision office ends an item."))
    if kind not in OutcomeKind.values:
        raise ValidationFailed(_("“%s” is not a way an item can end.") % kind, field="kind")
    reason = (reason or "").strip()
    if kind != OutcomeKind.DONE and not reason:
        raise ValidationFailed(_("An adjusted or terminated item needs a reason."), field="reason")
    outcome = ItemOutcome.objects.filter(item=item).first()
    before = (
        None
        if outcome is None
        else {"kind": outcome.kind, "reason": outcome.reason, "ended_on": str(outcome.ended_on)}
    )
    outcome = outcome or ItemOutcome(item=item)
    outcome.kind, outcome.reason = kind, reason
    outcome.ended_on = ended_on or timezone.localdate()
    outcome.decided_by = _user_or_none(acting_user)
    outcome.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=outcome,
        plan=plan,
        before=before,
        after={"kind": kind, "reason": reason, "ended_on": str(outcome.ended_on)},
        message="item_end",
    )
    return outcome


@transaction.atomic
def target_schedule_set(
    *, acting_user: User | None, target: Target, monthly: list[Any] | None
) -> TargetSchedule | None:
    """Set (or with None, remove) the office's monthly plan for a target: 12 cumulative percentages."""
    target = Target.objects.select_related("item__project__plan").get(pk=target.pk)
    plan = target.item.project.plan
    _require(policies.can_manage(acting_user, plan), _("Only the supervision office sets monthly plans."))
    year_open_check(plan, reload=False)
    current = TargetSchedule.objects.filter(target=target).first()
    before = None if current is None else {"monthly": current.monthly}
    if monthly is None:
        if current is not None:
            current.delete()
            audit_record(
                actor=acting_user,
                action=Action.DELETE,
                obj=target,
                plan=plan,
                before=before,
                message="target_schedule",
            )
        return None
    if len(monthly) != 12:
        raise ValidationFailed(_("A monthly plan has twelve values, one per month."), field="monthly")
    values: list[Decimal] = []
    for month, raw in enumerate(monthly, start=1):
        number = _decimal(raw, _("Month %d") % month)
        if number > 100:
            raise ValidationFailed(_("Month %d: a share cannot exceed 100 %%.") % month, field="monthly")
        if values and number < values[-1]:
            raise ValidationFailed(
                _("Month %d: the cumulative plan cannot go down.") % month, field="monthly"
            )
        values.append(number)
    schedule = current or TargetSchedule(target=target)
    schedule.monthly = [float(v) for v in values]
    schedule.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE if current else Action.CREATE,
        obj=target,
        plan=plan,
        before=before,
        after={"monthly": schedule.monthly},
        message="target_schedule",
    )
    return schedule
