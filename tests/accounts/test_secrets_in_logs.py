"""AUD-06: no secret reaches a log line. The sign-in, API-token, password-change and second-factor flows
run with every logger at DEBUG, and neither the log records nor what the console handler wrote contain a
password, a token, a TOTP secret or code, a backup code or a session id."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.conftest import sign_in
from accounts.test_totp import code_for
from factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-New-Pass-8842"
WRONG_PASSWORD = "Wrong-Guess-31337"


@pytest.fixture
def everything_logged(caplog: Any) -> Any:
    """Root and every Django logger at DEBUG, records captured."""
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.server", "django.security", "minsheng"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def logged_text(caplog: Any, capfd: Any) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts.append(repr({k: v for k, v in vars(record).items() if k not in {"args", "msg", "exc_info"}}))
    out, err = capfd.readouterr()
    return "\n".join([*parts, out, err])


def test_no_secret_in_any_log_line(settings: Any, office: Any, everything_logged: Any, capfd: Any) -> None:
    settings.MINSHENG_TOTP_REQUIRED = True
    secrets: list[str] = [PASSWORD, WRONG_PASSWORD, NEW_PASSWORD]

    # Web sign-in: a wrong password, then the right one.
    client = Client()
    sign_in(client, "office1", WRONG_PASSWORD)
    sign_in(client, "office1")
    secrets.append(client.cookies[django_settings.SESSION_COOKIE_NAME].value)

    # Second factor: set-up (secret key, first code, backup codes), then a code; the API token with a backup code.
    page = client.get(reverse("accounts:totp_enrol"))
    secrets.append(page.context["secret"].replace(" ", ""))
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    first = code_for(device)
    enrolled = client.post(reverse("accounts:totp_enrol"), {"code": first})
    backup_codes = re.findall(r"<code>(\w+)</code>", enrolled.content.decode())
    assert backup_codes
    secrets += [first, *backup_codes]
    fresh = Client()
    sign_in(fresh, "office1")
    second = code_for(device, 1)
    verified = fresh.post(reverse("accounts:totp_verify"), {"code": second})
    assert verified.status_code == 302
    secrets.append(fresh.cookies[django_settings.SESSION_COOKIE_NAME].value)

    # API token: a refused request, the token issued, used, and a made-up one refused.
    url = reverse("api:token")
    Client().post(url, {"username": "office1", "password": WRONG_PASSWORD}, content_type="application/json")
    issued = Client().post(
        url,
        {"username": "office1", "password": PASSWORD, "otp": backup_codes[0]},
        content_type="application/json",
    )
    token = issued.json()["token"]
    secrets += [token, second]
    Client().get("/api/plans/", HTTP_AUTHORIZATION=f"Token {token}")
    forged = "f" * 40
    Client().get("/api/plans/", HTTP_AUTHORIZATION=f"Token {forged}")
    secrets.append(forged)

    # Password change: a wrong current password, two different new ones, then the change.
    fresh.post(
        reverse("accounts:password_change"),
        {"old_password": WRONG_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    fresh.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    changed = fresh.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    fresh.post(reverse("logout"))
    # Last (django-otp slows a device down after a wrong code): a wrong code.
    late = Client()
    sign_in(late, "office1", NEW_PASSWORD)
    late.post(reverse("accounts:totp_verify"), {"code": "000000"})

    text = logged_text(everything_logged, capfd)
    assert everything_logged.records, "the flows did log something (refusals), so the check can fail"
    leaked = [secret for secret in secrets if secret and secret in text]
    assert not leaked, f"secrets in the logs: {leaked}"
