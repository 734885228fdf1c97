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
