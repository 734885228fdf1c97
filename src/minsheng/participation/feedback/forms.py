from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.participation.feedback.choices import Score
from minsheng.participation.feedback.services import COMMENT_MAX_CHARS


class RatingForm(forms.Form):
    """A visitor's rating of an item; phone and code only when phone verification is configured."""

    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=sorted(Score.choices, reverse=True),
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    code = forms.CharField(label=_("Verification code"), required=False, max_length=6)


class PhoneForm(forms.Form):
    """Asking for a verification code."""

    phone = forms.CharField(label=_("Mobile number"), max_length=20)
