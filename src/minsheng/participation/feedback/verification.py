"""Who is rating (评价人核验): verifiers tell one person from another without keeping personal data.

A `Verifier` turns a request into an `Identity` (a keyed hash, the channel, a masked label) or says it
does not apply. `MINSHENG_FEEDBACK_VERIFIERS` lists the ones in use, tried in order:
- ``account`` — a signed-in user (`AccountVerifier`);
- ``phone`` — a mainland mobile number and the code sent to it by SMS (`PhoneVerifier`, `sms.py`).
With none configured, anyone may rate: the person is the address (`address_identity`), ratings are
limited per address and hour (`services.RATE_PER_HOUR`) and comments wait for the office's moderation.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from minsheng.core.exceptions import ValidationFailed
from minsheng.participation.feedback.choices import Channel
from minsheng.participation.feedback.sms import sms_sender

CODE_SECONDS = 10 * 60
CODE_ATTEMPTS = 5
_PHONE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class Identity:
    """A rater as stored: `key` is a keyed hash (never the phone or address), `label` is for staff only."""

    key: str
    channel: str
    label: str = ""


def person_key(kind: str, value: str) -> str:
    """A keyed hash of `kind:value` with the site's secret (HMAC-SHA256): equal people give equal keys."""
    return salted_hmac("minsheng.feedback.rater", f"{kind}:{value}", algorithm="sha256").hexdigest()


def address_identity(address: str) -> Identity:
    """The rater when no verifier is configured: the client address, hashed."""
    return Identity(key=person_key("address", address), channel=Channel.ADDRESS)


class Verifier(Protocol):
    """One way to verify a rater."""

    name: str

    def identify(self, *, user: Any, data: Mapping[str, Any]) -> Identity | None:
        """The verified rater, or None when this way does not apply to the request; raises
        `ValidationFailed` when it applies and fails (a wrong code)."""
        ...


class AccountVerifier:
    """A signed-in user is verified by the account."""

    name = "account"

    def identify(self, *, user: Any, data: Mapping[str, Any]) -> Identity | None:
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return Identity(key=person_key("account", str(user.pk)), channel=Channel.ACCOUNT, label=user.username)


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped), or refused."""
    phone = re.sub(r"[\s\-]", "", raw or "")
    phone = re.sub(r"^(\+?86)", "", phone)
    if not _PHONE.match(phone):
        raise ValidationFailed(_("Enter a mainland mobile number of 11 digits."), field="phone")
    return phone


def mask_phone(phone: str) -> str:
    """138****5678: enough for staff to tell two raters apart, not to call them."""
    return f"{phone[:3]}****{phone[-4:]}"


def _code_key(phone: str) -> str:
    return "feedback:code:" + person_key("phone", phone)


class PhoneVerifier:
    """A mobile number and the six-digit code sent to it; the code is valid for ten minutes and five tries."""

    name = "phone"

    def send_code(self, phone: str) -> None:
        """Send a fresh code to `phone` (normalised by the caller); only its hash is kept, in the cache."""
        code = f"{secrets.randbelow(10**6):06d}"
        cache.set(_code_key(phone), {"code": person_key("code", code), "tries": 0}, CODE_SECONDS)
        sms_sender().send(
            phone, _("Your Minsheng verification code is %(code)s (valid 10 minutes).") % {"code": code}
        )

    def identify(self, *, user: Any, data: Mapping[str, Any]) -> Identity | None:
        raw = str(data.get("phone") or "").strip()
        if not raw:
            return None
        phone = normalise_phone(raw)
        code = str(data.get("code") or "").strip()
        stored = cache.get(_code_key(phone))
        if not code or stored is None:
            raise ValidationFailed(_("Ask for a code first and enter it within 10 minutes."), field="code")
        if not constant_time_compare(stored["code"], person_key("code", code)):
            stored["tries"] += 1
            if stored["tries"] >= CODE_ATTEMPTS:
                cache.delete(_code_key(phone))
            else:
                cache.set(_code_key(phone), stored, CODE_SECONDS)
            raise ValidationFailed(_("The code is wrong."), field="code")
        return Identity(key=person_key("phone", phone), channel=Channel.PHONE, label=mask_phone(phone))


VERIFIERS: dict[str, type[AccountVerifier] | type[PhoneVerifier]] = {
    "account": AccountVerifier,
    "phone": PhoneVerifier,
}


def configured_verifiers() -> list[Verifier]:
    """The verifiers named in `MINSHENG_FEEDBACK_VERIFIERS`, in order (none: open rating, moderated)."""
    names = getattr(settings, "MINSHENG_FEEDBACK_VERIFIERS", []) or []
    unknown = [n for n in names if n not in VERIFIERS]
    if unknown:
        raise ValueError(f"MINSHENG_FEEDBACK_VERIFIERS: unknown verifier(s) {unknown}")
    return [VERIFIERS[name]() for name in names]


def phone_verifier() -> PhoneVerifier | None:
    """The phone verifier when it is configured."""
    return next((v for v in configured_verifiers() if isinstance(v, PhoneVerifier)), None)


def identify(*, user: Any, data: Mapping[str, Any], address: str) -> Identity:
    """The rater behind a request: the first configured verifier that applies, or the address when none is
    configured; refused when verifiers are configured and none applies."""
    verifiers = configured_verifiers()
    if not verifiers:
        return address_identity(address)
    for verifier in verifiers:
        found = verifier.identify(user=user, data=data)
        if found is not None:
            return found
    names = [v.name for v in verifiers]
    if "phone" in names:
        raise ValidationFailed(_("Verify your mobile number to rate."), field="phone")
    raise ValidationFailed(_("Sign in to rate."), field=None)
