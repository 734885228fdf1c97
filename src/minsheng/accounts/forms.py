"""Sign-in, second-factor and account forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from minsheng.accounts import policies
from minsheng.accounts.models import User
from minsheng.accounts.security_policy import BOUNDS, security_policy
from minsheng.accounts.selectors import sign_in_lock_until
from minsheng.accounts.services import sign_in_failed, sign_in_refused_locked
from minsheng.core.exceptions import NotAllowed, ServiceError
from minsheng.orgs.models import Region, Unit

# One answer for a wrong password and an unknown user name, so names cannot be probed.
BAD_CREDENTIALS = _("The user name or password is wrong. Both are case-sensitive.")
LOCKED = _(
    "Too many failed sign-ins for this account or from this address. Wait %(minutes)s minutes, "
    "then try again, or ask the security administrator."
)


def _client_address(request: HttpRequest | None) -> str:
    from minsheng.accounts.middleware import client_address

    return client_address(request) if request is not None else ""


def add_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Put a service's refusal on the form field it names; a refusal of the whole request is a 403."""
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    elif isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc
    else:
        form.add_error(None, exc.message)


class SignInForm(AuthenticationForm):
    """The password step: refused while the name or the address is locked; every failure is counted."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": BAD_CREDENTIALS,
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        address = _client_address(self.request)
        locked_message = LOCKED % {"minutes": security_policy().sign_in_lock_minutes}
        if sign_in_lock_until(username=username, address=address) is not None:
            sign_in_refused_locked(username=username, address=address, channel="web")
            raise forms.ValidationError(locked_message, code="locked")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if sign_in_failed(username=username, address=address, channel="web"):
                raise forms.ValidationError(locked_message, code="locked")
            raise forms.ValidationError(BAD_CREDENTIALS, code="invalid_login")
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("One-time code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class NewPasswordForm(forms.Form):
    """A new password, typed twice; the password validators run in the service."""

    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class OwnPasswordForm(NewPasswordForm):
    """Changing one's own password: the current one first."""

    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput, strip=False)
    field_order = ["old_password", "password1", "password2"]

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("The current password is wrong."))
        return old


class AccountForm(forms.Form):
    """An account's roles, region and unit (and, for a new account, its name and first password)."""

    username = forms.CharField(label=_("User name"), max_length=150)
    roles = forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Reporters report for this unit."),
    )
    password = forms.CharField(
        label=_("First password"), widget=forms.PasswordInput, strip=False, required=False
    )

    def __init__(self, manager: User, account: User | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(r.value, r.label) for r in policies.assignable_roles(manager)]  # type: ignore[attr-defined]
        scope = policies.manager_region_ids(manager)
        regions = Region.objects.all() if scope is None else Region.objects.filter(pk__in=scope)
        units = Unit.objects.select_related("region")
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units if scope is None else units.filter(region_id__in=scope)  # type: ignore[attr-defined]
        if account is not None:
            del self.fields["username"]
            del self.fields["password"]
        else:
            self.fields["password"].required = True


def _bounded(name: str, label: Any, **kwargs: Any) -> forms.IntegerField:
    low, high = BOUNDS[name]
    return forms.IntegerField(label=label, min_value=low, max_value=high, **kwargs)


class SecuritySettingsForm(forms.Form):
    """The security administrator's sign-in and session rules (accounts.security_policy)."""

    password_min_length = _bounded("password_min_length", _("Minimum password length"))
    password_max_age_days = _bounded(
        "password_max_age_days",
        _("Staff password expiry (days)"),
        help_text=_("Applies while the MLPS profile is on."),
    )
    sign_in_failures = _bounded("sign_in_failures", _("Failed sign-ins before a lock"))
    sign_in_window_minutes = _bounded("sign_in_window_minutes", _("Counted within (minutes)"))
    sign_in_lock_minutes = _bounded("sign_in_lock_minutes", _("Lock duration (minutes)"))
    session_idle_minutes = _bounded("session_idle_minutes", _("Sign out after idle (minutes)"))
    session_max_hours = _bounded("session_max_hours", _("Longest session (hours)"))
    totp_required = forms.BooleanField(
        label=_("Second factor required"),
        required=False,
        help_text=_("Office, reviewers and administrators confirm a one-time code after the password."),
    )
