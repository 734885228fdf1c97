"""Plan pages: the list of plans, one plan with its projects and items, corrections and history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from minsheng.audit.models import AuditEvent
from minsheng.audit.selectors import events_about
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.core.nav import plan_steps
from minsheng.core.views import ServiceFormView, signed_in_user
from minsheng.interchange.choices import BatchStatus
from minsheng.plans.adjustments import needs_reason, target_correct
from minsheng.plans.choices import UnitRole
from minsheng.plans.filtersets import ItemFilterSet
from minsheng.plans.forms import ItemUnitsForm, MilestoneForm, TargetForm
from minsheng.plans.models import Item, Milestone, Plan, Target
from minsheng.plans.policies import can_edit_plan, can_publish_plan, can_view_plan
from minsheng.plans.selectors import items_without_lead, plan_counts, plan_detail, plan_list
from minsheng.plans.services import item_units_set, milestone_update, plan_publish


class PlanListView(LoginRequiredMixin, ListView):
    """The plans the user may see."""

    template_name = "plans/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self) -> Any:
        return plan_list(self.request.user)


def _visible_plan(request: HttpRequest, pk: int) -> Plan:
    try:
        plan = plan_detail(pk)
    except Plan.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _import_warnings(plan: Plan) -> list[str]:
    """Warnings the parser and importer gave when the plan was last imported."""
    preview = (
        plan.import_batches.filter(status=BatchStatus.COMMITTED)
        .order_by("-committed_at", "-pk")
        .values_list("preview", flat=True)
        .first()
    )
    return list((preview or {}).get("warnings", []))


class PlanDetailView(LoginRequiredMixin, View):
    """One plan: projects → items with units, targets and milestones, and the import's warnings.

    A fixed number of queries whatever the size of the plan (the selector prefetches everything).
    """

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = _visible_plan(request, pk)
        filterset = ItemFilterSet(request.GET or None, plan=plan)
        projects = list(plan.projects.all())
        if filterset.is_active and filterset.is_valid():
            wanted = set(filterset.qs.values_list("pk", flat=True))
            sections = [(p, [i for i in p.items.all() if i.pk in wanted]) for p in projects]
            sections = [(p, items) for p, items in sections if items]
        else:
            sections = [(p, list(p.items.all())) for p in projects]
        context = {
            "plan": plan,
            "sections": sections,
            "filterset": filterset,
            "filtered": filterset.is_active,
            "item_count": sum(len(items) for _p, items in sections),
            "warnings": _import_warnings(plan),
            "can_edit": can_edit_plan(request.user, plan),
            "can_publish": can_publish_plan(request.user, plan),
        }
        return render(request, "plans/plan_detail.html", context)


class PlanPublishView(LoginRequiredMixin, View):
    """Publish a draft plan: GET asks for confirmation, says what becomes public and shows what is still
    missing (items without a lead unit, steps not done) with links to fix each; POST publishes."""

    def _plan(self, request: HttpRequest, pk: int) -> Plan:
        plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
        if not can_publish_plan(request.user, plan):
            raise PermissionDenied
        return plan

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self._plan(request, pk)
        context = {
            "plan": plan,
            "counts": plan_counts(plan),
            "without_lead": items_without_lead(plan),
            "steps": [
                (step, state)
                for step, state in plan_steps(plan, request.user)
                if not state.done and step.key not in ("publish", "check")
            ],
        }
        return render(request, "plans/plan_publish.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self._plan(request, pk)
        if request.POST.get("confirm") != "yes":
            # Publishing puts the plan on the public front page: only from the confirmation page.
            return HttpResponseRedirect(reverse("plans:plan_publish", args=[plan.pk]))
        try:
            plan_publish(acting_user=signed_in_user(request), plan=plan)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The plan is published."))
        return HttpResponseRedirect(reverse("plans:plan_detail", args=[plan.pk]))


def create_units_field() -> forms.BooleanField:
    """Units are chosen, not invented: creating a unit the region does not know is a confirmed choice."""
    return forms.BooleanField(
        label=_("Create the units not known yet"),
        required=False,
        help_text=_("Only when the name is no existing unit under another name."),
    )


def _item_url(item: Item) -> str:
    return reverse("plans:plan_detail", args=[item.project.plan_id]) + f"#item-{item.pk}"


class _PlanPartEditView(ServiceFormView):
    """Edit a part of a plan: only the office of the plan's region (plans.policies.can_edit_plan)."""

    def plan_of(self, obj: Any) -> Plan:
        return obj.item.project.plan  # type: ignore[no-any-return]

    def allowed(self, obj: Any) -> bool:
        return can_edit_plan(self.request.user, self.plan_of(obj))


