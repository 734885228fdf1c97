"""Who may see notifications: each person only their own."""

from __future__ import annotations

from typing import Any

from minsheng.notifications.models import Notification


def can_view_notification(user: Any, notification: Notification) -> bool:
    """A notification is private to the person it was sent to."""
    return getattr(user, "is_authenticated", False) and notification.user_id == user.pk
