"""Read notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from minsheng.notifications.models import Notification

UNREAD_FIELD = "unread_notifications"  # on the signed-in user (see `unread_subquery`)


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def unread_subquery() -> Coalesce:
    """The unread count of the user in the outer query (`OuterRef("pk")`): read with the signed-in user
    (`accounts.backends.user_field_register`), so the navigation's badge costs no query of its own."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)  # no unread row: 0


def unread_count_cached(request: Any) -> int:
    """The signed-in user's unread count as read with the user at the request's start (`unread_subquery`),
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
