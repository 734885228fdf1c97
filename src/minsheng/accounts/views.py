"""Sign-in and sign-out, the second factor, password changes, the account pages of the office and the
system administrator, and the security administrator's sign-in locks."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.accounts import policies
from minsheng.accounts.choices import Role
from minsheng.accounts.forms import (
    AccountForm,
    CodeForm,
    NewPasswordForm,
    OwnPasswordForm,
    SecuritySettingsForm,
    SignInForm,
    add_service_error,
)
from minsheng.accounts.middleware import client_address
from minsheng.accounts.models import SignInLock, User
from minsheng.accounts.policies import user_roles
from minsheng.accounts.security_policy import security_policy, security_policy_source, security_settings_save
from minsheng.accounts.selectors import (
    accounts_recently_signed_in,
    accounts_visible,
    audit_trail_latest,
    security_settings,
    sign_in_lock_until,
    sign_in_locks_active,
)
from minsheng.accounts.services import (
    backup_codes_renew,
    second_factor_check,
    second_factor_reset,
    sessions_end,
    sign_in_lock_lift,
    sign_in_succeeded,
    sign_out,
    totp_device_confirm,
    totp_device_start,
    user_password_set,
    user_save,
    user_set_active,
)
from minsheng.accounts.totp import config_url as totp_config_url
from minsheng.core.exceptions import NotAllowed, ServiceError, ValidationFailed
from minsheng.core.views import signed_in_user

# First matching role wins: the office prepares plans, leaders read the dashboard, reviewers review,
# reporters report, administrators go to their own pages, deputies read their region's dashboard;
# anyone else reads the plans.
_LANDING = (
    (Role.OFFICE, "plans:plan_list"),
    (Role.SYSTEM_ADMIN, "accounts:user_list"),
    (Role.SECURITY_ADMIN, "accounts:lock_list"),
    (Role.AUDIT_ADMIN, "accounts:audit_trail"),
    (Role.LEADER, "dashboard:overview"),
    (Role.REVIEWER, "progress:queue"),
    (Role.REPORTER, "progress:inbox"),
    (Role.DEPUTY, "dashboard:overview"),
)


@login_required
def start(request: HttpRequest) -> HttpResponseRedirect:
    roles = user_roles(request.user)
    target = next((name for role, name in _LANDING if role.value in roles), "plans:plan_list")
    return HttpResponseRedirect(reverse(target))


class SignInView(auth_views.LoginView):
    """The password step. Locks, failures and successes are recorded by the form and `form_valid`; the
    session's start is stamped at login (`middleware.session_started`)."""

    form_class = SignInForm
    redirect_authenticated_user = False

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        sign_in_succeeded(user=user, address=client_address(self.request), channel="web")
        return response


@never_cache
def sign_out_view(request: HttpRequest) -> HttpResponse:
    """POST: end the session (and the account's API tokens); GET shows nothing to change."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("login"))
    if request.user.is_authenticated:
        sign_out(user=signed_in_user(request))
    auth_logout(request)
    return HttpResponseRedirect(reverse("login"))


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("start")


def _secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an authenticator app: base32 in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
@sensitive_post_parameters("code")
def totp_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: the key and an otpauth:// link, then one code to confirm it."""
    user = signed_in_user(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing an authenticator needs the old one (or a backup code) first.
        return HttpResponseRedirect(
            f"{reverse('accounts:totp_verify')}?next={reverse('accounts:totp_enrol')}"
        )
    device = totp_device_start(acting_user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_device_confirm(acting_user=user, device=device, code=form.cleaned_data["code"])
        except ValidationFailed as exc:
            form.add_error("code", exc.message)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "secret": _secret_text(device),
            "config_url": totp_config_url(device),
            "next": _next_url(request),
        },
    )


@login_required
@sensitive_post_parameters("code")
def totp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a backup code."""
    user = signed_in_user(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_check(
            acting_user=user, code=form.cleaned_data["code"], address=client_address(request)
        )
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        if sign_in_lock_until(username=user.username, address=client_address(request)) is not None:
            sign_out(user=user, reason="locked at the second factor")
            auth_logout(request)
            messages.error(request, _("Too many wrong codes: sign in again later."))
            return HttpResponseRedirect(reverse("login"))
        form.add_error("code", _("That code is wrong or was used already."))
    return render(request, "accounts/totp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes, shown once."""
    user = signed_in_user(request)
    try:
        codes = backup_codes_renew(acting_user=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("accounts:totp_enrol"))
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("start")})


