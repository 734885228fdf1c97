"""Pages: the user's notifications, marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minsheng.core.views import signed_in_user
from minsheng.notifications.models import Notification
from minsheng.notifications.policies import can_view_notification
from minsheng.notifications.selectors import notifications_for, unread_count
from minsheng.notifications.services import notification_mark_read, notifications_mark_all_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread": unread_count(request.user)},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then follow the notification's link when it stays on this site."""
    notification = get_object_or_404(Notification, pk=pk)
    if not can_view_notification(request.user, notification):
        raise Http404
    notification_mark_read(acting_user=signed_in_user(request), notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("notifications:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(acting_user=signed_in_user(request))
    return redirect("notifications:notification_list")
