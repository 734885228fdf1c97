"""Towns, a square boundary around 金坛 and photos with EXIF, for the sites tests."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image, ImageDraw

from factories import RegionFactory
from minsheng.sites import services
from minsheng.sites.models import Boundary, Site
from progress.factories import build_world

# A square of about 30 km around 金坛 (119.57°E 31.74°N).
SQUARE = [[[119.4, 31.6], [119.75, 31.6], [119.75, 31.9], [119.4, 31.9], [119.4, 31.6]]]


def towns(district: Any) -> dict[str, Any]:
    return {
        name: RegionFactory(name=name, code=f"{district.code}/{name}", level="town", parent=district)
        for name in ("金城镇", "儒林镇", "直溪镇")
    }


def square_boundary(district: Any) -> Boundary:
    return Boundary.objects.create(region=district, polygons=[SQUARE], source_name="square.geojson")


def geojson(geometry: dict[str, Any]) -> bytes:
    return json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry}]}
    ).encode()


def photo(
    *,
    taken: str | None = None,
    gps: tuple[float, float] | None = None,
    seed: int = 1,
    size: tuple[int, int] = (320, 240),
    shift: int = 0,
) -> bytes:
    """A JPEG with a pattern (so its dHash means something), optional EXIF capture time and GPS (lon, lat)."""
    image = Image.new("RGB", size, (240, 240, 240))
    draw = ImageDraw.Draw(image)
    for n in range(6):
        x = (seed * 37 + n * 53) % (size[0] - 60) + shift
        y = (seed * 23 + n * 41) % (size[1] - 60)
        draw.rectangle([x, y, x + 50, y + 40], fill=((seed * 50 + n * 30) % 255, 80, 160))
    exif = Image.Exif()
    if taken:
        exif[0x0132] = taken
    if gps:
        lon, lat = gps

        def dms(value: float) -> tuple[float, float, float]:
            d = int(value)
            m = int((value - d) * 60)
            return (float(d), float(m), round((value - d - m / 60) * 3600, 3))

        exif[0x8825] = {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def per_site_world(district: Any, count: int = 3) -> tuple[Any, list[Site]]:
    """build_world's item measured per site (点位), with `count` sites 小区1, 小区2, …"""
    world = build_world(district)
    sites = [Site.objects.create(item=world.item, name=f"小区{n}", position=n) for n in range(1, count + 1)]
    services.site_set_update(acting_user=world.office, item=world.item, per_site=True)
    return world, sites
