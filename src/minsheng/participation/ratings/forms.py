"""Forms: the rating's rules, a deputy's marks, rectification reports and decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.participation.ratings.choices import Mark
from minsheng.plans.models import Project

LOCAL = "%Y-%m-%dT%H:%M"  # what an <input type="datetime-local"> shows and sends


class EventForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL)
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL)
    )
    threshold = forms.DecimalField(
        label=_("Threshold (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=80,
        help_text=_(
            "Satisfaction = (satisfied + basically satisfied) / votes; below this it is unsatisfactory."
        ),
    )


class MarksForm(forms.Form):
    """One choice per project not yet rated; a deputy may leave some for later."""

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for project in projects:
            self.fields[f"p{project.pk}"] = forms.ChoiceField(
                label=str(project), choices=Mark.choices, widget=forms.RadioSelect, required=False
            )

    def marks(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value}


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What was rectified"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
