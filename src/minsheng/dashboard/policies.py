"""Who may open the dashboard (驾驶舱): leaders and the supervision office of the plan's region, and deputies
(人大代表) of the region, who read it: the dashboard has no actions, only figures, links and downloads."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.progress.policies import in_region

DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE, Role.DEPUTY)


def can_use_dashboard(user: Any) -> bool:
    """Signed-in leaders, office staff and deputies."""
    return any(has_role(user, role) for role in DASHBOARD_ROLES)


def can_view_plan_dashboard(user: Any, plan: Plan, within: Collection[int] | None = None) -> bool:
    """Their region's plans: published ones, and drafts too for the office that prepares them.

    `within` — the ids of the user's region and those under it, when the caller has read them once for
    many plans (else the plan's region is checked on its own).
    """
    if not can_use_dashboard(user):
        return False
    inside = plan.region_id in within if within is not None else in_region(user, plan)
    if not inside:
        return False
    return plan.status == PlanStatus.PUBLISHED or has_role(user, Role.OFFICE)


def dashboard_plans_visible(user: Any, plans: Iterable[Plan], within: Collection[int] | None) -> list[Plan]:
    """`can_view_plan_dashboard` for many plans, the user's roles read once (not once per plan)."""
    if not can_use_dashboard(user):
        return []
    office = has_role(user, Role.OFFICE)
    return [
        plan
        for plan in plans
        if (plan.region_id in within if within is not None else in_region(user, plan))
        and (plan.status == PlanStatus.PUBLISHED or office)
    ]
