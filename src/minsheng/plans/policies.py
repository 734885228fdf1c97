"""Who may see and change plans."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.core.exceptions import Conflict
from minsheng.orgs.selectors import group_members, region_is_within
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import ItemUnit, Plan

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


def _in_scope(user: Any, plan: Plan) -> bool:
    """A user without a region sees every region; otherwise their region and those under it."""
    return user.region_id is None or region_is_within(plan.region, user.region)


def can_view_plan(user: Any, plan: Plan) -> bool:
    """Office staff see their region's plans, drafts included; others see published plans only.

    Reporters see a published plan when their unit (or a group standing for it) takes part in it.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, Role.OFFICE):
        return _in_scope(user, plan)
    if plan.status != PlanStatus.PUBLISHED:
        return False
    if any(has_role(user, role) for role in _READERS):
        return _in_scope(user, plan)
    if has_role(user, Role.REPORTER) and user.unit_id is not None:
        return unit_takes_part(user.unit, plan)
    return False


def unit_takes_part(unit: Any, plan: Plan) -> bool:
    """True when `unit` leads or assists an item of `plan`, directly or through a group word."""
    plan_units = ItemUnit.objects.filter(item__project__plan=plan)
    if plan_units.filter(unit=unit).exists():
        return True
    groups = {iu.unit for iu in plan_units.filter(unit__kind="group").select_related("unit")}
    return any(group_members(group).filter(pk=unit.pk).exists() for group in groups)


def can_edit_plan(user: Any, plan: Plan) -> bool:
    """Only the supervision office of the plan's region (or above it) corrects a plan."""
    return has_role(user, Role.OFFICE) and _in_scope(user, plan)


def year_closed(plan: Plan) -> bool:
    """年度关账: the plan's year is closed (`Plan.year_closed_at`, set by `minsheng.yearend`)."""
    return plan.year_closed_at is not None


def year_open_check(plan: Plan, *, reload: bool = True) -> None:
    """Refuse a change to a plan whose year is closed, whoever asks (the command line too): its final
    result is frozen; the office records a correction on the year-end page instead. `reload=False` when
    the caller has just read the plan (saves a query); else the flag is read afresh."""
    if reload:
        plan.year_closed_at = Plan.objects.filter(pk=plan.pk).values_list("year_closed_at", flat=True).first()
    if year_closed(plan):
        raise Conflict(
            _(
                "The year %(year)s of “%(plan)s” is closed: its targets, reports and endings no longer "
                "change. The office records a correction of the final result on the year-end page."
            )
            % {"year": plan.year, "plan": plan.title}
        )


def can_publish_plan(user: Any, plan: Plan) -> bool:
    """Publishing is an office decision too."""
    return can_edit_plan(user, plan)
