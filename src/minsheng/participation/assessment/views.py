"""Pages: plans to assess, a plan's unit scores with their breakdown, the weights form, compute, .xlsx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.views import service_errors_as_message, service_errors_on_form, signed_in_user
from minsheng.participation.assessment import services
from minsheng.participation.assessment.choices import Part
from minsheng.participation.assessment.exports import table_workbook
from minsheng.participation.assessment.forms import WeightsForm
from minsheng.participation.assessment.policies import (
    can_list_assessments,
    can_manage_assessment,
    can_view_assessment,
)
from minsheng.participation.assessment.selectors import assessable_plans, assessment_of, assessment_table
from minsheng.plans.models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
    if not can_view_assessment(request.user, plan):
        raise PermissionDenied
    return plan


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not can_list_assessments(request.user):
        raise PermissionDenied
    return render(request, "assessment/index.html", {"plans": assessable_plans(request.user)})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    context = {
        "plan": plan,
        "assessment": assessment_of(plan),
        "table": assessment_table(plan),
        "can_manage": can_manage_assessment(request.user, plan),
    }
    return render(request, "assessment/detail.html", context)


@login_required
def weights(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not can_manage_assessment(request.user, plan):
        raise PermissionDenied
    current = assessment_of(plan)
    form = WeightsForm(request.POST or None, initial=current.weights if current else {})
    if request.method == "POST" and form.is_valid():
        with service_errors_on_form(form):
            services.assessment_weights_set(
                acting_user=signed_in_user(request), plan=plan, weights=form.cleaned_data
            )
            messages.success(request, _("The weights are set. Compute the scores to apply them."))
            return redirect("assessment:detail", pk=plan.pk)
    return render(request, "assessment/weights.html", {"plan": plan, "form": form, "parts": Part.choices})


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not can_manage_assessment(request.user, plan):
        raise PermissionDenied
    with service_errors_as_message(request):
        services.assessment_compute(acting_user=signed_in_user(request), plan=plan)
        messages.success(request, _("The unit scores are computed."))
    return redirect("assessment:detail", pk=plan.pk)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    table = assessment_table(plan)
    if table is None:
        raise Http404
    response = HttpResponse(table_workbook(table), content_type=XLSX)
    filename = f"{plan.year}-{plan.region.name}-考核.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
