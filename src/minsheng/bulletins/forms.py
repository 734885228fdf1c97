from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.progress.models import Period


class BulletinForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.none())

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Period.objects.filter(plan=plan).order_by("start")
