"""TOTP codes with a configurable hash: HMAC-SHA1 for ordinary authenticator apps, or HMAC-SM3 for
国密 (SM3) tokens under 密评 (commercial cryptography assessment). `MINSHENG_TOTP_DIGEST` picks one.

django-otp's TOTPDevice keeps the key, step, drift, last used step and throttling; only the code itself
is computed here (RFC 4226 dynamic truncation, RFC 6238 time steps), so single use (`last_t`), the drift
window (`tolerance`) and throttling behave exactly as for SHA-1.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DIGESTS = ("sha1", "sm3")


def totp_digest() -> str:
    """The configured TOTP hash, "sha1" (default) or "sm3"."""
    value = str(getattr(settings, "MINSHENG_TOTP_DIGEST", "sha1") or "sha1").lower()
    if value not in DIGESTS:
        raise ImproperlyConfigured(
            f"MINSHENG_TOTP_DIGEST must be one of {', '.join(DIGESTS)}, not {value!r}."
        )
    return value


# SM3 (GB/T 32905-2016). OpenSSL 1.1.1+ usually provides it through hashlib; the pure-Python version
# below is used where it does not (some FIPS or trimmed builds).

_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def sm3_pure(data: bytes) -> bytes:
    """SM3 digest in pure Python (32 bytes)."""
    length = len(data) * 8
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack(">Q", length)
    v = list(_IV)
    for start in range(0, len(padded), 64):
        w = list(struct.unpack(">16I", padded[start : start + 64]))
        for j in range(16, 68):
            w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        w1 = [w[j] ^ w[j + 4] for j in range(64)]
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            tj = 0x79CC4519 if j < 16 else 0x7A879D8A
            ss1 = _rotl((_rotl(a, 12) + e + _rotl(tj, j)) & _MASK, 7)
            ss2 = ss1 ^ _rotl(a, 12)
            if j < 16:
                ff, gg = a ^ b ^ c, e ^ f ^ g
            else:
                ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
            tt1 = (ff + d + ss2 + w1[j]) & _MASK
            tt2 = (gg + h + ss1 + w[j]) & _MASK
            a, b, c, d = tt1, a, _rotl(b, 9), c
            e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
        v = [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True)]
    return struct.pack(">8I", *v)


def _openssl_has_sm3() -> bool:
    try:
        hashlib.new("sm3")
    except ValueError:
        return False
    return True


OPENSSL_SM3 = _openssl_has_sm3()


def sm3(data: bytes) -> bytes:
    """SM3 digest: OpenSSL's when available, else the pure-Python one."""
    if OPENSSL_SM3:
        return hashlib.new("sm3", data).digest()
    return sm3_pure(data)


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """HMAC (RFC 2104) over SM3, block size 64 bytes."""
    if len(key) > 64:
        key = sm3(key)
    key = key.ljust(64, b"\x00")
    inner = sm3(bytes(k ^ 0x36 for k in key) + message)
    return sm3(bytes(k ^ 0x5C for k in key) + inner)


def hotp(key: bytes, counter: int, *, digits: int = 6, digest: str = "sha1") -> int:
    """RFC 4226 HOTP with the chosen hash; the offset is the low nibble of the last byte."""
    message = struct.pack(">Q", counter)
    mac = hmac_sm3(key, message) if digest == "sm3" else hmac.new(key, message, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return code % 10**digits


class DigestTOTP(TOTP):
    """django-otp's TOTP (time steps, drift, verify window) with the code made by `hotp` above."""

    def __init__(self, *args: Any, digest: str = "sha1", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.digest = digest

    def token(self) -> int:
        return hotp(self.key, self.t(), digits=self.digits, digest=self.digest)


def device_verify(device: TOTPDevice, code: str) -> bool:
    """Check a code on an authenticator under the configured hash; a code works once (`last_t`)."""
    digest = totp_digest()
    if digest == "sha1":
        return bool(device.verify_token(code))
    # Same steps as TOTPDevice.verify_token, with the SM3 code.
    allowed, _reason = device.verify_is_allowed()
    if not allowed:
        return False
    try:
        token = int(code)
    except (TypeError, ValueError):
        verified = False
    else:
        totp = DigestTOTP(device.bin_key, device.step, device.t0, device.digits, device.drift, digest=digest)
        totp.time = time.time()
        verified = totp.verify(token, device.tolerance, device.last_t + 1)
        if verified:
            device.last_t = totp.t()
            if getattr(settings, "OTP_TOTP_SYNC", True):
                device.drift = totp.drift
            device.throttle_reset(commit=False)
            device.set_last_used_timestamp(commit=False)
            device.save()
    if not verified:
        device.throttle_increment(commit=True)
    return verified


def match_code(user: Any, code: str) -> Device | None:
    """The confirmed device of `user` accepting `code` (authenticator or backup code), else None.

    Like django_otp.match_token, with the authenticator checked under MINSHENG_TOTP_DIGEST.
    """
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            ok = device_verify(device, code) if isinstance(device, TOTPDevice) else device.verify_token(code)
            if ok:
                return device
    return None


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// link for the set-up page, naming the configured algorithm (SHA1 or SM3)."""
    url = str(device.config_url)
    if totp_digest() == "sm3":
        url = url.replace("algorithm=SHA1", "algorithm=SM3", 1)
    return url
