"""Funds pages: a plan's money per item (everyone who sees its lights), the office's edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.funds import policies, selectors, services
from minsheng.funds.choices import FundSource
from minsheng.funds.forms import FundSettingsForm, PlannedForm
from minsheng.funds.models import FundSettings, PlannedFund
from minsheng.plans.models import Item, Plan
from minsheng.plans.selectors import plan_list
from minsheng.progress.policies import in_region


def _plan(user: Any, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not policies.can_view_funds(user, plan):
        if not in_region(user, plan):
            raise Http404  # another district's plan: nothing to see
        raise PermissionDenied
    return plan


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The newest plan the person may see."""
    user = signed_in_user(request)
    plan = next((p for p in plan_list(user) if policies.can_view_funds(user, p)), None)
    if plan is None:
        raise PermissionDenied
    return HttpResponseRedirect(reverse("funds:plan", args=[plan.pk]))


@login_required
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = signed_in_user(request)
    plan = _plan(user, plan_id)
    rows, totals = selectors.plan_funds(plan)
    context = {
        "plan": plan,
        "rows": rows,
        "totals": totals,
        "sources": FundSource.choices,
        "can_edit": policies.can_edit_planned(user, plan),
    }
    return render(request, "funds/plan.html", context)


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """The office sets an item's planned investment per source."""
    user = signed_in_user(request)
    item = get_object_or_404(Item.objects.select_related("project__plan"), pk=item_id)
    plan = _plan(user, item.project.plan_id)
    if not policies.can_edit_planned(user, plan):
        raise PermissionDenied
    current = dict(PlannedFund.objects.filter(item=item).values_list("source", "amount"))
    initial = {source: format(amount.normalize(), "f") for source, amount in current.items()}
    form = PlannedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_funds_set(acting_user=user, item=item, amounts=form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Planned investment saved."))
            return HttpResponseRedirect(reverse("funds:plan", args=[plan.pk]) + f"#item-{item.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "funds/item.html", {"plan": plan, "item": item, "form": form}, status=status)


@login_required
def settings_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = signed_in_user(request)
    plan = _plan(user, plan_id)
    if not policies.can_edit_planned(user, plan):
        raise PermissionDenied
    conf = FundSettings.objects.filter(plan=plan).first() or FundSettings(plan=plan)
    initial = {"lag_threshold": conf.lag_threshold, "severe_threshold": conf.severe_threshold}
    form = FundSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_settings_update(acting_user=user, plan=plan, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Fund thresholds saved."))
            return HttpResponseRedirect(reverse("funds:plan", args=[plan.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "funds/settings.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_POST
def from_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Planned investment from the list's 投资 column, for items without any."""
    user = signed_in_user(request)
    plan = _plan(user, plan_id)
    if not policies.can_edit_planned(user, plan):
        raise PermissionDenied
    try:
        count = services.planned_funds_from_list(acting_user=user, plan=plan)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Planned investment taken from the list for %d item(s).") % count)
    return HttpResponseRedirect(reverse("funds:plan", args=[plan.pk]))