class TargetEditView(_PlanPartEditView):
    """Correct one target (value, unit, comparison, quote, due date)."""

    display_template = "plans/plan_detail.html#target"
    success_message = _("The target is corrected.")

    def get_object(self) -> Target:
        return get_object_or_404(
            Target.objects.select_related("item__project__plan__region"), pk=self.kwargs["pk"]
        )

    def make_form(self, obj: Any, data: Any = None) -> forms.Form:
        form = TargetForm.for_target(obj, data)
        if needs_reason(obj.item.project.plan):
            # After publishing a changed target is an adjustment (项目调整): it needs a reason.
            form.fields["reason"] = forms.CharField(
                label=_("Reason for the adjustment"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Shown on the portal beside the original."),
            )
        return form

    def save(self, obj: Any, form: forms.Form) -> None:
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "reason"}
        target_correct(
            acting_user=signed_in_user(self.request),
            target=obj,
            reason=form.cleaned_data.get("reason", ""),
            **changed,
        )

    def success_url(self, obj: Any) -> str:
        return _item_url(obj.item)

    def display_context(self, obj: Any) -> dict[str, Any]:
        return {"target": obj, "can_edit": True}

    def form_context(self, obj: Any) -> dict[str, Any]:
        return {
            "heading": _("Correct a target"),
            "context_line": obj.item.text,
            "dom_id": f"target-{obj.pk}",
            "wrapper": "li",
            "cancel_url": _item_url(obj.item),
            "display_url": reverse("plans:target_edit", args=[obj.pk]) + "?display=1",
        }


class MilestoneEditView(_PlanPartEditView):
    """Correct one milestone (subject, state, quote, due date)."""

    display_template = "plans/plan_detail.html#milestone"
    success_message = _("The milestone is corrected.")

    def get_object(self) -> Milestone:
        return get_object_or_404(
            Milestone.objects.select_related("item__project__plan__region"), pk=self.kwargs["pk"]
        )

    def make_form(self, obj: Any, data: Any = None) -> forms.Form:
        return MilestoneForm.for_milestone(obj, data)

    def save(self, obj: Any, form: forms.Form) -> None:
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        milestone_update(acting_user=signed_in_user(self.request), milestone=obj, **changed)

    def success_url(self, obj: Any) -> str:
        return _item_url(obj.item)

    def display_context(self, obj: Any) -> dict[str, Any]:
        return {"milestone": obj, "can_edit": True}

    def form_context(self, obj: Any) -> dict[str, Any]:
        return {
            "heading": _("Correct a milestone"),
            "context_line": obj.item.text,
            "dom_id": f"milestone-{obj.pk}",
            "wrapper": "li",
            "cancel_url": _item_url(obj.item),
            "display_url": reverse("plans:milestone_edit", args=[obj.pk]) + "?display=1",
        }


class ItemUnitsEditView(_PlanPartEditView):
    """Correct an item's lead and partner units (names as the list writes them)."""

    display_template = "plans/plan_detail.html#units"
    success_message = _("The units are corrected.")

    def get_object(self) -> Item:
        return get_object_or_404(Item.objects.select_related("project__plan__region"), pk=self.kwargs["pk"])

    def plan_of(self, obj: Any) -> Plan:
        return obj.project.plan  # type: ignore[no-any-return]

    def make_form(self, obj: Any, data: Any = None) -> forms.Form:
        form = ItemUnitsForm.for_item(obj, data)
        form.fields["create_units"] = create_units_field()
        return form

    def save(self, obj: Any, form: forms.Form) -> None:
        assert isinstance(form, ItemUnitsForm)
        # Both roles or neither: a failure on the second must not leave the first half-applied.
        with transaction.atomic():
            for role in UnitRole.values:
                item_units_set(
                    acting_user=signed_in_user(self.request),
                    item=obj,
                    role=role,
                    names=form.names(role),
                    create_units=bool(form.cleaned_data.get("create_units")),
                )

    def success_url(self, obj: Any) -> str:
        return _item_url(obj)

    def display_context(self, obj: Any) -> dict[str, Any]:
        return {"item": obj, "can_edit": True}

    def form_context(self, obj: Any) -> dict[str, Any]:
        return {
            "heading": _("Correct the units of an item"),
            "context_line": obj.text,
            "dom_id": f"units-{obj.pk}",
            "wrapper": "div",
            "cancel_url": _item_url(obj),
            "display_url": reverse("plans:item_units_edit", args=[obj.pk]) + "?display=1",
        }


def _field_label(object_type: str, key: str) -> str:
    """The translated name of a changed field (verbose_name, or the unit role for unit lists)."""
    for role in UnitRole:
        if key == f"{role.value}_units":
            return str(role.label)
    model = {"plans.target": Target, "plans.milestone": Milestone, "plans.item": Item}.get(object_type)
    if model is not None:
        try:
            return str(getattr(model._meta.get_field(key), "verbose_name", key))
        except FieldDoesNotExist:  # a key that is not a model field (e.g. from an import diff)
            return key
    return key


def _changes(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(_field_label(event.object_type, k), before.get(k), after.get(k)) for k in keys]


class ItemHistoryView(LoginRequiredMixin, View):
    """Who changed an item, its targets and milestones, when, and what before → after."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(Item.objects.select_related("project__plan__region"), pk=pk)
        if not can_view_plan(request.user, item.project.plan):
            raise PermissionDenied
        events = list(events_about([item, *item.targets.all(), *item.milestones.all()]))
        context = {
            "item": item,
            "plan": item.project.plan,
            "events": [(event, _changes(event)) for event in events],
        }
        return render(request, "plans/item_history.html", context)
