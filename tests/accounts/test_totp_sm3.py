"""SM3-based TOTP (密评, AUTH-07): with MINSHENG_TOTP_DIGEST = "sm3" the second factor takes HMAC-SM3 codes
(RFC 6238 truncation), still once each and within the drift window; the set-up link says algorithm=SM3."""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.conftest import sign_in
from factories import PASSWORD
from minsheng.accounts import totp as totp_module
from minsheng.accounts.totp import hmac_sm3, hotp, sm3, sm3_pure

# GB/T 32905-2016, appendix A.
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM3_ABCD_16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"

needs_openssl_sm3 = pytest.mark.skipif(
    not totp_module.OPENSSL_SM3, reason="this OpenSSL has no SM3 to compare with"
)


def independent_code(key: bytes, at: float, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 over HMAC-SM3 written out here, using OpenSSL's SM3 through the standard hmac module."""
    counter = int(at) // step
    mac = hmac.new(key, struct.pack(">Q", counter), lambda *data: hashlib.new("sm3", *data)).digest()
    offset = mac[-1] & 0x0F
    value = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{value:0{digits}d}"


@pytest.mark.parametrize("digest", [sm3, sm3_pure])
def test_sm3_matches_the_standard_test_vectors(digest):
    assert digest(b"abc").hex() == SM3_ABC
    assert digest(b"abcd" * 16).hex() == SM3_ABCD_16


@needs_openssl_sm3
def test_pure_python_sm3_and_hmac_agree_with_openssl():
    for size in (0, 1, 55, 56, 63, 64, 65, 200):
        data = bytes(range(256))[:size] * 3
        assert sm3_pure(data) == hashlib.new("sm3", data).digest()
    for key in (b"k", b"12345678901234567890", b"x" * 100):  # short, usual, longer than a block
        expected = hmac.new(key, b"message", lambda *d: hashlib.new("sm3", *d)).digest()
        assert hmac_sm3(key, b"message") == expected


def test_sha1_hotp_still_gives_the_rfc_4226_values():
    key = b"12345678901234567890"
    assert [hotp(key, c) for c in range(4)] == [755224, 287082, 359152, 969429]
    assert hotp(key, 0, digest="sm3") != 755224


@pytest.fixture
def sm3_on(settings):
    settings.MINSHENG_TOTP_REQUIRED = True
    settings.MINSHENG_TOTP_DIGEST = "sm3"
    # django-otp waits 1 s after a wrong code; these tests post a wrong one and then the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def enrol_sm3(client: Client) -> TOTPDevice:
    page = client.get(reverse("accounts:totp_enrol"))
    assert page.status_code == 200
    query = parse_qs(urlsplit(page.context["config_url"]).query)
    assert query["algorithm"] == ["SM3"]
    assert "algorithm=SM3" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="office1", confirmed=False)
    # A SHA-1 authenticator app's code does not confirm an SM3 device.
    sha1_code = f"{hotp(device.bin_key, int(time.time()) // 30):06d}"
    assert client.post(reverse("accounts:totp_enrol"), {"code": sha1_code}).context["form"].errors
    response = client.post(
        reverse("accounts:totp_enrol"), {"code": independent_code(device.bin_key, time.time())}
    )
    assert (
        response.status_code == 200
        and len(re.findall(r"<code>(\w+)</code>", response.content.decode())) == 10
    )
    device.refresh_from_db()
    assert device.confirmed
    return device


@needs_openssl_sm3
def test_an_sm3_token_signs_in_once_within_the_window(sm3_on, office):
    client = Client()
    sign_in(client, "office1")
    device = enrol_sm3(client)
    client.post(reverse("logout"))

    client = Client()
    sign_in(client, "office1")
    far = independent_code(device.bin_key, time.time() + 20 * 30)
    assert client.post(reverse("accounts:totp_verify"), {"code": far}).status_code == 200
    assert client.get(reverse("plans:plan_list")).status_code == 302
    next_step = independent_code(device.bin_key, time.time() + 30)  # one step ahead: inside the drift window
    response = client.post(reverse("accounts:totp_verify"), {"code": next_step, "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert client.get(reverse("plans:plan_list")).status_code == 200

    again = Client()
    sign_in(again, "office1")
    response = again.post(reverse("accounts:totp_verify"), {"code": next_step})
    assert response.status_code == 200 and "used already" in str(response.context["form"].errors)


@needs_openssl_sm3
def test_the_api_token_takes_an_sm3_code(sm3_on, office):
    client = Client()
    sign_in(client, "office1")
    device = enrol_sm3(client)
    url = reverse("api:token")
    body = {"username": "office1", "password": PASSWORD}
    sha1_code = f"{hotp(device.bin_key, int(time.time()) // 30 + 1):06d}"
    refused = Client().post(url, {**body, "otp": sha1_code}, content_type="application/json")
    assert refused.status_code == 400
    code = independent_code(device.bin_key, time.time() + 30)
    assert Client().post(url, {**body, "otp": code}, content_type="application/json").status_code == 200


def test_by_default_the_setup_link_says_sha1(settings, office):
    settings.MINSHENG_TOTP_REQUIRED = True
    client = Client()
    sign_in(client, "office1")
    page = client.get(reverse("accounts:totp_enrol"))
    assert parse_qs(urlsplit(page.context["config_url"]).query)["algorithm"] == ["SHA1"]


def test_an_unknown_digest_fails_the_system_check(settings):
    settings.MINSHENG_TOTP_DIGEST = "md5"
    ids = {message.id for message in run_checks(include_deployment_checks=False)}
    assert "accounts.E005" in ids
    settings.MINSHENG_TOTP_DIGEST = "SM3"
    assert "accounts.E005" not in {message.id for message in run_checks()}


@needs_openssl_sm3
def test_without_openssl_sm3_the_pure_python_path_gives_the_same_codes(monkeypatch):
    monkeypatch.setattr(totp_module, "OPENSSL_SM3", False)
    key = b"12345678901234567890"
    for counter in (0, 1, 59, 1_111_111_111 // 30):
        assert f"{hotp(key, counter, digest='sm3'):06d}" == independent_code(key, counter * 30)


@needs_openssl_sm3
def test_wrong_sm3_codes_are_still_throttled(settings, office):
    settings.MINSHENG_TOTP_REQUIRED = True
    settings.MINSHENG_TOTP_DIGEST = "sm3"
    client = Client()
    sign_in(client, "office1")
    device = enrol_sm3(client)
    client = Client()
    sign_in(client, "office1")
    assert client.post(reverse("accounts:totp_verify"), {"code": "000000"}).status_code == 200
    right = independent_code(device.bin_key, time.time() + 30)
    assert client.post(reverse("accounts:totp_verify"), {"code": right}).status_code == 200  # too soon
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused by the delay, as in django-otp
    assert client.get(reverse("plans:plan_list")).status_code == 302
