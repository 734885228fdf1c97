"""Forms of the solicitation pages; the services check the same limits again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.participation.solicitation.choices import Category
from minsheng.participation.solicitation.models import (
    CONTACT_MAX,
    CONTENT_MAX,
    NAME_MAX,
    SHORT_MAX,
    TITLE_MAX,
)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("What should be done"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text; say how much, e.g. 新建社区食堂3个."),
    )
    place = forms.CharField(label=_("Place"), max_length=SHORT_MAX, required=False)
    beneficiaries = forms.CharField(label=_("Who benefits"), max_length=SHORT_MAX, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    proposer_name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    proposer_contact = forms.CharField(
        label=_("Your phone or contact"),
        max_length=CONTACT_MAX,
        help_text=_("Only the supervision office sees it, to reply to you; it is never published."),
    )


class SolicitationForm(forms.Form):
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2200)
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class CandidateForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("Content"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    lead_unit = forms.CharField(label=_("Lead unit"), max_length=255, required=False)
