"""`{% load notifications %}{% unread_notifications as count %}` for the navigation bar."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """The signed-in user's unread count, counted once per request."""
    request: Any = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cache_owner = request if request is not None else user
    cached = getattr(cache_owner, "_minsheng_unread", None)
    if cached is None:
        cached = unread_count(user)
        cache_owner._minsheng_unread = cached
    return cached