@login_required
@sensitive_post_parameters("old_password", "password1", "password2")
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (required when it has expired under the MLPS profile)."""
    user = signed_in_user(request)
    form = OwnPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_password_set(acting_user=user, user=user, password=form.cleaned_data["password1"])
        except ValidationFailed as exc:
            form.add_error("password1", exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/form.html",
        {"form": form, "heading": _("Change your password"), "next": _next_url(request)},
    )


# Account pages: the office for its region, the system administrator for every account.


def _manager(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not policies.can_manage_accounts(user):
        raise PermissionDenied
    return user


def _account(request: HttpRequest, pk: int) -> tuple[User, User]:
    manager = _manager(request)
    account = get_object_or_404(accounts_visible(manager), pk=pk)
    return manager, account


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """The accounts of the manager's region and the regions below it."""
    manager = _manager(request)
    accounts = list(accounts_visible(manager))
    labels = {r.value: r.label for r in Role}
    rows = [(a, [labels[g.name] for g in a.groups.all() if g.name in labels]) for a in accounts]
    return render(request, "accounts/user_list.html", {"rows": rows})


@login_required
@sensitive_post_parameters("password")
def user_create(request: HttpRequest) -> HttpResponse:
    manager = _manager(request)
    form = AccountForm(manager, None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = user_save(
                acting_user=manager,
                user=None,
                username=data["username"],
                roles=data["roles"],
                unit=data["unit"],
                region=data["region"],
                password=data["password"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": account.username})
            return HttpResponseRedirect(reverse("accounts:user_list"))
    return render(request, "accounts/form.html", {"form": form, "heading": _("New account")})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Roles, region and unit of one account; deactivate, reactivate, reset its password or second factor."""
    manager, account = _account(request, pk)
    initial = {
        "roles": [g.name for g in account.groups.all()],
        "region": account.region_id,
        "unit": account.unit_id,
    }
    form = AccountForm(manager, account, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_save(
                acting_user=manager,
                user=account,
                roles=data["roles"],
                unit=data["unit"],
                region=data["region"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("accounts:user_list"))
    return render(
        request,
        "accounts/user_edit.html",
        {"form": form, "account": account, "password_form": NewPasswordForm()},
    )


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    manager, account = _account(request, pk)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(acting_user=manager, user=account, active=active)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))
    return HttpResponseRedirect(reverse("accounts:user_edit", args=[account.pk]))


@login_required
@require_POST
@sensitive_post_parameters("password1", "password2")
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    manager, account = _account(request, pk)
    form = NewPasswordForm(request.POST)
    if form.is_valid():
        try:
            user_password_set(acting_user=manager, user=account, password=form.cleaned_data["password1"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Password reset. Tell the person through a separate channel."))
            return HttpResponseRedirect(reverse("accounts:user_edit", args=[account.pk]))
    edit_form = AccountForm(manager, account)
    return render(
        request,
        "accounts/user_edit.html",
        {"form": edit_form, "account": account, "password_form": form},
        status=400,
    )


@login_required
@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    manager, account = _account(request, pk)
    try:
        second_factor_reset(acting_user=manager, user=account)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("The authenticator was removed; the person sets up a new one at sign-in."))
    return HttpResponseRedirect(reverse("accounts:user_edit", args=[account.pk]))


# The security administrator's page.


def _security_admin(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not policies.can_manage_sign_in_locks(user):
        raise PermissionDenied
    return user


@login_required
def lock_list(request: HttpRequest) -> HttpResponse:
    """Sign-in locks in force."""
    _security_admin(request)
    return render(
        request,
        "accounts/lock_list.html",
        {
            "locks": sign_in_locks_active(),
            "signed_in": accounts_recently_signed_in(),
            "security_settings": security_settings(),
            "policy": security_policy(),
            "policy_source": security_policy_source(),
        },
    )


@login_required
def security_settings_edit(request: HttpRequest) -> HttpResponse:
    """The security administrator sets the sign-in and session rules; each change is audited."""
    user = signed_in_user(request)
    if not policies.can_edit_security_settings(user):
        raise PermissionDenied
    form = SecuritySettingsForm(request.POST or None, initial=security_policy().as_dict())
    if request.method == "POST" and form.is_valid():
        try:
            security_settings_save(acting_user=user, values=form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Security settings saved."))
            return HttpResponseRedirect(reverse("accounts:lock_list"))
    return render(request, "accounts/form.html", {"form": form, "heading": _("Security settings")})


@login_required
@require_POST
def sessions_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """End one account's sessions and API tokens."""
    user = _security_admin(request)
    account = get_object_or_404(User, pk=pk)
    sessions_end(acting_user=user, user=account)
    messages.success(request, _("Sessions of %(name)s ended.") % {"name": account.username})
    return HttpResponseRedirect(reverse("accounts:lock_list"))


@login_required
@require_POST
def lock_lift(request: HttpRequest, pk: int) -> HttpResponse:
    user = _security_admin(request)
    lock = get_object_or_404(SignInLock, pk=pk)
    sign_in_lock_lift(acting_user=user, lock=lock)
    messages.success(request, _("Lock lifted."))
    return HttpResponseRedirect(reverse("accounts:lock_list"))


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    """The audit administrator's read-only view of the latest audit rows."""
    user = signed_in_user(request)
    if not policies.can_read_audit_trail(user):
        raise PermissionDenied
    return render(request, "accounts/audit_trail.html", {"events": audit_trail_latest()})
