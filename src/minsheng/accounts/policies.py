"""Who has which role."""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role


def user_roles(user: Any) -> set[str]:
    """The role names of `user` (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_minsheng_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._minsheng_roles = cached
    return cached


def has_role(user: Any, role: Role | str) -> bool:
    """True when `user` is signed in, active and in the group named `role`."""
    return str(role) in user_roles(user)


def can_manage_accounts(user: Any) -> bool:
    """Only the supervision office creates and changes accounts."""
    return has_role(user, Role.OFFICE)
