"""Who may write and download bulletins: the supervision office, reviewers and leaders of the region;
deputies of the region read (download) them."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.progress.policies import in_region


def can_make_bulletin(user: Any, plan: Plan) -> bool:
    if not any(has_role(user, r) for r in (Role.OFFICE, Role.REVIEWER, Role.LEADER)):
        return False
    if not in_region(user, plan):
        return False
    return plan.status == PlanStatus.PUBLISHED or has_role(user, Role.OFFICE)


def can_read_bulletin(user: Any, plan: Plan) -> bool:
    """Those who write bulletins, and deputies of the region (read-only) for published plans."""
    if can_make_bulletin(user, plan):
        return True
    return has_role(user, Role.DEPUTY) and in_region(user, plan) and plan.status == PlanStatus.PUBLISHED


def can_list_bulletins(user: Any) -> bool:
    """Navigation: the roles that write or read bulletins."""
    return any(has_role(user, r) for r in (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY))


def can_set_documents(user: Any, plan: Plan) -> bool:
    """The issuing organ, 文号 abbreviation and copy list of a plan's documents: the office of its region."""
    return has_role(user, Role.OFFICE) and in_region(user, plan)
