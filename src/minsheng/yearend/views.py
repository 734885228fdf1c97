"""Year-end pages: the plans' year ends, one plan's (reading date, results, carry-over, report), the
closing confirmation and a correction. Thin: policies decide, services write."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minsheng.core.exceptions import NotAllowed, ServiceError
from minsheng.core.views import signed_in_user
from minsheng.plans.models import Item, Plan
from minsheng.plans.policies import can_view_plan
from minsheng.yearend import services
from minsheng.yearend.forms import CorrectionForm, ReadingDateForm
from minsheng.yearend.models import FinalResult
from minsheng.yearend.policies import can_manage_year_end, can_read_year_end, uses_year_end
from minsheng.yearend.report import completion_report_docx, report_filename
from minsheng.yearend.selectors import year_end_page, year_end_plans


def _plan(request: HttpRequest, pk: int, *, manage: bool = False) -> Plan:
    """The plan, or 404 for a plan the user cannot see at all (another district), 403 without the right."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
    if not can_view_plan(request.user, plan):
        raise Http404
    allowed = can_manage_year_end if manage else can_read_year_end
    if not allowed(request.user, plan):
        raise PermissionDenied
    return plan


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The published plans of the user's region with where each stands at the year's end."""
    plans = year_end_plans(request.user)
    if not plans and not uses_year_end(request.user):
        raise PermissionDenied
    return render(request, "yearend/index.html", {"plans": plans})


@require_http_methods(["GET", "POST"])
@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's year end; the office sets the reading date here (POST)."""
    plan = _plan(request, pk, manage=request.method == "POST")
    can_manage = can_manage_year_end(request.user, plan)
    form = ReadingDateForm(request.POST or None, initial={"on": plan.year_end_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.year_end_date_set(
                acting_user=signed_in_user(request), plan=plan, on=form.cleaned_data["on"]
            )
        except ServiceError as exc:
            form.add_error("on", exc.message)
        else:
            messages.success(request, _("The year-end reading date is set; the lights follow it."))
            return redirect("yearend:plan", pk=plan.pk)
    return render(
        request,
        "yearend/plan.html",
        {
            "page": year_end_page(plan),
            "plan": plan,
            "form": form if can_manage else None,
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page (GET) and the close itself (POST with confirm=yes)."""
    plan = _plan(request, pk, manage=True)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return redirect("yearend:close", pk=plan.pk)
        try:
            services.year_close(acting_user=signed_in_user(request), plan=plan)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("yearend:close", pk=plan.pk)
        messages.success(request, _("The year is closed: its final results are frozen."))
        return redirect("yearend:plan", pk=plan.pk)
    return render(request, "yearend/close.html", {"plan": plan, "page": year_end_page(plan)})


@require_POST
@login_required
def carry(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, manage=True)
    try:
        result = services.carry_over(acting_user=signed_in_user(request), plan=plan)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if result.carried and result.plan is not None:
            messages.success(
                request,
                _("%(n)d unfinished item(s) carried into “%(plan)s”.")
                % {"n": len(result.carried), "plan": result.plan.title},
            )
        else:
            messages.info(request, _("Nothing left to carry over."))
    return redirect("yearend:plan", pk=plan.pk)


@require_safe
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The annual completion report to the people's congress (.docx)."""
    plan = _plan(request, pk)
    try:
        content = completion_report_docx(plan)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("yearend:plan", pk=plan.pk)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=report_filename(plan))


@require_http_methods(["GET", "POST"])
@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A recorded correction of one item's final result (a closed year only)."""
    item = get_object_or_404(Item.objects.select_related("project__plan"), pk=pk)
    plan = _plan(request, item.project.plan_id, manage=True)
    result = FinalResult.objects.filter(item=item).first()
    if result is None:
        raise Http404
    form = CorrectionForm(request.POST or None, result=result)
    if request.method == "POST" and form.is_valid():
        try:
            services.final_result_correct(
                acting_user=signed_in_user(request),
                item=item,
                reason=form.cleaned_data["reason"],
                reached=form.reached(),
                ending=form.cleaned_data["ending"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect("yearend:plan", pk=plan.pk)
    return render(
        request, "yearend/correct.html", {"plan": plan, "item": item, "result": result, "form": form}
    )
