"""Who may see and change an item's money (资金)."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.models import Item, Plan
from minsheng.progress import policies as progress_policies


def can_view_funds(user: Any, plan: Plan) -> bool:
    """The funds page of a plan: the office, reviewers, leaders and deputies of its region (reporters
    report their own item's money on the report form)."""
    readers = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)
    return any(has_role(user, r) for r in readers) and progress_policies.can_view_status(user, plan)


def can_edit_planned(user: Any, plan: Plan) -> bool:
    """Planned investment and the fund thresholds are the office's."""
    return progress_policies.can_manage(user, plan)


def can_report_funds(user: Any, item: Item) -> bool:
    """Funds in place and paid are part of the lead unit's report."""
    return progress_policies.can_report(user, item)


def uses_funds(user: Any) -> bool:
    """The navigation link: the office, reviewers and leaders follow the money."""
    return any(has_role(user, role) for role in (Role.OFFICE, Role.REVIEWER, Role.LEADER))
