"""Progress pages: inbox, report form, timeline, review queue, overdue list, extensions, spreadsheet.

Permission checks are in `progress.policies`; writes go through `progress.services`.
"""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.plans.models import Item, Plan, Target
from minsheng.plans.selectors import plan_list
from minsheng.progress import addons, policies, providers, selectors, services, sheets
from minsheng.progress import evidence as evidence_files
from minsheng.progress.choices import MilestoneProgress, ReportStatus
from minsheng.progress.forms import (
    DecisionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ItemEndForm,
    ReportingSettingsForm,
    SheetUploadForm,
)
from minsheng.progress.models import Evidence, ExtensionRequest, Period, ProgressReport

CAMERA_ACCEPT = "image/*"
FILE_ACCEPT = ".jpg,.jpeg,.png,.heic,.pdf,.docx,.xlsx"


def _plans_for(user: Any) -> list[Plan]:
    plans = list(plan_list(user))
    if not plans and user.unit_id is not None:
        plans = list(selectors.reporter_plans(user))
    return plans


def _pick(request: HttpRequest, user: Any) -> tuple[list[Plan], Plan | None, Period | None]:
    """The plan and period chosen by ?plan= and ?period=, else the newest plan and today's period."""
    plans = _plans_for(user)
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


def _item(item_id: int) -> Item:
    return get_object_or_404(
        Item.objects.select_related("project__plan__region").prefetch_related(
            "item_units__unit", "targets", "milestones"
        ),
        pk=item_id,
    )


def _error(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Reporter's "my items this period"; reviewers and the office are sent to their queue."""
    user = signed_in_user(request)
    plans, plan, period = _pick(request, user)
    rows = selectors.inbox(user, plan, period) if plan and period else []
    periods = list(Period.objects.filter(plan=plan).order_by("start")) if plan else []
    context = {
        "plans": plans,
        "plan": plan,
        "period": period,
        "periods": periods,
        "rows": rows,
        "can_review": plan is not None and policies.can_review(user, plan),
        "can_manage": plan is not None and policies.can_manage(user, plan),
        "can_sheet": plan is not None and policies.can_use_sheet(user, plan),
        "has_unit": user.unit_id is not None,
        "open_past": [p for p in periods if p.closed_at is None and p.end < timezone.localdate()],
    }
    return render(request, "progress/inbox.html", context)


def _report_context(
    user: Any, item: Item, period: Period, report: ProgressReport | None, posted: Any = None
) -> dict[str, Any]:
    values = {v.target_id: v.value for v in report.target_values.all()} if report else {}
    states = {s.milestone_id: s for s in report.milestone_states.all()} if report else {}
    last = services.previous_report(item, period, approved_only=True)
    last_values = {v.target_id: v.value for v in last.target_values.all()} if last else {}
    targets: list[dict[str, Any]] = [
        {"target": t, "value": values.get(t.pk, ""), "last": last_values.get(t.pk)}
        for t in item.targets.all()
    ]
    milestones = [
        {
            "milestone": m,
            "state": states[m.pk].state if m.pk in states else "",
            "done_on": states[m.pk].done_on if m.pk in states else None,
        }
        for m in item.milestones.all()
    ]
    rows = selectors.inbox(user, item.project.plan, period) if user.unit_id else []
    lead_rows = [r.item.pk for r in rows if r.role == "lead"]
    next_item = None
    if item.pk in lead_rows and lead_rows.index(item.pk) + 1 < len(lead_rows):
        next_item = lead_rows[lead_rows.index(item.pk) + 1]
    texts = {name: getattr(report, name) if report else "" for name in ("progress", "problems", "next_steps")}
    if posted is not None:
        # Show what the person typed (nothing is lost on a conflict or an error), with what is saved now.
        for row in targets:
            key = f"t-{row['target'].pk}"
            if key in posted:
                row["stored"], row["value"] = row["value"] if row["value"] != "" else None, posted[key]
        texts = {name: posted.get(name, texts[name]) for name in texts}
    return {
        "item": item,
        "period": period,
        "report": report,
        "texts": texts,
        "targets": targets,
        "milestones": milestones,
        "states": MilestoneProgress.choices,
        "editable": report is None or report.status in services.EDITABLE,
        "has_previous": last is not None or services.previous_report(item, period) is not None,
        "can_contribute": policies.can_contribute(user, item),
        "can_report": policies.can_report(user, item),
        "contribution": next((c for c in report.contributions.all() if c.unit_id == user.unit_id), None)
        if report
        else None,
        "next_item": next_item,
        "camera_accept": CAMERA_ACCEPT,
        "file_accept": FILE_ACCEPT,
        "parts": addons.form_parts(user, item, period, report, posted),  # other apps' fields
    }


def _report(item: Item, period: Period) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(item=item, period=period)
        .prefetch_related("target_values", "milestone_states", "contributions__unit", "evidence")
        .first()
    )


