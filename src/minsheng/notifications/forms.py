"""The office's form for a unit's group robot (群机器人)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.notifications.choices import WebhookKind


class WebhookForm(forms.Form):
    """One robot of a unit. The signing secret is never shown back: empty keeps the stored one."""

    kind = forms.ChoiceField(label=_("Robot"), choices=WebhookKind.choices)
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        help_text=_("Copied from the group's robot settings; https only."),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk 加签)"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the secret already stored."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored secret"), required=False)
    active = forms.BooleanField(label=_("Post notifications to this robot"), required=False, initial=True)
