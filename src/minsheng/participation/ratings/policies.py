"""Who may prepare, rate, read and rectify (built on progress.policies).

- The supervision office of the plan's region prepares, opens and closes the rating and decides on
  rectification reports.
- Deputies (人大代表) whose region is the plan's region rate its projects, once each.
- Office, reviewers, leaders and deputies of the region read the event and the tasks; reporters read and
  report on the tasks of their unit. Results of a closed rating are public.
"""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.participation.ratings.choices import EventStatus
from minsheng.participation.ratings.models import RatingEvent, RectificationTask
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.progress.policies import in_region, is_office, unit_stands_for

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


def can_manage_rating(user: Any, plan: Plan) -> bool:
    """Preparing, opening and closing a rating: the office of the plan's region."""
    return is_office(user, plan)


def is_plan_deputy(user: Any, plan: Plan) -> bool:
    """A deputy of exactly the plan's region, on a published plan."""
    return (
        has_role(user, Role.DEPUTY)
        and user.region_id is not None
        and user.region_id == plan.region_id
        and plan.status == PlanStatus.PUBLISHED
    )


def can_view_event(user: Any, event: RatingEvent) -> bool:
    plan = event.plan
    if is_office(user, plan):
        return True
    if not any(has_role(user, role) for role in _READERS) or not in_region(user, plan):
        return False
    return plan.status == PlanStatus.PUBLISHED and event.status != EventStatus.DRAFT


def can_rate(user: Any, event: RatingEvent) -> bool:
    return is_plan_deputy(user, event.plan)


def results_public(event: RatingEvent) -> bool:
    """Results per project are published once the rating is closed."""
    return event.status == EventStatus.CLOSED and event.plan.status == PlanStatus.PUBLISHED


def task_unit_for(user: Any, task: RectificationTask) -> Any:
    """The unit of the task that `user` reports for (a reporter of it, or of a town a group stands for)."""
    if not has_role(user, Role.REPORTER) or user.unit_id is None:
        return None
    for unit in task.units.all():
        if unit_stands_for(unit, user.unit):
            return unit
    return None


def can_view_task(user: Any, task: RectificationTask) -> bool:
    plan = task.project.plan
    if any(has_role(user, role) for role in _READERS) and in_region(user, plan):
        return True
    return task_unit_for(user, task) is not None


def can_report_task(user: Any, task: RectificationTask) -> bool:
    return task_unit_for(user, task) is not None


def can_decide_task(user: Any, task: RectificationTask) -> bool:
    return is_office(user, task.project.plan)


def uses_ratings(user: Any) -> bool:
    """Navigation: the office prepares ratings, deputies rate."""
    return has_role(user, Role.OFFICE) or has_role(user, Role.DEPUTY)


def uses_rectification(user: Any) -> bool:
    """Navigation: the office decides, reporters report."""
    return has_role(user, Role.OFFICE) or has_role(user, Role.REPORTER)
