"""`minsheng boundary` and `minsheng sites-import` call the same services as the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minsheng.sites.models import Boundary, Site
from progress.factories import build_world
from sites.helpers import SQUARE, geojson, towns
from sites.test_sites import sheet

pytestmark = pytest.mark.django_db


def test_boundary_command(district: Any, tmp_path: Path) -> None:
    good = tmp_path / "jintan.geojson"
    good.write_bytes(geojson({"type": "Polygon", "coordinates": SQUARE}))
    call_command("boundary", "320413", str(good))
    assert Boundary.objects.get(region=district).source_name == "jintan.geojson"
    point = tmp_path / "point.geojson"
    point.write_bytes(geojson({"type": "Point", "coordinates": [119.5, 31.7]}))
    with pytest.raises(CommandError, match="not a Polygon"):
        call_command("boundary", "金坛区", str(point))


def test_sites_import_command(district: Any, tmp_path: Path) -> None:
    world = build_world(district)
    towns(district)
    path = tmp_path / "s.xlsx"
    path.write_bytes(sheet([["金城小学", "金城镇", "", 119.57, 31.74], ["x", "火星镇", "", None, None]]))
    with pytest.raises(CommandError, match=r"s\.xlsx, row 3, column 镇（街道）: unknown town “火星镇”"):
        call_command("sites-import", str(world.item.pk), str(path))
    assert not Site.objects.exists()
    path.write_bytes(sheet([["金城小学", "金城镇", "", 119.57, 31.74]]))
    call_command("sites-import", str(world.item.pk), str(path))
    assert Site.objects.get().town.name == "金城镇"
