"""Who may see and change an item's money (资金)."""

from __future__ import annotations

from typing import Any

from minsheng.plans.models import Item, Plan
from minsheng.progress import policies as progress_policies


def can_view_funds(user: Any, plan: Plan) -> bool:
    """The funds page of a plan: everyone who may see its lights (office, reviewers, leaders, deputies of
    its region; reporters of published plans)."""
    return progress_policies.can_view_status(user, plan)


def can_edit_planned(user: Any, plan: Plan) -> bool:
    """Planned investment and the fund thresholds are the office's."""
    return progress_policies.can_manage(user, plan)


def can_report_funds(user: Any, item: Item) -> bool:
    """Funds in place and paid are part of the lead unit's report."""
    return progress_policies.can_report(user, item)
