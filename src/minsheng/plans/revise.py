"""The plan page's item correction after commit: one form for text, units, targets and milestones.

Kept apart from forms.py/views.py so the page and its form read together.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.core.views import signed_in_user
from minsheng.plans.adjustments import item_revise, needs_reason
from minsheng.plans.choices import TargetOp, UnitRole
from minsheng.plans.forms import split_unit_names
from minsheng.plans.models import Item
from minsheng.plans.policies import can_edit_plan


class ItemReviseForm(forms.Form):
    """An item's text and units, a target and a milestone to add, the ones to remove, and the reason."""

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_units = forms.CharField(
        label=UnitRole.LEAD.label, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    partner_units = forms.CharField(
        label=UnitRole.PARTNER.label, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    create_units = forms.BooleanField(
        label=_("Create the units not known yet"),
        required=False,
        help_text=_("Only when the name is no existing unit under another name."),
    )
    remove_targets = forms.MultipleChoiceField(
        label=_("Remove these targets"), required=False, widget=forms.CheckboxSelectMultiple
    )
    remove_milestones = forms.MultipleChoiceField(
        label=_("Remove these milestones"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_quote = forms.CharField(label=_("New target: quote"), required=False)
    target_op = forms.ChoiceField(label=_("Comparison"), choices=TargetOp.choices, required=False)
    target_value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4, required=False)
    target_unit = forms.CharField(label=_("Unit of measure"), max_length=100, required=False)
    milestone_subject = forms.CharField(label=_("New milestone: the work"), max_length=500, required=False)
    milestone_state = forms.CharField(label=_("State to reach"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required once the plan is published: it is shown on the portal beside the original."),
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        units = list(item.item_units.all())
        kwargs.setdefault(
            "initial",
            {
                "text": item.text,
                "lead_units": "\n".join(u.written_as for u in units if u.role == UnitRole.LEAD),
                "partner_units": "\n".join(u.written_as for u in units if u.role == UnitRole.PARTNER),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["remove_targets"].choices = [(str(t.pk), t.quote) for t in item.targets.all()]  # type: ignore[attr-defined]
        self.fields["remove_milestones"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), f"{m.subject} → {m.state}") for m in item.milestones.all()
        ]
        if needs_reason(item.project.plan):
            self.fields["reason"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target_quote") and data.get("target_value") is None:
            self.add_error("target_value", _("A target needs its value."))
        if bool(data.get("milestone_subject")) != bool(data.get("milestone_state")):
            self.add_error("milestone_state", _("A milestone needs the work and the state it must reach."))
        return data


class ItemReviseView(LoginRequiredMixin, View):
    """Correct an item after commit: before publishing freely, after publishing with a reason."""

    def _item(self, request: HttpRequest, pk: int) -> Item:
        item = get_object_or_404(Item.objects.select_related("project__plan__region"), pk=pk)
        if not can_edit_plan(request.user, item.project.plan):
            raise PermissionDenied
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self._item(request, pk)
        return self._render(item, ItemReviseForm(item=item))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self._item(request, pk)
        form = ItemReviseForm(request.POST, item=item)
        if not form.is_valid():
            return self._render(item, form, status=422)
        data = form.cleaned_data
        add_target = None
        if data.get("target_quote") or data.get("target_value") is not None:
            add_target = {
                "quote": data.get("target_quote") or f"{data['target_value']}{data.get('target_unit', '')}",
                "value": data["target_value"],
                "unit": data.get("target_unit", ""),
                "op": data.get("target_op") or "=",
            }
        add_milestone = None
        if data.get("milestone_subject"):
            add_milestone = {"subject": data["milestone_subject"], "state": data["milestone_state"]}
        try:
            item_revise(
                acting_user=signed_in_user(request),
                item=item,
                text=data["text"],
                lead_units=split_unit_names(data["lead_units"]),
                partner_units=split_unit_names(data["partner_units"]),
                add_target=add_target,
                add_milestone=add_milestone,
                remove_targets=[int(pk) for pk in data["remove_targets"]],
                remove_milestones=[int(pk) for pk in data["remove_milestones"]],
                reason=data.get("reason", ""),
                create_units=bool(data.get("create_units")),
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ValidationFailed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self._render(item, form, status=422)
        messages.success(request, _("The item is corrected."))
        return HttpResponseRedirect(
            reverse("plans:plan_detail", args=[item.project.plan_id]) + f"#item-{item.pk}"
        )

    def _render(self, item: Item, form: ItemReviseForm, status: int = 200) -> HttpResponse:
        context = {
            "item": item,
            "plan": item.project.plan,
            "form": form,
            "needs_reason": needs_reason(item.project.plan),
        }
        return render(self.request, "plans/item_revise.html", context, status=status)
