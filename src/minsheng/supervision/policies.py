"""Who may issue, read, answer and close supervision notices (built on progress.policies)."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.models import Item
from minsheng.progress.policies import in_region, is_reviewer, unit_stands_for
from minsheng.supervision.models import SupervisionNotice


def unit_answers_for(user: Any, unit: Any) -> bool:
    """True for a reporter of `unit`, or of a town/street that the group word `unit` stands for."""
    if not has_role(user, Role.REPORTER) or user.unit_id is None:
        return False
    return unit_stands_for(unit, user.unit)


def can_issue_notice(user: Any, item: Item) -> bool:
    """Reviewers and the office of the plan's region issue notices."""
    return is_reviewer(user, item.project.plan)


def can_view_notice(user: Any, notice: SupervisionNotice) -> bool:
    """Reviewers, office, leaders and deputies (人大代表, read-only) of the plan's region; reporters of the
    unit addressed. The public does not see notices: they are internal correspondence.
    """
    plan = notice.item.project.plan
    if is_reviewer(user, plan):
        return True
    if (has_role(user, Role.LEADER) or has_role(user, Role.DEPUTY)) and in_region(user, plan):
        return True
    return unit_answers_for(user, notice.unit)


def can_reply_notice(user: Any, notice: SupervisionNotice) -> bool:
    """Only a reporter of the unit addressed answers a notice."""
    return unit_answers_for(user, notice.unit)


def can_decide_notice(user: Any, notice: SupervisionNotice) -> bool:
    """Closing or returning a reply is the issuers' decision."""
    return can_issue_notice(user, notice.item)


def can_list_notices(user: Any) -> bool:
    """The notice list is for the office, reviewers, leaders, deputies and reporters."""
    return any(
        has_role(user, r) for r in (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY, Role.REPORTER)
    )
