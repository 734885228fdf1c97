"""The spreadsheet round trip: download the period's sheet, upload it, preview, submit."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.exceptions import ServiceError
from minsheng.progress import policies, services, sheets
from minsheng.progress.forms import SheetUploadForm
from minsheng.progress.models import Period
from minsheng.progress.views.common import plan_or_403, show_error


@login_required
def sheet_download(request: HttpRequest, plan_id: int, period_id: int) -> HttpResponse:
    user, plan = plan_or_403(request, plan_id, policies.can_use_sheet)
    period = get_object_or_404(Period, pk=period_id, plan=plan)
    data = sheets.sheet_build(user=user, plan=plan, period=period)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="report-{plan.year}-{period.start:%m}-{stamp}.xlsx"'
    )
    return response


_SESSION_KEY = "progress_sheet_upload"


@login_required
def sheet_upload(request: HttpRequest, plan_id: int, period_id: int) -> HttpResponse:
    """Upload → preview of every change and row error → submit all at once (nothing saved before)."""
    user, plan = plan_or_403(request, plan_id, policies.can_use_sheet)
    period = get_object_or_404(Period, pk=period_id, plan=plan)
    context: dict[str, Any] = {"plan": plan, "period": period, "form": SheetUploadForm()}
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(_SESSION_KEY) or {}
        if stored.get("period") != period.pk or not stored.get("data"):
            messages.error(request, _("The upload has expired; upload the file again."))
            return HttpResponseRedirect(request.path)
        data = base64.b64decode(stored["data"])
        try:
            saved = sheets.sheet_apply(
                acting_user=user,
                plan=plan,
                period=period,
                data=data,
                confirmed=request.POST.get("confirm_unusual") == "1",
            )
        except services.NeedsConfirmation as exc:
            # Nothing was saved: the same preview again, with the unusual values to confirm.
            context["preview"] = sheets.sheet_preview(user=user, plan=plan, period=period, data=data)
            context["confirm_error"] = exc.message
            return render(request, "progress/sheet_upload.html", context)
        except ServiceError as exc:
            show_error(request, exc)
            return HttpResponseRedirect(request.path)
        request.session.pop(_SESSION_KEY, None)
        messages.success(request, _("%d report(s) submitted.") % len(saved))
        return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}&period={period.pk}")
    if request.method == "POST":
        form = SheetUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(sheets.MAX_BYTES + 1)
            try:
                preview = sheets.sheet_preview(user=user, plan=plan, period=period, data=data)
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                context["preview"] = preview
                if preview.ok and preview.changed:
                    request.session[_SESSION_KEY] = {
                        "period": period.pk,
                        "data": base64.b64encode(data).decode(),
                    }
    return render(request, "progress/sheet_upload.html", context)
