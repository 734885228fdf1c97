"""Signing in with the second factor in a browser: set up the authenticator from the key on the page, keep
the backup codes, sign in again with one of them."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import TOTP

from e2e.conftest import sign_in
from factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_from_key(key_text: str) -> str:
    """What an authenticator app shows for the key as the page prints it (base32 in groups of four)."""
    raw = key_text.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{TOTP(key).token():06d}"


def test_office_sets_up_the_authenticator_and_signs_in_with_a_backup_code(
    live_server, browser, district, settings
):
    settings.MINSHENG_TOTP_REQUIRED = True
    settings.LANGUAGE_CODE = "en"
    UserFactory(username="office1", role="office", region=district)
    base = live_server.url
    context = browser.new_context(locale="en-GB")
    page = context.new_page()

    sign_in(page, base, "office1", PASSWORD, "/plans/")
    assert "/accounts/second-factor/setup/" in page.url  # nothing else before the second factor
    page.locator("input[name=code]").fill(code_from_key(page.locator("#totp-secret").inner_text()))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    codes = [c.strip() for c in page.locator(".backup-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"\w+", c) for c in codes)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/plans/")

    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state("networkidle")
    sign_in(page, base, "office1", PASSWORD, "/plans/")
    assert "/accounts/second-factor/" in page.url
    page.locator("input[name=code]").fill(codes[0])
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/plans/")
    context.close()
