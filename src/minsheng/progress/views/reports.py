"""One report: the form (save, submit, copy), partner contributions, evidence files, the item timeline, the ending."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import ServiceError, ValidationFailed
from minsheng.core.views import signed_in_user
from minsheng.plans.models import Item
from minsheng.progress import addons, policies, providers, selectors, services
from minsheng.progress import evidence as evidence_files
from minsheng.progress.choices import MilestoneProgress, ReportStatus
from minsheng.progress.forms import ItemEndForm
from minsheng.progress.models import Evidence, Period, ProgressReport
from minsheng.progress.views.common import CAMERA_ACCEPT, FILE_ACCEPT, item_or_404, show_error


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


@login_required
def report_form(request: HttpRequest, item_id: int, period_id: int) -> HttpResponse:
    """One item per screen: values, milestone states, texts, photos; save, submit or copy last period."""
    user = signed_in_user(request)
    item = item_or_404(item_id)
    period = get_object_or_404(Period, pk=period_id, plan=item.project.plan)
    if not (policies.can_report(user, item) or policies.can_contribute(user, item)):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request, "progress/report_form.html", _report_context(user, item, period, _report(item, period))
        )
    if not policies.can_report(user, item):
        raise PermissionDenied
    action = request.POST.get("action", "save")
    version = request.POST.get("version") or None
    expected = int(version) if version and version.isdigit() else None
    files = request.FILES.getlist("camera") + request.FILES.getlist("files")
    here = reverse("progress:report", args=[item.pk, period.pk])
    try:
        if action == "copy":
            services.report_copy_previous(
                acting_user=user, item=item, period=period, expected_version=expected
            )
            messages.success(request, _("Copied last period's report; check and change what is new."))
        elif action == "submit" and not files:
            _submit_from_post(request, user, item, period, expected)  # month end: one pass
            messages.success(request, _("Submitted for review."))
        else:
            status = _status(item, period) if action == "submit" else None
            if status in services.SUBMITTED_OR_LATER:
                raise services.AlreadySubmitted(str(ReportStatus(status).label))
            report = _save_from_post(request, user, item, period, expected)
            _add_uploads(request, user, report)  # each photo on its own: a refused one leaves the others
            if action == "submit":
                services.report_submit(
                    acting_user=user, report=report, confirmed=request.POST.get("confirm") == "1"
                )
                messages.success(request, _("Submitted for review."))
            else:
                messages.success(request, _("Saved as a draft."))
    except services.AlreadySubmitted as exc:
        # A second submit (a double click, a resent form): the first one did it; nothing changes.
        messages.info(request, exc.message)
    except services.ConflictError as exc:
        show_error(request, exc)
        context = _report_context(user, item, period, _report(item, period), posted=request.POST)
        context["conflict"] = True
        return render(request, "progress/report_form.html", context, status=409)
    except services.NeedsConfirmation as exc:
        # The draft is saved; the same form comes back asking to confirm the unusual values.
        context = _report_context(user, item, period, _report(item, period), posted=request.POST)
        context["confirm_warnings"] = exc.warnings
        return render(request, "progress/report_form.html", context, status=400)
    except ServiceError as exc:
        show_error(request, exc)
        context = _report_context(user, item, period, _report(item, period), posted=request.POST)
        return render(request, "progress/report_form.html", context, status=400)
    return HttpResponseRedirect(here)


def _status(item: Item, period: Period) -> str | None:
    return ProgressReport.objects.filter(item=item, period=period).values_list("status", flat=True).first()


def _submit_from_post(
    request: HttpRequest, user: Any, item: Item, period: Period, expected: int | None
) -> ProgressReport:
    """Save and submit in one transaction; when the submission is refused (a value missing, unusual values
    to confirm) the draft is still saved, so nothing typed is lost, and the refusal is raised."""
    try:
        return _save_from_post(
            request, user, item, period, expected, submit=True, confirmed=request.POST.get("confirm") == "1"
        )
    except services.AlreadySubmitted:
        raise
    except ValidationFailed:
        _save_from_post(request, user, item, period, expected)
        raise


def _save_from_post(
    request: HttpRequest,
    user: Any,
    item: Item,
    period: Period,
    expected: int | None,
    *,
    submit: bool = False,
    confirmed: bool = False,
) -> ProgressReport:
    """The report and the other apps' parts of it (funds, values per site) from the form, or nothing."""
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
        parts=lambda report: addons.form_save(acting_user=user, report=report, data=post),
        submit=submit,
        confirmed=confirmed,
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
    item = item_or_404(item_id)
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
        show_error(request, exc)
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
    item = item_or_404(item_id)
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
    item = item_or_404(item_id)
    if not policies.can_manage(user, item.project.plan):
        raise PermissionDenied
    form = ItemEndForm(request.POST)
    if form.is_valid():
        try:
            services.item_end(acting_user=user, item=item, **form.cleaned_data)
            messages.success(request, _("The item's outcome is recorded."))
        except ServiceError as exc:
            show_error(request, exc)
    return HttpResponseRedirect(reverse("progress:timeline", args=[item.pk]))
