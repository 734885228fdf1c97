"""The dashboard and the items API cost the same whatever the number of plans, regions and items."""

from __future__ import annotations

from typing import Any

import pytest

from alerts.province import grow, queries
from factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_in_memory")]


def test_city_leader_dashboard_and_api_do_not_grow_with_plans(client: Any, city: Any) -> None:
    leader = UserFactory(username="cityleader", role="leader", region=city)
    client.force_login(leader)
    first = grow(city, plans=1, items=3)[0]
    small_board = queries(client, f"/dashboard/?plan={first.pk}")
    small_items = queries(client, f"/dashboard/items/?plan={first.pk}")
    small_api = queries(client, "/api/items/")
    grow(city, plans=29, items=3)
    assert queries(client, f"/dashboard/?plan={first.pk}") <= small_board
    assert queries(client, f"/dashboard/items/?plan={first.pk}") <= small_items
    assert queries(client, "/api/items/") <= small_api


def test_dashboard_does_not_grow_with_items(client: Any, city: Any) -> None:
    leader = UserFactory(username="cityleader", role="leader", region=city)
    client.force_login(leader)
    small = grow(city, plans=1, items=3)[0]
    small_board = queries(client, f"/dashboard/?plan={small.pk}")
    big = grow(city, plans=1, items=300)[0]
    assert queries(client, f"/dashboard/?plan={big.pk}") <= small_board
