"""Read notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from minsheng.notifications.models import Notification

UNREAD_FIELD = "unread_notifications"  # on the signed-in user (see `unread_sql`)


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def unread_sql(quote: Callable[[str], str], user_id: str) -> tuple[str, list[Any]]:
    """The unread count of the user whose id column is `user_id`, as a correlated subquery read with the
    signed-in user (`accounts.backends.user_field_register`): the navigation's badge costs no query."""
    meta = Notification._meta
    return (
        f"SELECT COUNT(*) FROM {quote(meta.db_table)} n "
        f"WHERE n.{quote(meta.get_field('user').column)} = {user_id} "
        f"AND n.{quote(meta.get_field('read_at').column)} IS NULL",
        [],
    )


def unread_count_cached(request: Any) -> int:
    """The signed-in user's unread count as read with the user at the request's start (`unread_sql`),
    else counted once per request (navigation and page share it)."""
    cached = getattr(request, "_minsheng_unread", None)
    if cached is None:
        cached = getattr(request.user, UNREAD_FIELD, None)
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
