"""Read notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from minsheng.notifications.models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def unread_count_cached(request: Any) -> int:
    """The signed-in user's unread count, counted once per request (navigation and page share it)."""
    cached = getattr(request, "_minsheng_unread", None)
    if cached is None:
        cached = unread_count(request.user)
        request._minsheng_unread = cached
    return int(cached)
