"""Forms of the funds pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.funds.choices import FundSource


class PlannedForm(forms.Form):
    """An item's planned investment per source, in 10,000 yuan (empty: none from that source)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in FundSource.choices:
            self.fields[value] = forms.CharField(
                label=_("%(source)s (10,000 yuan)") % {"source": label},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )


class FundSettingsForm(forms.Form):
    lag_threshold = forms.DecimalField(label=_("Fund lagging threshold (points)"), min_value=0, max_value=100)
    severe_threshold = forms.DecimalField(
        label=_("Fund severe threshold (points)"), min_value=0, max_value=100
    )
