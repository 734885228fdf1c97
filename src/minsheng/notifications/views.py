"""Pages: the user's notifications, marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.notifications.forms import WebhookForm
from minsheng.notifications.models import Notification, UnitWebhook
from minsheng.notifications.policies import can_list_webhooks, can_manage_webhooks, can_view_notification
from minsheng.notifications.selectors import notifications_for, units_with_webhooks, unread_count
from minsheng.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    unit_webhook_set,
)
from minsheng.notifications.webhooks import masked_url
from minsheng.orgs.models import Unit


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


@login_required
def robot_list(request: HttpRequest) -> HttpResponse:
    """The office's units and their DingTalk / WeCom group robots (addresses masked)."""
    user = signed_in_user(request)
    if not can_list_webhooks(user):
        raise PermissionDenied
    units = units_with_webhooks(user)
    rows = [(unit, [(hook, masked_url(hook.url)) for hook in unit.webhooks.all()]) for unit in units]
    return render(request, "notifications/robot_list.html", {"rows": rows})


@login_required
def robot_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Set one of a unit's robots; the secret is never shown back, the address's token only masked."""
    user = signed_in_user(request)
    if not can_list_webhooks(user):
        raise PermissionDenied
    unit = get_object_or_404(Unit.objects.select_related("region"), pk=unit_id)
    if not can_manage_webhooks(user, unit):
        raise Http404  # another district's unit: nothing to see
    hooks = {hook.kind: hook for hook in UnitWebhook.objects.filter(unit=unit)}
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit_webhook_set(
                acting_user=user,
                unit=unit,
                kind=data["kind"],
                url=data["url"],
                secret="" if data["clear_secret"] else data["secret"],
                active=data["active"],
                keep_secret=not data["secret"] and not data["clear_secret"],
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Group robot of %(unit)s saved.") % {"unit": unit.name})
            return redirect("notifications:robot_list")
    current = [(hook, masked_url(hook.url)) for hook in hooks.values()]
    return render(request, "notifications/robot_edit.html", {"unit": unit, "form": form, "current": current})
