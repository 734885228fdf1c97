"""Who may import and export lists."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import region_is_within
from minsheng.plans.models import Plan
from minsheng.plans.policies import can_view_plan


def can_import(user: Any, region: Region | None = None) -> bool:
    """Only the supervision office imports, and only into its own region (or one under it)."""
    if not has_role(user, Role.OFFICE):
        return False
    return region is None or user.region_id is None or region_is_within(region, user.region)


def can_export(user: Any, plan: Plan) -> bool:
    """Whoever may see a plan may take it away as a file."""
    return can_view_plan(user, plan)
