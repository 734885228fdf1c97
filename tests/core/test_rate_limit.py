"""General rate limit: per address and per user or token, shared through the cache, 429 with Retry-After
and a Chinese message; /healthz and static files exempt."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.test import Client

from factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-tests"},
    }
    settings.MINSHENG_RATE_LIMIT_ENABLED = True
    settings.MINSHENG_RATE_LIMIT_WINDOW = 3600  # one window for the whole test
    settings.MINSHENG_RATE_LIMIT_PER_ADDRESS = 5
    settings.MINSHENG_RATE_LIMIT_PER_USER = 3
    caches["ratelimit"].clear()


def test_an_address_past_its_limit_gets_429_in_chinese_with_retry_after() -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(5):
        assert client.get("/accounts/login/").status_code == 200
    response = client.get("/accounts/login/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "请求过于频繁" in response.content.decode()
    # Another address is counted apart.
    assert Client(REMOTE_ADDR="10.1.1.2").get("/accounts/login/").status_code == 200


def test_the_api_answers_429_in_json() -> None:
    client = Client(REMOTE_ADDR="10.1.1.3")
    for _ in range(5):
        client.get("/api/plans/")
    response = client.get("/api/plans/")
    assert response.status_code == 429 and "Retry-After" in response
    assert "请求过于频繁" in response.json()["detail"]


def test_health_and_static_are_never_limited() -> None:
    client = Client(REMOTE_ADDR="10.1.1.4")
    for _ in range(8):
        assert client.get("/healthz").status_code in (200, 503)
        assert client.get("/static/does-not-exist.css").status_code == 404


def test_a_signed_in_user_is_limited_from_any_address(district: Any) -> None:
    UserFactory(username="busy", role="office", region=district)
    for n in range(3):
        client = Client(REMOTE_ADDR=f"10.2.0.{n}")
        assert client.login(username="busy", password=PASSWORD)
        assert client.get("/accounts/login/").status_code in (200, 302)
    client = Client(REMOTE_ADDR="10.2.0.99")
    client.login(username="busy", password=PASSWORD)
    assert client.get("/accounts/login/").status_code == 429


def test_an_api_token_is_limited_and_never_stored_in_clear() -> None:
    for n in range(3):
        Client(REMOTE_ADDR=f"10.3.0.{n}").get("/api/plans/", HTTP_AUTHORIZATION="Token secret-token-value")
    response = Client(REMOTE_ADDR="10.3.0.99").get(
        "/api/plans/", HTTP_AUTHORIZATION="Token secret-token-value"
    )
    assert response.status_code == 429
    cache = caches["ratelimit"]
    assert not any("secret-token-value" in str(key) for key in cache._cache)  # type: ignore[attr-defined]


def test_counters_are_shared_by_workers_through_the_cache(settings: Any, tmp_path: Any) -> None:
    # The default without Redis: files in one directory that every worker of the host opens.
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "rate"),
        },
    }
    client = Client(REMOTE_ADDR="10.4.0.1")
    window = int(time.time() // 3600)
    for _ in range(4):
        client.get("/accounts/login/")
    # Another worker process: its own cache object on the same directory sees the count and adds to it.
    other_worker = FileBasedCache(str(tmp_path / "rate"), {})
    key = f"minsheng:rate:addr:10.4.0.1:{window}"
    assert other_worker.get(key) == 4
    other_worker.incr(key)
    assert client.get("/accounts/login/").status_code == 429


def test_off_switch(settings: Any) -> None:
    settings.MINSHENG_RATE_LIMIT_ENABLED = False
    client = Client(REMOTE_ADDR="10.5.0.1")
    assert all(client.get("/accounts/login/").status_code == 200 for _ in range(8))
