"""Read accounts, sign-in locks and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework.authtoken.models import Token

from minsheng.accounts import policies
from minsheng.accounts.choices import ADMIN_ROLES, LockKind
from minsheng.accounts.models import SignInLock, User
from minsheng.accounts.security_policy import security_policy


def sign_in_lock_until(*, username: str, address: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the account name or the address is locked: the end of the lock, else None."""
    now = now or timezone.now()
    lock = (
        SignInLock.objects.filter(until__gt=now)
        .filter(
            Q(kind=LockKind.ACCOUNT, key=username.strip().lower()) | Q(kind=LockKind.ADDRESS, key=address)
        )
        .order_by("-until")
        .first()
    )
    return lock.until if lock is not None else None


def sign_in_locks_active(now: dt.datetime | None = None) -> QuerySet[SignInLock]:
    """Locks still in force, the longest first."""
    return SignInLock.objects.filter(until__gt=now or timezone.now()).order_by("-until")


def api_token_expired(token: Token, now: dt.datetime | None = None) -> bool:
    """API tokens last MINSHENG_API_TOKEN_HOURS from their creation."""
    now = now or timezone.now()
    return token.created < now - dt.timedelta(hours=settings.MINSHENG_API_TOKEN_HOURS)


def accounts_visible(user: Any) -> QuerySet[User]:
    """The accounts `user` manages: in its region or below (by the account's region or its unit's).

    Administrators are listed only to the system administrator; two queries whatever the size.
    """
    if not policies.can_manage_accounts(user):
        return User.objects.none()
    accounts = User.objects.filter(is_superuser=False).select_related("unit", "region")
    scope = policies.manager_region_ids(user)
    if scope is not None:
        accounts = accounts.filter(Q(region_id__in=scope) | Q(region__isnull=True, unit__region_id__in=scope))
    if not policies.is_system_admin(user):
        accounts = accounts.exclude(groups__name__in=ADMIN_ROLES)
    return accounts.prefetch_related("groups").order_by("username")


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    """True when `user`'s password is older than MINSHENG_PASSWORD_MAX_AGE_DAYS and must change."""
    if not policies.password_expires(user):
        return False
    now = now or timezone.now()
    return user.password_changed_at < now - dt.timedelta(days=security_policy().password_max_age_days)


def audit_trail_latest(limit: int = 200) -> Any:
    """The newest audit rows, for the audit administrator's page."""
    from minsheng.audit.models import AuditEvent

    return AuditEvent.objects.order_by("-time", "-id")[:limit]


def accounts_recently_signed_in(now: dt.datetime | None = None) -> QuerySet[User]:
    """Active accounts signed in within the longest session (12 hours): those that may hold a session."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=security_policy().session_max_seconds)
    return User.objects.filter(is_active=True, last_login__gte=since).order_by("-last_login")


def security_settings() -> list[tuple[str, object]]:
    """The settings the security administrator reads but does not set on the page (environment or the
    settings file); the others are the page's form (accounts.security_policy)."""
    names = (
        "MINSHENG_MLPS",
        "MINSHENG_API_TOKEN_HOURS",
        "MINSHENG_ACCOUNT_IDLE_DAYS",
        "MINSHENG_ADMIN_HOSTS",
        "MINSHENG_TRUSTED_PROXIES",
        "MINSHENG_RATE_LIMIT_PER_ADDRESS",
        "MINSHENG_RATE_LIMIT_PER_USER",
    )
    return [(name, getattr(settings, name)) for name in names]
