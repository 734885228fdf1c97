"""Pages: the ratings of the region, preparing one, rating as a deputy, public results, rectification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import form_error, service_errors_on_form, signed_in_user
from minsheng.participation import uploads
from minsheng.participation.ratings import policies, selectors, services
from minsheng.participation.ratings.choices import EventStatus, TaskStatus
from minsheng.participation.ratings.forms import DecisionForm, EventForm, MarksForm, ReportForm
from minsheng.participation.ratings.models import (
    RatingEvent,
    RectificationEvidence,
    RectificationReport,
    RectificationTask,
)
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.plans.policies import can_view_plan
from minsheng.plans.selectors import plan_list


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The office's ratings (and plans still without one); a deputy's ratings to take part in."""
    user = signed_in_user(request)
    if not policies.uses_ratings(user):
        raise PermissionDenied
    events = list(selectors.events_visible(user).order_by("-plan__year", "-pk"))
    rated = {e.plan_id for e in events}
    plans = [
        p
        for p in plan_list(user).filter(status=PlanStatus.PUBLISHED)  # the user's region, one query
        if p.pk not in rated and policies.can_manage_rating(user, p)
    ]
    return render(request, "ratings/index.html", {"events": events, "plans": plans})


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not can_view_plan(request.user, plan):
        raise Http404
    return plan


