"""The dashboard's bodies are rendered once and shared by readers of the same region and roles
(dashboard.fragments); a reader elsewhere never gets them, and a change renews them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alerts.province import grow, queries
from factories import RegionFactory, UserFactory
from minsheng.core.changes import changes_bump

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_in_memory")]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["/dashboard/?plan={plan}", "/dashboard/items/?plan={plan}"])
def test_a_second_leader_of_the_city_reads_the_first_ones_rendering(city: Any, page: str) -> None:
    plan = grow(city, plans=2, items=3)[0]
    url = page.format(plan=plan.pk)
    first = _client(UserFactory(username="leader1", role="leader", region=city))
    second = _client(UserFactory(username="leader2", role="leader", region=city))
    fresh = queries(first, url)
    shared = queries(second, url)
    assert shared < fresh
    one, two = first.get(url), second.get(url)
    assert one.status_code == two.status_code == 200
    # Same figures, each with their own name in the page around them.
    assert plan.title in two.content.decode()
    assert "leader2" in two.content.decode() and "leader1" not in two.content.decode()


def test_a_leader_of_another_city_gets_nothing_from_the_cache(city: Any) -> None:
    plan = grow(city, plans=1, items=2)[0]
    url = f"/dashboard/?plan={plan.pk}"
    assert _client(UserFactory(username="leader1", role="leader", region=city)).get(url).status_code == 200
    other_city = RegionFactory(name="无锡市", code="320200", level="city", parent=city.parent)
    outsider = _client(UserFactory(username="wuxi", role="leader", region=other_city))
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/dashboard/items/?plan={plan.pk}").status_code == 404


def test_a_change_renews_the_shared_body(city: Any) -> None:
    plan = grow(city, plans=1, items=2)[0]
    url = f"/dashboard/?plan={plan.pk}"
    leader = _client(UserFactory(username="leader1", role="leader", region=city))
    leader.get(url)
    cached = queries(leader, url)
    plan.title = "改名后的清单"
    plan.save()  # a plan saved bumps the change stamp (portal.apps)
    changes_bump()
    assert queries(leader, url) > cached
    assert "改名后的清单" in leader.get(url).content.decode()


def test_the_items_api_is_shared_within_a_region_and_never_across(city: Any) -> None:
    mine, theirs = grow(city, plans=2, items=2)
    first = _client(UserFactory(username="d1a", role="leader", region=mine.region))
    second = _client(UserFactory(username="d1b", role="leader", region=mine.region))
    outsider = _client(UserFactory(username="d2", role="leader", region=theirs.region))
    fresh = queries(first, "/api/items/")
    assert queries(second, "/api/items/") < fresh
    plans_seen = {row["plan"] for row in second.get("/api/items/").json()["results"]}
    assert plans_seen == {mine.pk}
    assert {row["plan"] for row in outsider.get("/api/items/").json()["results"]} == {theirs.pk}
