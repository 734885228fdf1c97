"""Who may change which units and regions: the managers of accounts, within their region."""

from __future__ import annotations

from typing import Any

from minsheng.accounts import policies as account_policies
from minsheng.orgs.models import Region, Unit


def can_manage_orgs(user: Any) -> bool:
    """The supervision office and the system administrator keep units and regions."""
    return account_policies.can_manage_orgs(user)


def can_change_unit(user: Any, unit: Unit) -> bool:
    """A unit of the manager's region or one below it."""
    return can_manage_orgs(user) and account_policies.in_managed_region(user, unit.region_id)


def can_add_region_under(user: Any, parent: Region) -> bool:
    """A new region goes under the manager's region or one below it (a city office adds a district)."""
    return can_manage_orgs(user) and account_policies.in_managed_region(user, parent.pk)


def can_edit_region_portal(user: Any, region: Region) -> bool:
    """The portal footer of the manager's region or one below it."""
    return can_manage_orgs(user) and account_policies.in_managed_region(user, region.pk)
