"""Bulletin pages: ask for one, watch it being written, download it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from minsheng.bulletins.choices import BulletinState
from minsheng.bulletins.forms import BulletinForm, DocumentSettingsForm
from minsheng.bulletins.models import Bulletin, DocumentSettings
from minsheng.bulletins.policies import can_make_bulletin, can_read_bulletin, can_set_documents
from minsheng.bulletins.services import bulletin_request, document_settings_set
from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.plans.models import Plan
from minsheng.plans.selectors import plan_list
from minsheng.progress.services import current_period


@require_http_methods(["GET", "POST"])
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Choose a plan and period; past bulletins of the plan."""
    plans = [p for p in plan_list(request.user) if can_read_bulletin(request.user, p)]
    if not plans:
        raise PermissionDenied
    try:
        chosen = int(request.GET.get("plan") or request.POST.get("plan") or plans[0].pk)
    except ValueError:
        raise Http404 from None
    plan = next((p for p in plans if p.pk == chosen), None)
    if plan is None:
        raise Http404
    can_make = can_make_bulletin(request.user, plan)
    if request.method == "POST" and not can_make:
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("form") == "documents":
        return _document_settings(request, plan)
    form = BulletinForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletin_request(
                acting_user=signed_in_user(request),
                plan=plan,
                period=form.cleaned_data["period"],
                scope=form.cleaned_data["scope"],
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("bulletins:detail", pk=bulletin.pk)
    elif request.method == "GET":
        period = current_period(plan, timezone.localdate())
        if period is not None:
            form.initial["period"] = period.pk
    bulletins = Bulletin.objects.filter(plan=plan).select_related("period")[:24]
    documents_form = None
    if can_set_documents(request.user, plan):
        conf = DocumentSettings.objects.filter(plan=plan).first()
        initial = {f: getattr(conf, f) for f in DocumentSettingsForm.base_fields} if conf else {}
        documents_form = DocumentSettingsForm(initial=initial)
    return render(
        request,
        "bulletins/index.html",
        {
            "plans": plans,
            "plan": plan,
            "form": form,
            "bulletins": bulletins,
            "can_make": can_make,
            "documents_form": documents_form,
        },
    )


def _document_settings(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Save how the plan's documents are headed (发文机关, 文号 abbreviation, 主送, 抄送)."""
    if not can_set_documents(request.user, plan):
        raise PermissionDenied
    form = DocumentSettingsForm(request.POST)
    if form.is_valid():
        try:
            document_settings_set(acting_user=signed_in_user(request), plan=plan, **form.cleaned_data)
            messages.success(request, _("The documents' heading is saved."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Fill in the issuing organ and its abbreviation."))
    return redirect(reverse("bulletins:index") + f"?plan={plan.pk}")


def _bulletin(request: HttpRequest, pk: int) -> Bulletin:
    bulletin = get_object_or_404(Bulletin.objects.select_related("plan", "period"), pk=pk)
    if not can_read_bulletin(request.user, bulletin.plan):
        raise PermissionDenied
    return bulletin


@require_safe
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress while the bulletin is written (the page refreshes itself), then the download link."""
    bulletin = _bulletin(request, pk)
    working = bulletin.state in (BulletinState.PENDING, BulletinState.RUNNING)
    template = "bulletins/_status.html" if getattr(request, "htmx", False) else "bulletins/detail.html"
    return render(request, template, {"bulletin": bulletin, "working": working})


@require_safe
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    bulletin = _bulletin(request, pk)
    if bulletin.state != BulletinState.DONE or not bulletin.file:
        raise Http404
    return FileResponse(bulletin.file.open("rb"), as_attachment=True, filename=bulletin.filename)
