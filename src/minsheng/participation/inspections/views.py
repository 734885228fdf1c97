"""Pages: the region's inspections and questions, recording one, asking and answering, photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import form_error, service_errors_on_form, signed_in_user
from minsheng.participation import uploads
from minsheng.participation.inspections import policies, selectors, services
from minsheng.participation.inspections.forms import AnswerForm, InspectionForm, QuestionForm
from minsheng.participation.inspections.models import Inspection, InspectionPhoto, Question
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item, Plan
from minsheng.plans.policies import can_view_plan
from minsheng.plans.selectors import plan_list


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not policies.uses_inspections(user):
        raise PermissionDenied
    plans = [
        p
        for p in plan_list(user).filter(status=PlanStatus.PUBLISHED)  # the user's region, one query
        if policies.can_record_inspection(user, p)
    ]
    context = {
        "inspections": selectors.inspections_visible(user)[:100],
        "questions": selectors.questions_visible(user)[:100],
        "plans": plans,
    }
    return render(request, "inspections/index.html", context)


@login_required
def inspection_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not can_view_plan(request.user, plan):
        raise Http404
    user = signed_in_user(request)
    if not policies.can_record_inspection(user, plan):
        raise PermissionDenied
    initial = {"items": request.GET.getlist("item")}
    form = InspectionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_record(
                acting_user=user,
                plan=plan,
                visited_on=form.cleaned_data["visited_on"],
                items=list(form.cleaned_data["items"]),
                findings=form.cleaned_data["findings"],
                photos=request.FILES.getlist("photos"),
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The inspection is recorded."))
            return redirect("inspections:inspection_detail", pk=inspection.pk)
    status = 400 if form.errors else 200
    return render(request, "inspections/inspection_new.html", {"plan": plan, "form": form}, status=status)


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = get_object_or_404(Inspection.objects.select_related("plan__region", "deputy"), pk=pk)
    if not policies.can_view_inspection(request.user, inspection):
        raise Http404
    return inspection


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    context = {
        "inspection": inspection,
        "items": inspection.items.select_related("project").order_by("project__position", "position"),
        "photos": inspection.photos.order_by("pk"),
        "can_publish": policies.can_mark_public(request.user, inspection),
        "originals": policies.can_view_original(request.user, inspection),
    }
    return render(request, "inspections/inspection_detail.html", context)


@login_required
@require_POST
def inspection_public(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not policies.can_mark_public(request.user, inspection):
        raise PermissionDenied
    public = request.POST.get("public") == "1"
    services.inspection_set_public(acting_user=signed_in_user(request), inspection=inspection, public=public)
    messages.success(
        request, _("The inspection is public.") if public else _("The inspection is internal again.")
    )
    return redirect("inspections:inspection_detail", pk=inspection.pk)


@require_safe
def photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """Clean copies of a public inspection's photos for anyone; otherwise for those who read it.
    Originals (with GPS and camera data) for the office only."""
    stored = get_object_or_404(InspectionPhoto.objects.select_related("inspection__plan__region"), pk=pk)
    inspection = stored.inspection
    if variant == "original":
        if not policies.can_view_inspection(request.user, inspection):
            raise Http404
        if not policies.can_view_original(request.user, inspection):
            raise PermissionDenied
    elif not (
        inspection.public and inspection.plan.status == PlanStatus.PUBLISHED
    ) and not policies.can_view_inspection(request.user, inspection):
        raise Http404
    response = uploads.file_response(stored, variant)
    if response is None:
        raise Http404
    return response


@login_required
def question_new(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("project__plan__region"), pk=item_id)
    if not can_view_plan(request.user, item.project.plan):
        raise Http404
    user = signed_in_user(request)
    if not policies.can_ask(user, item):
        raise PermissionDenied
    form = QuestionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                acting_user=user, item=item, unit=form.cleaned_data["unit"], text=form.cleaned_data["text"]
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your question was sent to the unit."))
            return redirect("inspections:question_detail", pk=question.pk)
    status = 400 if form.errors else 200
    return render(request, "inspections/question_new.html", {"item": item, "form": form}, status=status)


def _question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("item__project__plan__region", "unit", "deputy", "answered_by"), pk=pk
    )
    if not policies.can_view_question(request.user, question):
        raise Http404
    return question


def _render_question(
    request: HttpRequest, question: Question, form: AnswerForm | None = None
) -> HttpResponse:
    can_answer = policies.can_answer(request.user, question) and not question.answered
    context = {"question": question, "form": (form or AnswerForm()) if can_answer else None}
    return render(request, "inspections/question_detail.html", context, status=400 if form else 200)


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_question(request, _question(request, pk))


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if not policies.can_answer(request.user, question):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        with service_errors_on_form(form):
            services.question_answer(
                acting_user=signed_in_user(request), question=question, text=form.cleaned_data["answer"]
            )
            messages.success(request, _("Your answer was sent to the deputy."))
            return redirect("inspections:question_detail", pk=question.pk)
    return _render_question(request, question, form)


@login_required
def questions(request: HttpRequest) -> HttpResponse:
    """A reporter's questions from deputies to the unit, unanswered first."""
    user = signed_in_user(request)
    if not policies.answers_questions(user):
        raise PermissionDenied
    rows = selectors.questions_visible(user).order_by(F("answered_at").asc(nulls_first=True), "-created_at")
    return render(request, "inspections/questions.html", {"questions": rows})
