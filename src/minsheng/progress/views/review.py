"""The review queue and the approve/return decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.progress import policies, selectors, services
from minsheng.progress.choices import ReportStatus
from minsheng.progress.forms import (
    DecisionForm,
)
from minsheng.progress.models import ProgressReport
from minsheng.progress.views.common import plans_for, safe_next, show_error


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted reports, oldest first, with the change since the last approved one."""
    user = signed_in_user(request)
    plans = [p for p in plans_for(user) if policies.can_review(user, p)]
    if not plans:
        raise PermissionDenied
    rows = selectors.review_queue(user)
    context = {"rows": rows, "groups": selectors.queue_by_plan(rows), "form": DecisionForm()}
    return render(request, "progress/queue.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return in one click."""
    user = signed_in_user(request)
    report = get_object_or_404(ProgressReport.objects.select_related("item__project__plan__region"), pk=pk)
    if not policies.can_review(user, report.item.project.plan):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment") or ""
    version = form.cleaned_data.get("version")
    returning = request.POST.get("action") == "return"
    wanted = ReportStatus.RETURNED if returning else ReportStatus.APPROVED
    already = report.status == wanted  # a second click on a decision already taken: a no-op
    try:
        if returning:
            services.report_return(acting_user=user, report=report, comment=comment, expected_version=version)
        else:
            services.report_approve(
                acting_user=user, report=report, comment=comment, expected_version=version
            )
    except ServiceError as exc:
        show_error(request, exc)
    else:
        if already:
            messages.info(
                request,
                (_("Already returned: %s") if returning else _("Already approved: %s")) % report.item,
            )
        elif returning:
            messages.success(request, _("Returned to the unit: %s") % report.item)
        else:
            messages.success(request, _("Approved: %s") % report.item)
    return HttpResponseRedirect(safe_next(request) or reverse("progress:queue"))
