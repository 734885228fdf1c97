"""Who has which role, and who may manage which accounts, units and regions."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from minsheng.accounts.choices import (
    ADMIN_ROLES,
    OFFICE_ASSIGNABLE_ROLES,
    STAFF_ROLES,
    TOTP_ROLES,
    Role,
)


def user_roles(user: Any, *, include_inactive: bool = False) -> set[str]:
    """The role names of `user` (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if not user.is_active and not include_inactive:
        return set()
    cached = getattr(user, "_minsheng_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._minsheng_roles = cached
    return cached


def has_role(user: Any, role: Role | str) -> bool:
    """True when `user` is signed in, active and in the group named `role`."""
    return str(role) in user_roles(user)


def admin_role_conflict(roles: set[str] | list[str]) -> list[str]:
    """The administrator roles in `roles` when there are two or more of them (三权分立), else []."""
    held = sorted(ADMIN_ROLES & set(roles))
    return held if len(held) > 1 else []


def is_system_admin(user: Any) -> bool:
    """The system administrator: accounts, units, regions, settings, and Django admin."""
    return has_role(user, Role.SYSTEM_ADMIN)


def is_security_admin(user: Any) -> bool:
    """The security administrator: sign-in locks and sessions."""
    return has_role(user, Role.SECURITY_ADMIN)


def is_audit_admin(user: Any) -> bool:
    """The audit administrator: reads the audit trail, nothing else."""
    return has_role(user, Role.AUDIT_ADMIN)


def can_use_django_admin(user: Any) -> bool:
    """Django admin is for the system administrator (and a break-glass superuser) only."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or (user.is_staff and is_system_admin(user)))


def can_manage_accounts(user: Any) -> bool:
    """The supervision office (within its region) and the system administrator manage accounts."""
    return has_role(user, Role.OFFICE) or is_system_admin(user)


def can_manage_orgs(user: Any) -> bool:
    """Units and regions are kept by the same people as accounts."""
    return can_manage_accounts(user)


def manager_region_ids(user: Any) -> set[int] | None:
    """The regions whose accounts and units `user` manages: its region and those below it.

    None means every region: only a system administrator without a region has it. An office account
    without a region manages nothing (an empty set), so a forgotten --region never widens its reach.
    """
    if not can_manage_accounts(user):
        return set()
    if user.region_id is None:
        return None if is_system_admin(user) else set()
    from minsheng.orgs.selectors import user_region_ids

    return user_region_ids(user)


def in_managed_region(user: Any, region_id: int | None) -> bool:
    """True when `region_id` lies in what `user` manages (None only for unscoped managers)."""
    scope = manager_region_ids(user)
    if scope is None:
        return can_manage_accounts(user)
    return region_id is not None and region_id in scope


def assignable_roles(user: Any) -> list[Role]:
    """The roles `user` may give: the office its working roles, the system administrator every role."""
    if is_system_admin(user):
        return list(Role)
    if has_role(user, Role.OFFICE):
        return list(OFFICE_ASSIGNABLE_ROLES)
    return []


def can_manage_account(user: Any, account: Any) -> bool:
    """May `user` change `account`? Its region (or its unit's) must be in scope, and an office may not
    touch administrators or itself-made superusers."""
    if not can_manage_accounts(user) or account.is_superuser:
        return False
    if not is_system_admin(user) and (user_roles(account, include_inactive=True) & ADMIN_ROLES):
        return False
    region_id = account.region_id
    if region_id is None and account.unit_id is not None:
        region_id = account.unit.region_id
    scope = manager_region_ids(user)
    if scope is None:
        return True
    return region_id is not None and region_id in scope


def needs_second_factor(user: Any) -> bool:
    """Office, reviewers and the three administrators confirm a one-time code when TOTP is required."""
    from minsheng.accounts.security_policy import security_policy

    if not security_policy().totp_required:
        return False
    return bool(user_roles(user) & TOTP_ROLES) or bool(getattr(user, "is_superuser", False))


def password_expires(user: Any) -> bool:
    """Staff passwords expire under the MLPS profile."""
    if not getattr(settings, "MINSHENG_MLPS", False):
        return False
    return bool(user_roles(user) & STAFF_ROLES) or bool(getattr(user, "is_staff", False))


def can_manage_sign_in_locks(user: Any) -> bool:
    """Lifting sign-in locks and ending sessions is the security administrator's."""
    return is_security_admin(user)


def can_edit_security_settings(user: Any) -> bool:
    """Only the security administrator sets the sign-in and session rules (三权分立)."""
    return is_security_admin(user)


def can_read_audit_trail(user: Any) -> bool:
    """The audit administrator reads the whole trail."""
    return is_audit_admin(user)
