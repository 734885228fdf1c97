"""Forms of the progress pages (the report form is built per item in the view)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.progress.choices import Cycle, OutcomeKind


class DecisionForm(forms.Form):
    """Approve or return a submitted report, with a comment (required to return)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExtensionRequestForm(forms.Form):
    """延期申请: which target, the new date, why."""

    target = forms.TypedChoiceField(label=_("Target"), coerce=int)
    requested_due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, targets: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = targets


class ExtensionDecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemEndForm(forms.Form):
    """How an item ended (office)."""

    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in sheet (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ReportingSettingsForm(forms.Form):
    """Cycle, deadline day and warning thresholds of a plan."""

    cycle = forms.ChoiceField(label=_("Reporting cycle"), choices=Cycle.choices)
    deadline_day = forms.IntegerField(label=_("Deadline day"), min_value=1, max_value=31)
    lag_threshold = forms.DecimalField(label=_("Lagging threshold (points)"), min_value=0, max_value=100)
    severe_threshold = forms.DecimalField(label=_("Severe threshold (points)"), min_value=0, max_value=100)
    approx_tolerance = forms.DecimalField(
        label=_("Tolerance for approximate targets (%)"), min_value=0, max_value=100
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        lag, severe = data.get("lag_threshold"), data.get("severe_threshold")
        if lag is not None and severe is not None and severe < lag:  # type: ignore[operator]
            self.add_error(
                "severe_threshold", _("The severe threshold cannot be below the lagging threshold.")
            )
        return data
