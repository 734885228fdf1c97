"""GeoJSON boundaries and point in polygon (pure Python)."""

from __future__ import annotations

import json

import pytest

from minsheng.core.exceptions import ValidationFailed
from minsheng.sites import geo
from sites.helpers import SQUARE, geojson

RING = SQUARE[0]
HOLE = [[119.5, 31.7], [119.6, 31.7], [119.6, 31.8], [119.5, 31.8], [119.5, 31.7]]


def test_point_in_polygon_inside_outside_and_holes() -> None:
    polygons = [[RING, HOLE]]
    assert geo.point_in_polygons(119.45, 31.65, polygons)
    assert not geo.point_in_polygons(119.3, 31.65, polygons)  # west of the square
    assert not geo.point_in_polygons(119.55, 31.75, polygons)  # in the hole
    assert geo.point_in_polygons(119.4, 31.7, polygons)  # on the edge counts as inside


def test_point_in_a_concave_polygon() -> None:
    # An L shape: the notch at the top right is outside.
    shape = [[[0, 0], [4, 0], [4, 2], [2, 2], [2, 4], [0, 4], [0, 0]]]
    assert geo.point_in_polygons(1, 3, [shape])
    assert not geo.point_in_polygons(3, 3, [shape])


@pytest.mark.parametrize(
    "document",
    [
        geojson({"type": "Polygon", "coordinates": SQUARE}),
        json.dumps(
            {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [SQUARE]}}
        ).encode(),
        json.dumps({"type": "Polygon", "coordinates": SQUARE}).encode(),
    ],
)
def test_boundary_from_a_collection_a_feature_or_a_geometry(document: bytes) -> None:
    assert geo.parse_boundary(document, "b.geojson") == [SQUARE]


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (geojson({"type": "Point", "coordinates": [119.5, 31.7]}), "is a Point, not a Polygon"),
        (geojson({"type": "LineString", "coordinates": RING}), "is a LineString"),
        (b"not json", "not a GeoJSON"),
        (geojson({"type": "Polygon", "coordinates": [RING[:-1]]}), "not closed"),
        (
            geojson({"type": "Polygon", "coordinates": [[[500, 1], [1, 1], [1, 2], [500, 1]]]}),
            "outside longitude",
        ),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "no features"),
    ],
)
def test_what_is_not_a_polygon_is_refused_with_the_reason(document: bytes, words: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        geo.parse_boundary(document, "b.geojson")
    assert "b.geojson" in caught.value.message
    assert words in caught.value.message


def test_a_boundary_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="larger than"):
        geo.parse_boundary(b" " * (geo.MAX_GEOJSON_BYTES + 1), "big.geojson")


def test_distance() -> None:
    # 0.01° of latitude is about 1.11 km.
    assert geo.distance_km(119.5, 31.70, 119.5, 31.71) == pytest.approx(1.112, abs=0.01)
