from __future__ import annotations

from typing import Any

from django import forms

from minsheng.participation.assessment.choices import Part


class WeightsForm(forms.Form):
    """One whole-number weight per part; the service checks they add up to 100."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part, label in Part.choices:
            self.fields[part] = forms.IntegerField(label=label, min_value=0, max_value=100)