SUBMITTED_OR_LATER = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@login_required
def report_form(request: HttpRequest, item_id: int, period_id: int) -> HttpResponse:
    """One item per screen: values, milestone states, texts, photos; save, submit or copy last period."""
    user = signed_in_user(request)
    item = _item(item_id)
    period = get_object_or_404(Period, pk=period_id, plan=item.project.plan)
    if not (policies.can_report(user, item) or policies.can_contribute(user, item)):
        raise PermissionDenied
    report = _report(item, period)
    if request.method == "POST":
        if not policies.can_report(user, item):
            raise PermissionDenied
        action = request.POST.get("action", "save")
        version = request.POST.get("version") or None
        expected = int(version) if version and version.isdigit() else None
        if action == "submit" and report is not None and report.status in SUBMITTED_OR_LATER:
            # A second submit (a double click, a resent form): the first one did it; nothing changes.
            messages.info(
                request,
                _("Already submitted (%(status)s); nothing was changed.")
                % {"status": report.get_status_display()},
            )
            return HttpResponseRedirect(reverse("progress:report", args=[item.pk, period.pk]))
        try:
            if action == "copy":
                services.report_copy_previous(
                    acting_user=user, item=item, period=period, expected_version=expected
                )
                messages.success(request, _("Copied last period's report; check and change what is new."))
            else:
                with transaction.atomic():  # the report and the other apps' parts of it, or nothing
                    report = _save_from_post(request, user, item, period, expected)
                    addons.form_save(acting_user=user, report=report, data=request.POST)
                _add_uploads(request, user, report)
                if action == "submit":
                    services.report_submit(
                        acting_user=user, report=report, confirmed=request.POST.get("confirm") == "1"
                    )
                    messages.success(request, _("Submitted for review."))
                else:
                    messages.success(request, _("Saved as a draft."))
        except services.ConflictError as exc:
            _error(request, exc)
            context = _report_context(user, item, period, _report(item, period), posted=request.POST)
            context["conflict"] = True
            return render(request, "progress/report_form.html", context, status=409)
        except services.NeedsConfirmation as exc:
            # The draft is saved; the same form comes back asking to confirm the unusual values.
            context = _report_context(user, item, period, _report(item, period), posted=request.POST)
            context["confirm_warnings"] = exc.warnings
            return render(request, "progress/report_form.html", context, status=400)
        except ServiceError as exc:
            _error(request, exc)
            context = _report_context(user, item, period, _report(item, period), posted=request.POST)
            return render(request, "progress/report_form.html", context, status=400)
        return HttpResponseRedirect(reverse("progress:report", args=[item.pk, period.pk]))
    return render(request, "progress/report_form.html", _report_context(user, item, period, report))


def _save_from_post(
    request: HttpRequest, user: Any, item: Item, period: Period, expected: int | None
) -> ProgressReport:
    post = request.POST
    values = {t.pk: post.get(f"t-{t.pk}", "").strip() for t in item.targets.all() if f"t-{t.pk}" in post}
    states = {}
    for m in item.milestones.all():
        state = post.get(f"m-{m.pk}", "")
        if state:
            states[m.pk] = (state, post.get(f"d-{m.pk}") or None)
    return services.report_save(
        acting_user=user,
        item=item,
        period=period,
        expected_version=expected,
        target_values=values,
        milestone_states=states,
        progress=post.get("progress", ""),
        problems=post.get("problems", ""),
        next_steps=post.get("next_steps", ""),
    )


def _add_uploads(request: HttpRequest, user: Any, report: ProgressReport) -> None:
    """Each file on its own: a refused file is reported and leaves nothing, the others are kept."""
    for upload in request.FILES.getlist("camera") + request.FILES.getlist("files"):
        try:
            services.evidence_add(acting_user=user, report=report, upload=upload)
        except ServiceError as exc:
            messages.error(request, exc.message)


@login_required
@require_POST
def contribution(request: HttpRequest, item_id: int, period_id: int) -> HttpResponse:
    user = signed_in_user(request)
    item = _item(item_id)
    period = get_object_or_404(Period, pk=period_id, plan=item.project.plan)
    if not policies.can_contribute(user, item):
        raise PermissionDenied
    try:
        services.partner_contribution_save(
            acting_user=user, item=item, period=period, text=request.POST.get("text", "")
        )
        report = _report(item, period)
        if report is not None:
            _add_uploads(request, user, report)
        messages.success(request, _("Your unit's contribution is saved."))
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("progress:report", args=[item.pk, period.pk]))


