"""Who may propose, screen and see what in a solicitation (征集)."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.selectors import region_is_within


def in_region(user: Any, region: Any) -> bool:
    """A user without a region works on every region; otherwise on theirs and those under it."""
    return user.region_id is None or region_is_within(region, user.region)


def can_manage_solicitations(user: Any) -> bool:
    """The solicitation pages (list, screening) are the supervision office's."""
    return has_role(user, Role.OFFICE)


def can_screen(user: Any, solicitation: Any) -> bool:
    """The office of the solicitation's region screens, merges, rejects and shortlists, and may reveal
    a proposer's contact (audited)."""
    return has_role(user, Role.OFFICE) and in_region(user, solicitation.region)


def can_propose_as_unit(user: Any, solicitation: Any) -> bool:
    """A unit (its reporter) or the office of the region proposes on the unit page."""
    if has_role(user, Role.OFFICE):
        return in_region(user, solicitation.region)
    if has_role(user, Role.REPORTER) and user.unit_id is not None:
        return region_is_within(user.unit.region, solicitation.region)
    return False


def can_use_unit_page(user: Any) -> bool:
    return has_role(user, Role.OFFICE) or (has_role(user, Role.REPORTER) and user.unit_id is not None)
