"""Who may see and change sites, boundaries and photo checks.

- The office of the plan's region manages an item's sites and the per-site flag, the region's boundary,
  and prints 民生码 signs.
- Whoever reads the plan (plans.policies.can_view_plan) sees its sites; the public sees the sites of
  published plans (a site holds no personal data).
- Photo checks (EXIF time and GPS, flags) are for reviewers and the office only, like the originals.
"""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import region_is_within
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.plans.policies import can_edit_plan, can_view_plan
from minsheng.progress.policies import is_reviewer


def can_manage_sites(user: Any, plan: Plan) -> bool:
    """Adding, changing, importing sites; the per-site flag; signs."""
    return can_edit_plan(user, plan)


def can_view_sites(user: Any, plan: Plan) -> bool:
    return can_view_plan(user, plan)


def is_public(plan: Plan) -> bool:
    """The public pages (site page, 民生码) show published plans only."""
    return plan.status == PlanStatus.PUBLISHED


def can_manage_boundary(user: Any, region: Region) -> bool:
    """The office of the region (or of a region above it) uploads its outline."""
    if not has_role(user, Role.OFFICE):
        return False
    return user.region_id is None or region_is_within(region, user.region)


def can_see_photo_checks(user: Any, plan: Plan) -> bool:
    """EXIF time, GPS and the flags: reviewers and the office of the region."""
    return bool(getattr(user, "is_authenticated", False)) and is_reviewer(user, plan)


def uses_sites(user: Any) -> bool:
    """Navigation: the office's 点位 page."""
    return has_role(user, Role.OFFICE)