@login_required
def evidence_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A photo or document: originals for reviewers only; the clean copy for whoever may read the report."""
    user = signed_in_user(request)
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__item__project__plan__region"), pk=pk
    )
    report = evidence.report
    if variant == "original":
        allowed = policies.can_view_original_evidence(user, report)
        field, content_type = evidence.original, evidence.content_type
    elif variant in ("public", "thumb"):
        allowed = policies.can_view_report(user, report)
        if variant == "thumb" and evidence.thumbnail:
            field, content_type = evidence.thumbnail, "image/jpeg"
        elif evidence.public_copy:
            field = evidence.public_copy
            content_type = "image/png" if evidence.public_copy.name.endswith(".png") else "image/jpeg"
        elif not evidence.is_image:
            field, content_type = evidence.original, evidence.content_type  # documents have no copy
        else:
            raise Http404
    else:
        raise Http404
    if not allowed:
        raise PermissionDenied
    # Only the re-encoded copies may show in a page; an original (the bytes as uploaded) is a download.
    original = field.name == evidence.original.name
    if original:
        evidence_files.original_download_record(acting_user=user, evidence=evidence)
    name = evidence.original_name if variant == "original" or not evidence.is_image else f"{pk}.jpg"
    response = FileResponse(
        field.open("rb"), content_type=content_type, as_attachment=original, filename=name
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _notices_html(request: HttpRequest, item: Item) -> str:
    """Supervision notices on the timeline when that app provides its fragment."""
    try:
        template = get_template("supervision/item_notices.html")
    except TemplateDoesNotExist:
        return ""
    return template.render({"item": item, "user": request.user}, request)


@login_required
def timeline(request: HttpRequest, item_id: int) -> HttpResponse:
    """Every report of an item, with values, photos, contributions and history; extensions; the ending."""
    user = signed_in_user(request)
    item = _item(item_id)
    if not policies.can_view_item(user, item):
        raise PermissionDenied
    plan = item.project.plan
    data = selectors.item_timeline(user, item)
    end_form = ItemEndForm() if policies.can_manage(user, plan) else None
    context = {
        "item": item,
        "plan": plan,
        "timeline": data,
        "light": providers.item_lights([plan], item_ids=[item.pk]).get(item.pk),
        "outcome": getattr(item, "outcome", None),
        "can_original": policies.is_reviewer(user, plan),
        "can_history": policies.can_see_unapproved(user, item),
        "end_form": end_form,
        "notices_html": _notices_html(request, item),
    }
    return render(request, "progress/timeline.html", context)


@login_required
@require_POST
def item_end(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in_user(request)
    item = _item(item_id)
    if not policies.can_manage(user, item.project.plan):
        raise PermissionDenied
    form = ItemEndForm(request.POST)
    if form.is_valid():
        try:
            services.item_end(acting_user=user, item=item, **form.cleaned_data)
            messages.success(request, _("The item's outcome is recorded."))
        except ServiceError as exc:
            _error(request, exc)
    return HttpResponseRedirect(reverse("progress:timeline", args=[item.pk]))


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted reports, oldest first, with the change since the last approved one."""
    user = signed_in_user(request)
    plans = [p for p in _plans_for(user) if policies.can_review(user, p)]
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
        _error(request, exc)
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
    return HttpResponseRedirect(_safe_next(request) or reverse("progress:queue"))


def _safe_next(request: HttpRequest) -> str | None:
    """The `next` field, only when it points back into this site (no open redirect)."""
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _plan_for(request: HttpRequest, plan_id: int, check: Any) -> tuple[Any, Plan]:
    user = signed_in_user(request)
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not check(user, plan):
        raise PermissionDenied
    return user, plan


@login_required
def overdue_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Items whose report for the last closed deadline is missing (reviewers, office, leaders)."""
    _user, plan = _plan_for(request, plan_id, policies.can_view_overdue)
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
                _error(request, exc)
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
        _error(request, exc)
    return HttpResponseRedirect(reverse("progress:extensions", args=[plan.pk]))


@login_required
def sheet_download(request: HttpRequest, plan_id: int, period_id: int) -> HttpResponse:
    user, plan = _plan_for(request, plan_id, policies.can_use_sheet)
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
    user, plan = _plan_for(request, plan_id, policies.can_use_sheet)
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
            _error(request, exc)
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


@login_required
@require_POST
def periods_generate(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The office creates the plan year's reporting periods."""
    user, plan = _plan_for(request, plan_id, policies.can_manage)
    try:
        periods = services.periods_generate(acting_user=user, plan=plan)
        messages.success(request, _("The plan has %d reporting periods.") % len(periods))
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}")


@login_required
@require_POST
def period_close(request: HttpRequest, plan_id: int, period_id: int) -> HttpResponse:
    """The office closes a period: lights and values are frozen."""
    user, plan = _plan_for(request, plan_id, policies.can_manage)
    period = get_object_or_404(Period, pk=period_id, plan=plan)
    try:
        snapshots = providers.period_close(acting_user=user, period=period)
        messages.success(
            request,
            _("Period %(period)s closed; %(n)d items frozen.") % {"period": period, "n": len(snapshots)},
        )
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("progress:inbox") + f"?plan={plan.pk}&period={period.pk}")


@login_required
@require_POST
def periods_close_due(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The office closes every past period still open, oldest first, in one action."""
    user, plan = _plan_for(request, plan_id, policies.can_manage)
    try:
        run = providers.periods_close_due(acting_user=user, plan=plan)
    except ServiceError as exc:
        _error(request, exc)
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
    user, plan = _plan_for(request, plan_id, policies.can_manage)
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
            _error(request, exc)
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
