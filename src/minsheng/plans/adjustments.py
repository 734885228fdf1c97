"""Corrections after commit, on the plan page: an item's text and units, adding and removing targets and
milestones, changing a target.

Before publishing the office corrects freely (each change audited before → after). After publishing, a
change of a target or of an item's scope (text, units) is a 项目调整 (`Adjustment`): it needs a reason
and is shown on the portal beside the original.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Adjustment, Item, Milestone, Plan, Target
from minsheng.plans.policies import can_edit_plan, year_open_check
from minsheng.plans.services import (
    MILESTONE_FIELDS,
    TARGET_FIELDS,
    _jsonable,
    item_units_set,
    item_update,
    target_create,
    target_delete,
    target_update,
    year_end,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def needs_reason(plan: Plan) -> bool:
    """After publishing, changing a target or an item's scope is an adjustment with a reason."""
    return plan.status == PlanStatus.PUBLISHED


def _check(acting_user: User | None, plan: Plan, reason: str) -> str:
    year_open_check(plan)
    if acting_user is not None and not can_edit_plan(acting_user, plan):
        raise NotAllowed(_("Only the supervision office of this plan's region may change it."))
    reason = (reason or "").strip()
    if needs_reason(plan) and not reason:
        raise ValidationFailed(
            _("The plan is published: say why it changes (this adjustment is shown publicly)."),
            field="reason",
        )
    return reason


