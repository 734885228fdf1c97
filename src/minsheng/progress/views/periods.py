"""The office's pages of a plan: periods, overdue list, extension requests, reporting settings."""

from __future__ import annotations

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
from minsheng.plans.models import Plan, Target
from minsheng.progress import policies, providers, selectors, services, sheets
from minsheng.progress.forms import ExtensionDecisionForm, ExtensionRequestForm, ReportingSettingsForm
from minsheng.progress.models import ExtensionRequest, Period
from minsheng.progress.views.common import plan_or_403, show_error


@login_required
def overdue_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Items whose report for the last closed deadline is missing (reviewers, office, leaders)."""
    _user, plan = plan_or_403(request, plan_id, policies.can_view_overdue)
    period, rows = selectors.overdue(plan)
    return render(request, "progress/overdue.html", {"plan": plan, "period": period, "rows": rows})


@login_required
def extensions(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Extension requests of a plan; lead-unit reporters ask, the office decides."""
    user = signed_in_user(request)
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not (policies.is_reviewer(user, plan) or policies.can_use_sheet(user, plan)):
        raise PermissionDenied
    items = sheets.sheet_items(user, plan) if user.unit_id else []
    targets = [
        (t.pk, f"{i.project.no}. {t.quote} ({t.due_date})")
        for i in items
        if policies.can_request_extension(user, i)
        for t in i.targets.all()
    ]
    form = ExtensionRequestForm(request.POST or None, targets=targets) if targets else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            target = next(t for i in items for t in i.targets.all() if t.pk == form.cleaned_data["target"])
            try:
                services.extension_request(
                    acting_user=user,
                    target=target,
                    requested_due_date=form.cleaned_data["requested_due_date"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Your request was sent to the supervision office."))
                return HttpResponseRedirect(reverse("progress:extensions", args=[plan.pk]))
            except ServiceError as exc:
                show_error(request, exc)
    context = {
        "plan": plan,
        "requests": selectors.extension_requests(user, plan),
        "form": form,
        "can_decide": policies.can_manage(user, plan),
        "decision_form": ExtensionDecisionForm(),
    }
    return render(request, "progress/extensions.html", context)


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    ext = get_object_or_404(ExtensionRequest.objects.select_related("target__item__project__plan"), pk=pk)
    plan = ext.target.item.project.plan
    if not policies.can_manage(user, plan):
        raise PermissionDenied
    try:
        services.extension_decide(
            acting_user=user,
            request=ext,
            approve=request.POST.get("action") == "approve",
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("Decision recorded."))
    except ServiceError as exc:
        show_error(request, exc)
    return HttpResponseRedirect(reverse("progress:extensions", args=[plan.pk]))


@login_required
@require_POST
def periods_generate(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The office creates the plan year's reporting periods."""
    user, plan = plan_or_403(request, plan_id, policies.can_manage)
    try:
        periods = services.periods_generate(acting_user=user, plan=plan)
        messages.success(request, _("The plan has %d reporting periods.") % len(periods))
    except ServiceError as exc:
        show_error(request, exc)
    return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}")


@login_required
@require_POST
def period_close(request: HttpRequest, plan_id: int, period_id: int) -> HttpResponse:
    """The office closes a period: lights and values are frozen."""
    user, plan = plan_or_403(request, plan_id, policies.can_manage)
    period = get_object_or_404(Period, pk=period_id, plan=plan)
    try:
        snapshots = providers.period_close(acting_user=user, period=period)
        messages.success(
            request,
            _("Period %(period)s closed; %(n)d items frozen.") % {"period": period, "n": len(snapshots)},
        )
    except ServiceError as exc:
        show_error(request, exc)
    return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}&period={period.pk}")


@login_required
@require_POST
def periods_close_due(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The office closes every past period still open, oldest first, in one action."""
    user, plan = plan_or_403(request, plan_id, policies.can_manage)
    try:
        run = providers.periods_close_due(acting_user=user, plan=plan)
    except ServiceError as exc:
        show_error(request, exc)
        return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}")
    if run.closed:
        messages.success(
            request,
            _("%(n)d period(s) closed: %(periods)s.")
            % {"n": len(run.closed), "periods": ", ".join(str(p) for p in run.closed)},
        )
    elif run.stopped_at is None:
        messages.info(request, _("Every past period is already closed."))
    if run.stopped_at is not None:
        messages.error(request, run.reason)
    return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}")


@login_required
def plan_settings(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The office sets the cycle, deadline day and thresholds, and each target's monthly plan."""
    user, plan = plan_or_403(request, plan_id, policies.can_manage)
    current = services.reporting_settings(plan)
    initial = {name: getattr(current, name) for name in ReportingSettingsForm.base_fields}
    form = ReportingSettingsForm(request.POST or None, initial=initial)
    targets = list(
        Target.objects.filter(item__project__plan=plan)
        .select_related("item__project", "schedule")
        .order_by("item__project__position", "item__position", "position")
    )
    if request.method == "POST" and request.POST.get("form") == "schedule":
        target_id = request.POST.get("target", "")
        if not target_id.isdigit():
            raise Http404
        target = get_object_or_404(Target, pk=int(target_id), item__project__plan=plan)
        text = request.POST.get("monthly", "").replace("，", ",").strip()
        try:
            values = [part.strip() for part in text.split(",")] if text else None
            services.target_schedule_set(acting_user=user, target=target, monthly=values)
            messages.success(request, _("Monthly plan saved for “%s”.") % target.quote[:30])
        except ServiceError as exc:
            show_error(request, exc)
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            services.reporting_settings_update(acting_user=user, plan=plan, **form.cleaned_data)
            messages.success(request, _("Settings saved."))
            return HttpResponseRedirect(request.path)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    rows = [
        (t, ", ".join(f"{v:g}" for v in t.schedule.monthly) if hasattr(t, "schedule") else "")
        for t in targets
    ]
    return render(request, "progress/settings.html", {"plan": plan, "form": form, "rows": rows})
