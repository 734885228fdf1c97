"""Forms: an inspection, a question, an answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.plans.models import Item, Plan


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.project.no}. {obj.text[:60]}"


class InspectionForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date of the inspection"), widget=forms.DateInput(attrs={"type": "date"})
    )
    items = ItemChoiceField(
        queryset=Item.objects.none(), label=_("Items inspected"), widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Item.objects.filter(project__plan=plan)
            .select_related("project")
            .order_by("project__position", "position")
        )


class QuestionForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Addressed to"), empty_label=None)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(item_units__item=item).order_by(
            "item_units__role", "item_units__position"
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