def _record(
    acting_user: User | None,
    plan: Plan,
    kind: str,
    reason: str,
    *,
    item: Item | None,
    target: Target | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    if needs_reason(plan) and before != after:
        adjustment_record(
            acting_user=acting_user,
            plan=plan,
            kind=kind,
            reason=reason,
            item=item,
            target=target,
            before=before,
            after=after,
        )


def adjustment_record(
    *,
    acting_user: User | None,
    plan: Plan,
    kind: str,
    reason: str,
    item: Item | None = None,
    target: Target | None = None,
    before: Any = None,
    after: Any = None,
) -> Adjustment:
    """Write one adjustment (项目调整) and its audit row; callers hold the transaction and checked the reason."""
    adjustment = Adjustment.objects.create(
        plan=plan,
        item=item,
        target=target,
        kind=kind,
        before=before,
        after=after,
        reason=reason,
        created_by=acting_user if acting_user is not None and acting_user.pk else None,
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=adjustment,
        plan=plan,
        before=before if isinstance(before, dict) else {"value": before},
        after={"kind": kind, "reason": reason, "after": after},
    )
    return adjustment


def _units(item: Item) -> dict[str, list[str]]:
    rows = list(item.item_units.order_by("role", "position"))
    return {
        "lead_units": [r.written_as for r in rows if r.role == UnitRole.LEAD],
        "partner_units": [r.written_as for r in rows if r.role == UnitRole.PARTNER],
    }


@transaction.atomic
def item_correct(
    *,
    acting_user: User | None,
    item: Item,
    text: str | None = None,
    lead_units: list[str] | None = None,
    partner_units: list[str] | None = None,
    reason: str = "",
    create_units: bool = False,
) -> Item:
    """Correct an item's text and units (an adjustment with a reason once the plan is published)."""
    plan = item.project.plan
    reason = _check(acting_user, plan, reason)
    before = {"text": item.text, **_units(item)}
    if text is not None:
        item_update(acting_user=acting_user, item=item, text=text)
    if lead_units is not None:
        item_units_set(
            acting_user=acting_user,
            item=item,
            role=UnitRole.LEAD,
            names=lead_units,
            create_units=create_units,
        )
    if partner_units is not None:
        item_units_set(
            acting_user=acting_user,
            item=item,
            role=UnitRole.PARTNER,
            names=partner_units,
            create_units=create_units,
        )
    after = {"text": item.text, **_units(item)}
    changed = [k for k in before if before[k] != after[k]]
    if changed:
        _record(
            acting_user,
            plan,
            "item",
            reason,
            item=item,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return item


def _target_state(target: Target) -> dict[str, Any]:
    return {name: _jsonable(getattr(target, name)) for name in TARGET_FIELDS}


@transaction.atomic
def target_correct(*, acting_user: User | None, target: Target, reason: str = "", **fields: Any) -> Target:
    """Change a target (an adjustment with a reason once the plan is published)."""
    plan = target.item.project.plan
    reason = _check(acting_user, plan, reason)
    before = _target_state(target)
    target_update(acting_user=acting_user, target=target, **fields)
    after = _target_state(target)
    _record(acting_user, plan, "target", reason, item=target.item, target=target, before=before, after=after)
    return target


@transaction.atomic
def target_add(*, acting_user: User | None, item: Item, reason: str = "", **fields: Any) -> Target:
    """Add a target (an adjustment with a reason once the plan is published)."""
    plan = item.project.plan
    reason = _check(acting_user, plan, reason)
    target = target_create(acting_user=acting_user, item=item, **fields)
    _record(acting_user, plan, "target_added", reason, item=item, target=target, after=_target_state(target))
    return target


@transaction.atomic
def target_remove(*, acting_user: User | None, target: Target, reason: str = "") -> None:
    """Remove a target (an adjustment with a reason once the plan is published). What was reported
    against it goes with it, so the page warns first."""
    item = target.item
    plan = item.project.plan
    reason = _check(acting_user, plan, reason)
    before = _target_state(target)
    target_delete(acting_user=acting_user, target=target)
    _record(acting_user, plan, "target_removed", reason, item=item, before=before)


@transaction.atomic
def milestone_add(
    *, acting_user: User | None, item: Item, subject: str, state: str, quote: str = ""
) -> Milestone:
    """Add a milestone the parser missed (a named work and the state it must reach)."""
    plan = item.project.plan
    year_open_check(plan)
    if acting_user is not None and not can_edit_plan(acting_user, plan):
        raise NotAllowed(_("Only the supervision office of this plan's region may change it."))
    subject, state = (subject or "").strip(), (state or "").strip()
    if not subject or not state:
        raise ValidationFailed(_("A milestone needs the work and the state it must reach."), field="subject")
    position = (item.milestones.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    milestone = Milestone.objects.create(
        item=item,
        position=position,
        quote=(quote or "").strip() or subject + state,
        subject=subject,
        state=state,
        due_date=year_end(plan.year),
    )
    after = {name: _jsonable(getattr(milestone, name)) for name in MILESTONE_FIELDS}
    audit_record(actor=acting_user, action=Action.CREATE, obj=milestone, plan=plan, after=after)
    return milestone


@transaction.atomic
def milestone_remove(*, acting_user: User | None, milestone: Milestone) -> None:
    """Remove a milestone the parser read by mistake."""
    plan = milestone.item.project.plan
    year_open_check(plan)
    if acting_user is not None and not can_edit_plan(acting_user, plan):
        raise NotAllowed(_("Only the supervision office of this plan's region may change it."))
    before = {name: _jsonable(getattr(milestone, name)) for name in MILESTONE_FIELDS}
    audit_record(actor=acting_user, action=Action.DELETE, obj=milestone, plan=plan, before=before)
    milestone.delete()


@transaction.atomic
def item_revise(
    *,
    acting_user: User | None,
    item: Item,
    text: str,
    lead_units: list[str],
    partner_units: list[str],
    add_target: dict[str, Any] | None = None,
    add_milestone: dict[str, str] | None = None,
    remove_targets: list[int] | None = None,
    remove_milestones: list[int] | None = None,
    reason: str = "",
    create_units: bool = False,
) -> Item:
    """Everything the item page corrects at once, in one transaction: nothing is half-applied."""
    item_correct(
        acting_user=acting_user,
        item=item,
        text=text,
        lead_units=lead_units,
        partner_units=partner_units,
        reason=reason,
        create_units=create_units,
    )
    for target in item.targets.filter(pk__in=remove_targets or []):
        target_remove(acting_user=acting_user, target=target, reason=reason)
    for milestone in item.milestones.filter(pk__in=remove_milestones or []):
        milestone_remove(acting_user=acting_user, milestone=milestone)
    if add_target:
        target_add(acting_user=acting_user, item=item, reason=reason, **add_target)
    if add_milestone:
        milestone_add(acting_user=acting_user, item=item, **add_milestone)
    return item
