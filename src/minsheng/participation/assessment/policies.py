"""Who sees unit scores and who sets the weights and computes them."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.progress.policies import in_region, is_office

READERS = (Role.OFFICE, Role.LEADER, Role.DEPUTY)


def can_list_assessments(user: Any) -> bool:
    """The office, leaders and deputies (人大代表) read unit scores; units do not see the ranking."""
    return any(has_role(user, role) for role in READERS)


def can_view_assessment(user: Any, plan: Plan) -> bool:
    """Readers of the plan's region, once the plan is published."""
    return plan.status == PlanStatus.PUBLISHED and can_list_assessments(user) and in_region(user, plan)


def can_manage_assessment(user: Any, plan: Plan) -> bool:
    """The supervision office of the plan's region sets the weights and computes the scores."""
    return plan.status == PlanStatus.PUBLISHED and is_office(user, plan)
