"""The security policy in force (安全策略): the security administrator's SecuritySettings row, else the
Django settings (MINSHENG_SIGN_IN_*, MINSHENG_SESSION_*, MINSHENG_TOTP_REQUIRED, …) as defaults.

The code that applies the rules (lockout, session limits, second factor, password length and expiry) reads
`security_policy()`. The row is kept in memory for MINSHENG_SECURITY_SETTINGS_SECONDS (so a page costs no
query for it); the worker that saves forgets it at once, the others within that time.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from minsheng.accounts import policies
from minsheng.accounts.models import SecuritySettings, User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed

SINGLETON_PK = 1


@dataclass(frozen=True)
class SecurityPolicy:
    """The values in force."""

    password_min_length: int
    password_max_age_days: int
    sign_in_failures: int
    sign_in_window_minutes: int
    sign_in_lock_minutes: int
    session_idle_minutes: int
    session_max_hours: int
    totp_required: bool

    @property
    def session_idle_seconds(self) -> int:
        return self.session_idle_minutes * 60

    @property
    def session_max_seconds(self) -> int:
        return self.session_max_hours * 3600

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


FIELDS = tuple(field.name for field in dataclasses.fields(SecurityPolicy))

# Bounds a page may set (the lower ones are what 等保 level 3 still accepts). The longest session cannot
# pass the session cookie's own age.
BOUNDS: dict[str, tuple[int, int]] = {
    "password_min_length": (8, 64),
    "password_max_age_days": (1, 365),
    "sign_in_failures": (3, 10),
    "sign_in_window_minutes": (1, 1440),
    "sign_in_lock_minutes": (1, 1440),
    "session_idle_minutes": (5, 240),
    "session_max_hours": (1, 24),
}


def _min_length_setting() -> int:
    validators: list[dict[str, Any]] = list(settings.AUTH_PASSWORD_VALIDATORS)  # type: ignore[arg-type]
    for validator in validators:
        if str(validator["NAME"]).endswith("MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 8


def policy_defaults() -> SecurityPolicy:
    """The Django settings' values (what applies while nobody has saved the page)."""
    return SecurityPolicy(
        password_min_length=int(getattr(settings, "MINSHENG_PASSWORD_MIN_LENGTH", _min_length_setting())),
        password_max_age_days=int(settings.MINSHENG_PASSWORD_MAX_AGE_DAYS),
        sign_in_failures=int(settings.MINSHENG_SIGN_IN_FAILURES),
        sign_in_window_minutes=int(settings.MINSHENG_SIGN_IN_WINDOW_MINUTES),
        sign_in_lock_minutes=int(settings.MINSHENG_SIGN_IN_LOCK_MINUTES),
        session_idle_minutes=int(settings.MINSHENG_SESSION_IDLE_SECONDS) // 60,
        session_max_hours=int(settings.MINSHENG_SESSION_MAX_SECONDS) // 3600,
        totp_required=bool(getattr(settings, "MINSHENG_TOTP_REQUIRED", False)),
    )


# (time loaded, the row's values or None for "no row"); None = not loaded.
_memo: tuple[float, dict[str, Any] | None] | None = None


def security_policy_forget(*, assume_no_row: bool = False) -> None:
    """Drop the remembered row (after a save); `assume_no_row` remembers "none saved" (the test suite)."""
    global _memo
    _memo = (float("inf"), None) if assume_no_row else None


def _row_values() -> dict[str, Any] | None:
    global _memo
    now = time.monotonic()
    ttl = float(getattr(settings, "MINSHENG_SECURITY_SETTINGS_SECONDS", 30))
    if _memo is not None and (_memo[0] == float("inf") or now - _memo[0] < ttl):
        return _memo[1]
    row = SecuritySettings.objects.filter(pk=SINGLETON_PK).values(*FIELDS).first()
    _memo = (now, row)
    return row


def security_policy() -> SecurityPolicy:
    """The rules in force: the saved row, else the Django settings."""
    row = _row_values()
    return SecurityPolicy(**row) if row is not None else policy_defaults()


def security_policy_source() -> str:
    """ "page" when the security administrator has saved the settings, else "settings"."""
    return "page" if _row_values() is not None else "settings"


@transaction.atomic
def security_settings_save(*, acting_user: User, values: dict[str, Any]) -> SecurityPolicy:
    """Save the security settings (security administrator only), audited before → after."""
    if not policies.can_edit_security_settings(acting_user):
        raise NotAllowed("Only the security administrator changes the security settings.")
    cleaned: dict[str, Any] = {}
    for name in FIELDS:
        if name not in values:
            raise ValidationFailed(f"{name} is missing.", field=name)
        value = values[name]
        if name == "totp_required":
            cleaned[name] = bool(value)
            continue
        low, high = BOUNDS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValidationFailed(f"Enter a whole number from {low} to {high}.", field=name)
        cleaned[name] = value
    if cleaned["session_max_hours"] * 3600 > settings.SESSION_COOKIE_AGE:
        raise ValidationFailed(
            f"At most {settings.SESSION_COOKIE_AGE // 3600} hours (the session cookie's age).",
            field="session_max_hours",
        )
    if cleaned["session_idle_minutes"] > cleaned["session_max_hours"] * 60:
        raise ValidationFailed(
            "The idle timeout cannot be longer than the longest session.", field="session_idle_minutes"
        )
    existing = SecuritySettings.objects.select_for_update().filter(pk=SINGLETON_PK).first()
    before = (
        {name: getattr(existing, name) for name in FIELDS}
        if existing is not None
        else policy_defaults().as_dict()
    )
    row = existing or SecuritySettings(pk=SINGLETON_PK)
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.updated_by = acting_user
    row.save()
    changed = {name for name in FIELDS if before[name] != cleaned[name]}
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=row,
        before={name: before[name] for name in sorted(changed)},
        after={name: cleaned[name] for name in sorted(changed)},
        message="security settings changed" if changed else "security settings saved unchanged",
    )
    transaction.on_commit(security_policy_forget)
    security_policy_forget()
    return SecurityPolicy(**cleaned)
