"""Pure-Python geometry for sites: GeoJSON boundaries (区划边界), point in polygon, distances.

Coordinates are [longitude, latitude] in degrees (WGS-84 as GeoJSON says; maps in China often use GCJ-02,
which differs by a few hundred metres — close enough for "is this point in the district").
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from minsheng.core.exceptions import ValidationFailed

MAX_GEOJSON_BYTES = 5 * 1024 * 1024
MAX_POINTS = 200_000
EARTH_RADIUS_KM = 6371.0088

Ring = list[list[float]]
Polygon = list[Ring]


def _fail(name: str, reason: str) -> ValidationFailed:
    return ValidationFailed(_("“%(name)s”: %(reason)s") % {"name": name, "reason": reason}, field="file")


def _polygons_of(geometry: Any, name: str, where: str) -> list[Any]:
    if not isinstance(geometry, dict):
        raise _fail(name, _("%s is not a GeoJSON geometry.") % where)
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return [coordinates]
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list):
            raise _fail(name, _("%s has no coordinates.") % where)
        return list(coordinates)
    if kind == "GeometryCollection":
        found: list[Any] = []
        for n, part in enumerate(geometry.get("geometries") or [], start=1):
            found += _polygons_of(part, name, f"{where}, geometry {n}")
        return found
    raise _fail(
        name,
        _("%(where)s is a %(kind)s, not a Polygon or MultiPolygon: the boundary must be an area.")
        % {"where": where, "kind": kind or _("shape without a type")},
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ring(raw: Any, name: str, where: str) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise _fail(name, _("%s is not a closed ring of at least four positions.") % where)
    ring: Ring = []
    for position in raw:
        if not isinstance(position, list) or len(position) < 2 or not all(_number(v) for v in position[:2]):
            raise _fail(name, _("%s has a position that is not [longitude, latitude].") % where)
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _fail(
                name,
                _("%(where)s has the position [%(lon)s, %(lat)s], outside longitude ±180 / latitude ±90.")
                % {"where": where, "lon": position[0], "lat": position[1]},
            )
        ring.append([lon, lat])
    if ring[0] != ring[-1]:
        raise _fail(name, _("%s is not closed (its first and last positions differ).") % where)
    return ring


def parse_boundary(data: bytes, name: str) -> list[Polygon]:
    """The polygons of a GeoJSON FeatureCollection, Feature or geometry; ValidationFailed otherwise.

    Only Polygon and MultiPolygon (also inside a GeometryCollection) make a boundary.
    """
    if len(data) > MAX_GEOJSON_BYTES:
        raise _fail(name, _("the file is larger than %d MB.") % (MAX_GEOJSON_BYTES // 1024 // 1024))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _fail(name, _("not a GeoJSON (JSON) file: %s.") % exc) from None
    if not isinstance(document, dict):
        raise _fail(name, _("not a GeoJSON object."))
    kind = document.get("type")
    raw: list[Any] = []
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or not features:
            raise _fail(name, _("the FeatureCollection has no features."))
        for n, feature in enumerate(features, start=1):
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            raw += _polygons_of(geometry, name, _("feature %d") % n)
    elif kind == "Feature":
        raw = _polygons_of(document.get("geometry"), name, _("the feature"))
    else:
        raw = _polygons_of(document, name, _("the geometry"))
    polygons: list[Polygon] = []
    points = 0
    for p, polygon in enumerate(raw, start=1):
        if not isinstance(polygon, list) or not polygon:
            raise _fail(name, _("polygon %d has no rings.") % p)
        rings = [
            _ring(r, name, _("polygon %(p)d, ring %(r)d") % {"p": p, "r": n})
            for n, r in enumerate(polygon, 1)
        ]
        points += sum(len(r) for r in rings)
        polygons.append(rings)
    if not polygons:
        raise _fail(name, _("there is no polygon in it."))
    if points > MAX_POINTS:
        raise _fail(
            name, _("it has %(n)d positions; simplify it below %(max)d.") % {"n": points, "max": MAX_POINTS}
        )
    return polygons


def _in_ring(lon: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    """Ray casting (even-odd rule); a point exactly on an edge counts as inside."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        # On the segment: collinear and within its box.
        cross = (xj - xi) * (lat - yi) - (yj - yi) * (lon - xi)
        if abs(cross) < 1e-12 and min(xi, xj) <= lon <= max(xi, xj) and min(yi, yj) <= lat <= max(yi, yj):
            return True
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygons(
    lon: float, lat: float, polygons: Iterable[Sequence[Sequence[Sequence[float]]]]
) -> bool:
    """True when the point lies in one of the polygons (inside its outer ring and in none of its holes)."""
    for polygon in polygons:
        if not polygon or not _in_ring(lon, lat, polygon[0]):
            continue
        if not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def bounds(polygons: Iterable[Sequence[Sequence[Sequence[float]]]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the outer rings."""
    lons = [p[0] for polygon in polygons for p in polygon[0]] if polygons else []
    lats = [p[1] for polygon in polygons for p in polygon[0]] if polygons else []
    return min(lons), min(lats), max(lons), max(lats)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def as_feature_collection(polygons: list[Polygon], name: str) -> dict[str, Any]:
    """The stored polygons as the GeoJSON ECharts' registerMap reads."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        ],
    }
