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


def units_with_webhooks(user: Any) -> list[Any]:
    """The units of the office's region (and below) with their robots: two queries."""
    from django.db.models import Prefetch

    from minsheng.accounts.policies import manager_region_ids
    from minsheng.notifications.models import UnitWebhook
    from minsheng.orgs.models import Unit

    scope = manager_region_ids(user)
    units = Unit.objects.select_related("region").prefetch_related(
        Prefetch("webhooks", queryset=UnitWebhook.objects.order_by("kind"))
    )
    if scope is not None:
        units = units.filter(region_id__in=scope)
    return list(units.order_by("region__code", "name"))
