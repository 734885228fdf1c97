"""Anonymous portal pages come from the shared cache, answer 304 when unchanged, and change on publish,
approval and period close; signed-in users and the language form's CSRF token are never shared."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dashboard.scenario import approve, build
from minsheng.progress.services import item_end

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def scenario(district: Any) -> Any:
    return build(district)


def test_a_second_visitor_gets_the_stored_page_without_a_query(scenario: Any) -> None:
    url = f"/public/plans/{scenario.plan.pk}/"
    first = Client().get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as ctx:
        again = Client().get(url)
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    assert len(ctx.captured_queries) == 0
    assert again.content.decode().count(scenario.plan.title) == first.content.decode().count(
        scenario.plan.title
    )


def test_unchanged_answers_304_and_approval_changes_the_page(scenario: Any) -> None:
    client = Client()
    first = client.get("/")
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    approve(scenario, scenario.items()[0], 3, "0.5")
    changed = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_an_ending_and_a_period_close_show_at_once(scenario: Any) -> None:
    item = scenario.items()[0]
    url = f"/public/items/{item.pk}/"
    client = Client()
    before = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    item_end(
        acting_user=scenario.office,
        item=item,
        kind="terminated",
        reason="并入其他项目",
        ended_on=dt.date(2024, 6, 1),
    )
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "已终止" in after.content.decode() and "已终止" not in before.content.decode()
    office = scenario.office
    period = scenario.period(1)
    from minsheng.alerts.services import period_close

    etag = after["ETag"]
    period_close(acting_user=office, period=period)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_each_visitor_gets_their_own_csrf_token(scenario: Any) -> None:
    pattern = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = one.get("/").content.decode()
    page_two = two.get("/").content.decode()
    token_two = pattern.search(page_two)
    assert pattern.search(page_one) and token_two
    assert "__minsheng_csrf__" not in page_two
    # The second visitor, served from the cache, can still switch the language with its own token.
    switched = two.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token_two[1]}
    )
    assert switched.status_code == 302


def test_signed_in_users_get_a_fresh_private_page(scenario: Any) -> None:
    anonymous = Client().get("/")
    signed_in = Client()
    signed_in.force_login(scenario.leader)
    page = signed_in.get("/")
    assert "private" in page["Cache-Control"]
    assert scenario.leader.username in page.content.decode() or page.content != anonymous.content


def _shared_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read of the shared cache by the portal from now on (the keys read)."""
    from minsheng.portal import cache as portal_cache

    reads: list[str] = []
    stamped_get = portal_cache.stamped_get

    def counted(key: str) -> Any:
        reads.append(key)
        return stamped_get(key)

    monkeypatch.setattr(portal_cache, "stamped_get", counted)
    return reads


def test_a_worker_serves_its_pages_again_without_asking_the_shared_cache(
    scenario: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within LOCAL_SECONDS of reading the version, a worker answers a page it served from its memory."""
    url = f"/public/plans/{scenario.plan.pk}/"
    first = Client().get(url)
    reads = _shared_reads(monkeypatch)
    again = Client().get(url)
    assert again.status_code == 200 and again["ETag"] == first["ETag"] and reads == []
    assert again.content.decode().count(scenario.plan.title) == first.content.decode().count(
        scenario.plan.title
    )


def test_a_change_through_another_worker_shows_within_a_second(
    scenario: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another worker renews the version in the shared cache (this one hears nothing): the old page for at
    most LOCAL_SECONDS, then the new one. A change made through this worker shows at once."""
    from minsheng.core import changes
    from minsheng.portal.cache import LOCAL_SECONDS

    url = f"/public/items/{scenario.items()[0].pk}/"
    first = Client().get(url)
    cache.set(changes.VERSION_KEY, changes.changes_version() + 10, None)  # what another worker's bump does
    assert Client().get(url)["ETag"] == first["ETag"]  # this worker read the version a moment ago
    now = changes.time.monotonic()
    monkeypatch.setattr(changes.time, "monotonic", lambda: now + LOCAL_SECONDS + 0.1)
    later = Client().get(url)
    assert later.status_code == 200 and later["ETag"] != first["ETag"]
    changes.changes_bump()  # through this worker
    assert Client().get(url)["ETag"] != later["ETag"]


def test_a_worker_keeps_only_its_last_pages(scenario: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from minsheng.portal import cache as portal_cache

    monkeypatch.setattr(portal_cache, "LOCAL_PAGES", 2)
    urls = ["/", f"/public/plans/{scenario.plan.pk}/", f"/public/items/{scenario.items()[0].pk}/"]
    for url in urls:
        assert Client().get(url).status_code == 200
    reads = _shared_reads(monkeypatch)
    for url in urls[1:]:
        Client().get(url)
    assert reads == []  # the two served last
    Client().get(urls[0])
    assert len(reads) == 1  # the first was dropped: read from the shared cache again


def test_the_page_served_last_is_kept_longest(scenario: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from minsheng.portal import cache as portal_cache

    monkeypatch.setattr(portal_cache, "LOCAL_PAGES", 2)
    front, plan, item = "/", f"/public/plans/{scenario.plan.pk}/", f"/public/items/{scenario.items()[0].pk}/"
    Client().get(front)
    Client().get(plan)
    Client().get(front)  # from memory, and now the one served last
    Client().get(item)  # a third page: the plan's, served longest ago, makes room
    reads = _shared_reads(monkeypatch)
    Client().get(front)
    assert reads == []
    Client().get(plan)
    assert len(reads) == 1
