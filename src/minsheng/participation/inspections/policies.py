"""Who may record, read, publish and answer (built on progress and supervision policies).

- Deputies (人大代表) of the plan's region (or above it) record inspections and ask questions on
  published plans.
- Office, reviewers, leaders and deputies of the region read them; a question is also read and answered
  by the reporters of the unit it is addressed to; an inspection is read by the reporters of an inspected
  item's lead unit.
- The office marks an inspection public (then its findings and clean photos show on the portal).
"""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.participation.inspections.models import Inspection, Question
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item, Plan
from minsheng.progress.policies import can_report, in_region, is_office
from minsheng.supervision.policies import unit_answers_for

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


def is_region_deputy(user: Any, plan: Plan) -> bool:
    return has_role(user, Role.DEPUTY) and in_region(user, plan) and plan.status == PlanStatus.PUBLISHED


def reads_region(user: Any, plan: Plan) -> bool:
    """Office, reviewers, leaders and deputies of the region, on a published plan."""
    return (
        any(has_role(user, role) for role in _READERS)
        and in_region(user, plan)
        and plan.status == PlanStatus.PUBLISHED
    )


def can_record_inspection(user: Any, plan: Plan) -> bool:
    return is_region_deputy(user, plan)


def can_view_inspection(user: Any, inspection: Inspection) -> bool:
    if reads_region(user, inspection.plan):
        return True
    return any(can_report(user, item) for item in inspection.items.all())


def can_mark_public(user: Any, inspection: Inspection) -> bool:
    return is_office(user, inspection.plan)


def can_view_original(user: Any, inspection: Inspection) -> bool:
    """Originals keep GPS and camera data: the office only."""
    return is_office(user, inspection.plan)


def can_ask(user: Any, item: Item) -> bool:
    return is_region_deputy(user, item.project.plan)


def can_view_question(user: Any, question: Question) -> bool:
    return reads_region(user, question.item.project.plan) or unit_answers_for(user, question.unit)


def can_answer(user: Any, question: Question) -> bool:
    return unit_answers_for(user, question.unit)


def uses_inspections(user: Any) -> bool:
    """Navigation: deputies record and ask; the office reads and marks inspections public."""
    return has_role(user, Role.DEPUTY) or has_role(user, Role.OFFICE)


def answers_questions(user: Any) -> bool:
    """Navigation: reporters answer the questions addressed to their unit."""
    return has_role(user, Role.REPORTER)
