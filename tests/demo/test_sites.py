"""demo.sites.seed_sites: the demo outline, sites of four items inside it, one item per site; idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from minsheng.demo.sites import seed_sites
from minsheng.sites.geo import point_in_polygons
from minsheng.sites.models import Boundary, Site, SiteSet
from progress.factories import build_world
from sites.helpers import towns

pytestmark = pytest.mark.django_db


def test_demo_sites_lie_in_the_outline_and_are_seeded_once(district: Any) -> None:
    world = build_world(district)
    towns(district)
    for _ in range(4):
        world.add_item(targets=1)
    assert seed_sites(world.plan) == 12
    outline = Boundary.objects.get(region=district).polygons
    sites = list(Site.objects.select_related("town"))
    assert all(point_in_polygons(float(s.longitude), float(s.latitude), outline) for s in sites)  # type: ignore[arg-type]
    assert {s.town.name for s in sites if s.town} == {"金城镇", "儒林镇", "直溪镇"}
    assert "金城镇中心小学" in {s.name for s in sites}
    assert SiteSet.objects.get(per_site=True).item == world.item
    assert seed_sites(world.plan) == 0
    assert Site.objects.count() == 12 and Boundary.objects.count() == 1
