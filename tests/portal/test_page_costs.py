"""Portal pages cost the same whatever the number of plans, regions and items (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from alerts.province import grow, pages_afresh, queries
from factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_pages() -> None:
    pages_afresh()


@pytest.fixture(autouse=True)
def _cache_in_memory(settings: Any) -> None:
    # Count the pages' own queries, not those of the database cache table.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def city(db: None) -> Any:
    province = RegionFactory(name="江苏省", code="320000", level="province", parent=None)
    return RegionFactory(name="常州市", code="320400", level="city", parent=province)


def test_front_page_and_chooser_do_not_grow_with_plans_or_regions(client: Any, city: Any) -> None:
    one = grow(city, plans=1, items=3)
    single = queries(client, "/")
    assert one[0].title in client.get("/").content.decode()
    grow(city, plans=29, items=3)
    pages_afresh()
    chooser = queries(client, "/")
    page = client.get("/").content.decode()
    assert "第28区" in page and "第0区" in page  # every region in the chooser
    pages_afresh()
    region = queries(client, f"/?region={one[0].region_id}")
    # One region's page (1 of 30) costs what the only region's did; the chooser no more.
    assert region <= single and chooser <= single


def test_plan_and_item_pages_do_not_grow_with_items(client: Any, city: Any) -> None:
    small = grow(city, plans=1, items=3)[0]
    small_plan = queries(client, f"/public/plans/{small.pk}/")
    item = small.projects.get().items.first()
    small_item = queries(client, f"/public/items/{item.pk}/")
    big = grow(city, plans=1, items=300)[0]
    pages_afresh()
    assert queries(client, f"/public/plans/{big.pk}/") <= small_plan
    big_item = big.projects.get().items.last()
    assert queries(client, f"/public/items/{big_item.pk}/") <= small_item


def test_an_unknown_region_is_a_404(client: Any, city: Any) -> None:
    grow(city, plans=2, items=1)
    assert client.get("/?region=999999").status_code == 404
    assert client.get("/?region=abc").status_code == 200  # ignored, the chooser
