"""Forms of the vote pages; the services check every rule again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User
from minsheng.participation.solicitation.models import Solicitation
from minsheng.participation.voting.choices import VoteRule
from minsheng.participation.voting.models import EventCandidate


class EventForm(forms.Form):
    solicitation = forms.ModelChoiceField(
        queryset=Solicitation.objects.none(), label=_("Candidates of the solicitation"), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    rule = forms.ChoiceField(label=_("Rule"), choices=VoteRule.choices)
    choose_n = forms.IntegerField(label=_("Number to choose (N)"), min_value=1)
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    quorum = forms.IntegerField(
        label=_("Quorum (ballots)"),
        min_value=1,
        help_text=_("Usually more than half of the deputies of the region."),
    )

    def __init__(self, *args: Any, solicitations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["solicitation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = solicitations


class BallotForm(forms.Form):
    choices = forms.MultipleChoiceField(
        label=_("Candidates"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: list[EventCandidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choices"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(ec.pk), f"{ec.position}. {ec.candidate.title}") for ec in candidates]


class PaperVotersForm(forms.Form):
    voters = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Deputies who voted on paper"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["voters"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = deputies


class TallyForm(forms.Form):
    ballots = forms.IntegerField(label=_("Paper ballots counted"), min_value=0)

    def __init__(self, *args: Any, candidates: list[EventCandidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for ec in candidates:
            self.fields[f"c{ec.pk}"] = forms.IntegerField(
                label=f"{ec.position}. {ec.candidate.title}", min_value=0, required=True
            )

    def counts(self) -> dict[int, int]:
        return {ec.pk: self.cleaned_data[f"c{ec.pk}"] for ec in self.candidates}
