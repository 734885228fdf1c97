"""Client address behind proxies: X-Forwarded-For is believed only from MINSHENG_TRUSTED_PROXIES, and then
its right-most untrusted hop is the client (lockout, rate limit and audit rows all use it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from accounts.conftest import sign_in
from minsheng.accounts.models import SignInFailure
from minsheng.audit.models import AuditEvent
from minsheng.core.client import client_address


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.MINSHENG_TRUSTED_PROXIES = []
    assert address("10.0.0.7", "1.2.3.4") == "10.0.0.7"


def test_from_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings: Any) -> None:
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.0/24", "192.168.9.9"]
    # The client wrote "6.6.6.6" itself; the proxies appended the real client and each other.
    assert address("10.0.0.1", "6.6.6.6, 203.0.113.5, 192.168.9.9") == "203.0.113.5"
    assert address("10.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert address("10.0.0.1", "2001:db8::1") == "2001:db8::1"


def test_a_request_not_from_a_trusted_proxy_keeps_its_own_address(settings: Any) -> None:
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert address("198.51.100.3", "203.0.113.5") == "198.51.100.3"


def test_garbage_or_only_trusted_hops_fall_back_to_the_last_trusted(settings: Any) -> None:
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert address("10.0.0.1", "<script>") == "10.0.0.1"
    assert address("10.0.0.1", "10.0.0.2, 10.0.0.3") == "10.0.0.2"
    assert address("10.0.0.1", "") == "10.0.0.1"
    assert address("10.0.0.1", "203.0.113.5:4711") == "203.0.113.5"


@pytest.mark.django_db
def test_lockout_and_audit_use_the_client_behind_the_proxy(settings: Any, office: Any) -> None:
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    sign_in(client, "office1", "wrong password")
    assert SignInFailure.objects.get().address == "203.0.113.5"
    assert AuditEvent.objects.filter(action="login_failed").get().address == "203.0.113.5"
    # Untrusted peer: its own address, whatever it claims.
    settings.MINSHENG_TRUSTED_PROXIES = []
    sign_in(client, "office1", "wrong password")
    assert SignInFailure.objects.order_by("-time").first().address == "10.0.0.1"  # type: ignore[union-attr]
