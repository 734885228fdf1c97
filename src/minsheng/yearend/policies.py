"""Who may see and do what at the year's end: the supervision office of the plan's region sets the
reading date, closes the year, corrects final results and carries items over; reviewers, leaders and
deputies of the region read the year-end page and download the completion report."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.progress.policies import in_region

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def can_read_year_end(user: Any, plan: Plan) -> bool:
    """The year-end page and the completion report of a published plan of the user's region."""
    if not _signed_in(user) or plan.status != PlanStatus.PUBLISHED:
        return False
    return any(has_role(user, role) for role in _READERS) and in_region(user, plan)


def can_manage_year_end(user: Any, plan: Plan) -> bool:
    """Reading date, closing, corrections and carry-over: the office of the plan's region."""
    return _signed_in(user) and has_role(user, Role.OFFICE) and in_region(user, plan)


def uses_year_end(user: Any) -> bool:
    """Navigation (年终): the office, and the reviewers, leaders and deputies who read the page."""
    return _signed_in(user) and any(has_role(user, role) for role in _READERS)
