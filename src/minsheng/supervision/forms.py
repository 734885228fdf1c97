"""Forms for issuing, answering and deciding supervision notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item


class NoticeIssueForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Addressed to"), empty_label=None)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("Required measures"), widget=forms.Textarea(attrs={"rows": 4}))
    reply_deadline = forms.DateField(
        label=_("Reply deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(item_units__item=item, item_units__role=UnitRole.LEAD).order_by(
            "item_units__position"
        )


class NoticeReplyForm(forms.Form):
    text = forms.CharField(label=_("Rectification"), widget=forms.Textarea(attrs={"rows": 5}))


class NoticeDecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
