"""Forms of the year-end pages: the reading date, the closing confirmation, a correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.progress.choices import OutcomeKind
from minsheng.yearend.models import FinalResult


class ReadingDateForm(forms.Form):
    on = forms.DateField(
        label=_("Year-end reading date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For example the day the people's congress meets; at the earliest 31 December of the plan's "
            "year. Endings and approvals dated up to this day count for the year's final result."
        ),
    )


class CorrectionForm(forms.Form):
    """One field per target (the value reached), the ending, and the reason."""

    ending = forms.ChoiceField(label=_("Ending"), required=False, choices=())
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, result: FinalResult, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.result = result
        ending = self.fields["ending"]
        assert isinstance(ending, forms.ChoiceField)
        ending.choices = [("", _("no ending recorded")), *OutcomeKind.choices]
        self.fields["ending"].initial = result.ending
        for target in (result.values or {}).get("targets", []):
            self.fields[f"target_{target['id']}"] = forms.DecimalField(
                label=_("Reached: %(quote)s (%(unit)s)") % {"quote": target["quote"], "unit": target["unit"]},
                required=False,
                min_value=0,
                max_digits=20,
                decimal_places=4,
                initial=target.get("reached"),
            )
        self.order_fields([*(n for n in self.fields if n.startswith("target_")), "ending", "reason"])

    def reached(self) -> dict[str, Any]:
        return {
            name.removeprefix("target_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("target_")
        }
