"""Request gates for signed-in users: session limits, Django admin's host and role, the second factor,
expired passwords. They run after AuthenticationMiddleware and OTPMiddleware, in this order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from minsheng.accounts import policies
from minsheng.accounts.security_policy import security_policy
from minsheng.accounts.selectors import password_expired
from minsheng.accounts.services import sign_out
from minsheng.core.client import client_address as core_client_address

Handler = Callable[[HttpRequest], HttpResponse]
STARTED = "minsheng_started"
SEEN = "minsheng_seen"
# Writing the session on every request would cost a write per page; a minute is fine for a 30-minute limit.
_SEEN_RESOLUTION = 60


def client_address(request: HttpRequest) -> str:
    """The address sign-in locks are keyed on (core.client: the peer, or behind a trusted proxy the
    right-most untrusted X-Forwarded-For hop)."""
    return core_client_address(request)


def _open_paths() -> tuple[str, ...]:
    """Paths a signed-in user reaches before the second factor or a password change."""
    return (
        reverse("logout"),
        reverse("accounts:totp_verify"),
        reverse("accounts:totp_enrol"),
        reverse("accounts:password_change"),
        settings.STATIC_URL,
        "/i18n/",
    )


def session_started(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """`user_logged_in` receiver: stamp the session's start, so the first page after signing in does not
    write the session again. (Bookkeeping only; the sign-in's audit row is written by its service.)"""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED] = request.session[SEEN] = timezone.now().timestamp()


def _unwrapped(user: Any) -> Any:
    """The object behind (nested) lazy wrappers, evaluated."""
    while isinstance(user, LazyObject):
        wrapper: Any = user
        if wrapper._wrapped is empty:
            wrapper._setup()
        user = wrapper._wrapped
    return user


class SessionLimitsMiddleware:
    """End a session after MINSHENG_SESSION_IDLE_SECONDS without a request or MINSHENG_SESSION_MAX_SECONDS
    in all; the page then asks for a sign-in like any anonymous request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None:
            # Read here anyway: the page then uses the user itself, not the two lazy wrappers (auth's and
            # django-otp's) that every one of its few hundred reads of request.user went through.
            user = request.user = _unwrapped(user)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            policy = security_policy()
            started = session.get(STARTED)
            seen = session.get(SEEN)
            if started is None or seen is None:
                session[STARTED] = session[SEEN] = now
            elif now - seen > policy.session_idle_seconds:
                self._end(request, "session idle")
            elif now - started > policy.session_max_seconds:
                self._end(request, "session too long")
            elif user.sessions_ended_at is not None and started < user.sessions_ended_at.timestamp():
                self._end(request, "session ended by an administrator")
            elif now - seen > _SEEN_RESOLUTION:
                session[SEEN] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: str) -> None:
        sign_out(user=request.user, reason=reason)  # type: ignore[arg-type]
        logout(request)
        request.user = AnonymousUser()


def _host_serves_admin(request: HttpRequest) -> bool:
    hosts = settings.MINSHENG_ADMIN_HOSTS
    if "*" in hosts:
        return True
    host = (
        request.get_host().rsplit(":", 1)[0] if not request.get_host().endswith("]") else request.get_host()
    )
    return host.lower() in {h.lower() for h in hosts}


class AdminSiteMiddleware:
    """Django admin answers only on the management host(s) and only to the system administrator; anyone
    else gets 404, as if it did not exist. Signing in goes through the app's own sign-in (lockout, TOTP)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        admin_prefix = reverse("admin:index")
        if request.path.startswith(admin_prefix):
            if not _host_serves_admin(request):
                raise Http404
            if not request.user.is_authenticated:
                return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            if not policies.can_use_django_admin(request.user):
                raise Http404
        return self.get_response(request)


def _refuse(request: HttpRequest, target: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SecondFactorMiddleware:
    """Under MINSHENG_TOTP_REQUIRED, office, reviewers and administrators reach no page but enrolment,
    verification and sign-out until they have confirmed a one-time code in this session."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and policies.needs_second_factor(user)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_open_paths())
        ):
            from django_otp import devices_for_user

            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            target = reverse("accounts:totp_verify" if has_device else "accounts:totp_enrol")
            return _refuse(request, target, _("Confirm a one-time code first."))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Under MINSHENG_MLPS, a staff password older than 90 days must be changed before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and password_expired(user) and not request.path.startswith(_open_paths()):
            return _refuse(request, reverse("accounts:password_change"), _("Change your password first."))
        return self.get_response(request)
