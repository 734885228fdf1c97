"""Who may see notifications: each person only their own."""

from __future__ import annotations

from typing import Any

from minsheng.notifications.models import Notification


def can_view_notification(user: Any, notification: Notification) -> bool:
    """A notification is private to the person it was sent to."""
    return getattr(user, "is_authenticated", False) and notification.user_id == user.pk


def can_manage_webhooks(user: Any, unit: Any) -> bool:
    """The supervision office of the unit's region (or above it) sets the unit's group robots."""
    from minsheng.accounts.choices import Role
    from minsheng.accounts.policies import has_role
    from minsheng.orgs.selectors import region_is_within

    if not has_role(user, Role.OFFICE):
        return False
    return user.region_id is None or region_is_within(unit.region, user.region)


def can_list_webhooks(user: Any) -> bool:
    """The supervision office keeps its units' group robots."""
    from minsheng.accounts.choices import Role
    from minsheng.accounts.policies import has_role

    return has_role(user, Role.OFFICE)
