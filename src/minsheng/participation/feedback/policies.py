"""Who may rate an item and who moderates comments."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item
from minsheng.progress.policies import is_office


def can_rate(item: Item) -> bool:
    """Anyone may rate an item of a published plan (who they are is the verifiers' business)."""
    return item.project.plan.status == PlanStatus.PUBLISHED


def can_moderate(user: Any, item: Item) -> bool:
    """The supervision office of the plan's region approves or hides comments."""
    return is_office(user, item.project.plan)


def can_moderate_any(user: Any) -> bool:
    """The moderation queue is the office's."""
    return has_role(user, Role.OFFICE)
