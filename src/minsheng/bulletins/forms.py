from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.bulletins.choices import BulletinScope
from minsheng.progress.models import Period


class BulletinForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.none())
    scope = forms.ChoiceField(
        label=_("Covers"), choices=BulletinScope.choices, initial=BulletinScope.PERIOD, required=False
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or BulletinScope.PERIOD

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Period.objects.filter(plan=plan).order_by("start")


class DocumentSettingsForm(forms.Form):
    """发文机关, 机关代字 for 文号, 主送 and 抄送 of the plan's documents."""

    organ = forms.CharField(label=_("Issuing organ"), max_length=100)
    abbreviation = forms.CharField(label=_("Abbreviation for document numbers"), max_length=6)
    addressees = forms.CharField(label=_("Addressees"), max_length=200, required=False)
    copy_to = forms.CharField(label=_("Copy to"), max_length=300, required=False)
