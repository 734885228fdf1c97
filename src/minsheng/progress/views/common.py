"""Helpers shared by the progress pages: the plans a user works in, the item and plan loaders, messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.plans.models import Item, Plan
from minsheng.plans.selectors import plan_list
from minsheng.progress import selectors, services
from minsheng.progress.models import Period

CAMERA_ACCEPT = "image/*"


FILE_ACCEPT = ".jpg,.jpeg,.png,.heic,.pdf,.docx,.xlsx"


def plans_for(user: Any) -> list[Plan]:
    plans = list(plan_list(user))
    if not plans and user.unit_id is not None:
        plans = list(selectors.reporter_plans(user))
    return plans


def pick(request: HttpRequest, user: Any) -> tuple[list[Plan], Plan | None, Period | None]:
    """The plan and period chosen by ?plan= and ?period=, else the newest plan and today's period."""
    plans = plans_for(user)
    plan = None
    wanted = request.GET.get("plan")
    if wanted and wanted.isdigit():
        plan = next((p for p in plans if p.pk == int(wanted)), None)
        if plan is None:
            raise Http404
    elif plans:
        plan = plans[0]
    period = None
    if plan is not None:
        wanted = request.GET.get("period")
        if wanted and wanted.isdigit():
            # A period of another plan (the plan was switched with the old period still selected)
            # falls back to this plan's current period rather than a "not found" page.
            period = Period.objects.filter(pk=int(wanted), plan=plan).first()
        if period is None:
            period = services.current_period(plan)
    return plans, plan, period


def item_or_404(item_id: int) -> Item:
    """The item with its plan, units, targets and milestones, as a report's save needs it (no second read)."""
    try:
        return services.item_for_write(item_id)
    except Item.DoesNotExist:
        raise Http404 from None


def show_error(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


def safe_next(request: HttpRequest) -> str | None:
    """The `next` field, only when it points back into this site (no open redirect)."""
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def plan_or_403(request: HttpRequest, plan_id: int, check: Any) -> tuple[Any, Plan]:
    user = signed_in_user(request)
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not check(user, plan):
        raise PermissionDenied
    return user, plan