@login_required
def event_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if not policies.can_manage_rating(request.user, plan):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.rating_event_create(
                acting_user=signed_in_user(request), plan=plan, **form.cleaned_data
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("The satisfaction rating is prepared; open it when the rules are right.")
            )
            return redirect("ratings:event_detail", pk=event.pk)
    return render(
        request, "ratings/event_new.html", {"plan": plan, "form": form}, status=400 if form.errors else 200
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The window and threshold, while the rating is in preparation."""
    event = _event(request, pk)
    if not policies.can_manage_rating(request.user, event.plan):
        raise PermissionDenied
    initial = {
        "opens_at": timezone.localtime(event.opens_at),
        "closes_at": timezone.localtime(event.closes_at),
        "threshold": event.threshold,
    }
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_event_update(
                acting_user=signed_in_user(request), event=event, **form.cleaned_data
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The rules are saved."))
            return redirect("ratings:event_detail", pk=event.pk)
    context = {"plan": event.plan, "form": form, "event": event}
    return render(request, "ratings/event_new.html", context, status=400 if form.errors else 200)


def _event(request: HttpRequest, pk: int) -> RatingEvent:
    event = get_object_or_404(RatingEvent.objects.select_related("plan__region"), pk=pk)
    if not policies.can_view_event(request.user, event):
        raise Http404
    return event


def _render_event(request: HttpRequest, event: RatingEvent, form: MarksForm | None = None) -> HttpResponse:
    user = signed_in_user(request)
    manage = policies.can_manage_rating(user, event.plan)
    mine = selectors.deputy_marks(event, user)
    tally = selectors.tally(event)
    can_rate = policies.can_rate(user, event) and event.status == EventStatus.OPEN
    if can_rate and form is None:
        form = MarksForm(projects=[p for p, _c in tally if p.pk not in mine])
    context = {
        "event": event,
        "manage": manage,
        "tally": tally if manage else None,
        "deputies": selectors.deputies_who_rated(event) if manage else None,
        "mine": [(p, mine[p.pk]) for p, _c in tally if p.pk in mine],
        "form": form if can_rate else None,
        "marks_left": bool(form and form.fields),
    }
    return render(request, "ratings/event_detail.html", context, status=400 if form and form.errors else 200)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_event(request, _event(request, pk))


def _office_action(request: HttpRequest, pk: int, *, close: bool) -> HttpResponse:
    event = _event(request, pk)
    if not policies.can_manage_rating(request.user, event.plan):
        raise PermissionDenied
    try:
        if close:
            services.rating_event_close(acting_user=signed_in_user(request), event=event)
            messages.success(request, _("The rating is closed and its results are published."))
        else:
            services.rating_event_open(acting_user=signed_in_user(request), event=event)
            messages.success(request, _("The rating is open."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("ratings:event_detail", pk=event.pk)


@login_required
@require_POST
def event_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _office_action(request, pk, close=False)


@login_required
@require_POST
def event_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _office_action(request, pk, close=True)


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's marks for the projects on the form; errors leave everything unstored."""
    event = _event(request, pk)
    user = signed_in_user(request)
    if not policies.can_rate(user, event):
        raise PermissionDenied
    mine = selectors.deputy_marks(event, user)
    form = MarksForm(request.POST, projects=[p for p, _c in selectors.tally(event) if p.pk not in mine])
    if form.is_valid():
        try:
            ratings = services.rating_cast(acting_user=user, event=event, marks=form.marks())
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your ratings of %d project(s) are recorded.") % len(ratings))
            return redirect("ratings:event_detail", pk=event.pk)
    return _render_event(request, event, form)


def results(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Public: each project's counts, satisfaction and whether it is unsatisfactory."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    found = selectors.published_results(plan)
    if found is None:
        raise Http404
    event, rows = found
    return render(request, "ratings/results.html", {"plan": plan, "event": event, "results": rows})


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not policies.uses_rectification(user):
        raise PermissionDenied
    tasks = selectors.tasks_visible(user).order_by("status", "-created_at")
    return render(request, "ratings/task_list.html", {"tasks": tasks})


def _render_task(
    request: HttpRequest,
    pk: int,
    report_form: ReportForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    try:
        task = selectors.task_with_reports(pk)
    except RectificationTask.DoesNotExist as exc:
        raise Http404 from exc
    if not policies.can_view_task(request.user, task):
        raise Http404
    can_report = policies.can_report_task(request.user, task) and task.status in (
        TaskStatus.OPEN,
        TaskStatus.RETURNED,
    )
    context = {
        "task": task,
        "reports": list(task.reports.all()),
        "report_form": (report_form or ReportForm()) if can_report else None,
        "decision_form": (decision_form or DecisionForm())
        if policies.can_decide_task(request.user, task) and task.status == TaskStatus.SUBMITTED
        else None,
        "originals": policies.can_decide_task(request.user, task),
    }
    return render(
        request, "ratings/task_detail.html", context, status=400 if report_form or decision_form else 200
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_task(request, pk)


@login_required
@require_POST
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    task = get_object_or_404(selectors.tasks_visible(user), pk=pk)
    if not policies.can_report_task(user, task):
        raise PermissionDenied
    form = ReportForm(request.POST)
    if form.is_valid():
        with service_errors_on_form(form):
            services.rectification_report_submit(
                acting_user=user,
                task=task,
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
            )
            messages.success(request, _("Your rectification report was sent to the office."))
            return redirect("ratings:task_detail", pk=task.pk)
    return _render_task(request, pk, report_form=form)


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    report = get_object_or_404(
        RectificationReport.objects.select_related("task__project__plan__region"), pk=pk
    )
    if not policies.can_view_task(user, report.task):
        raise Http404
    if not policies.can_decide_task(user, report.task):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    accept = request.POST.get("action") == "accept"
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if accept:
                services.rectification_report_accept(acting_user=user, report=report, comment=comment)
            else:
                services.rectification_report_return(acting_user=user, report=report, comment=comment)
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("The rectification is closed.") if accept else _("The report was returned.")
            )
            return redirect("ratings:task_detail", pk=report.task_id)
    return _render_task(request, report.task_id, decision_form=form)


@login_required
def evidence(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A rectification file: the clean copy for readers of the task, the original for the office."""
    stored = get_object_or_404(
        RectificationEvidence.objects.select_related("report__task__project__plan__region"), pk=pk
    )
    task = stored.report.task
    if not policies.can_view_task(request.user, task):
        raise Http404
    if variant == "original" and not policies.can_decide_task(request.user, task):
        raise PermissionDenied
    response = uploads.file_response(stored, variant)
    if response is None:
        raise Http404
    return response
