"""A map's first view frames its features: boxes read straight from GeoJSON coordinates
agree with shapely's on every geometry type."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from webapp.views.common import default_extent, geometry_bounds

RING = [[-1.0, 14.0], [3.5, 14.0], [3.5, 18.25], [-1.0, 18.25], [-1.0, 14.0]]
HOLE = [[0.0, 15.0], [1.0, 15.0], [1.0, 16.0], [0.0, 15.0]]
GEOMETRIES = [
    {"type": "Point", "coordinates": [2.4, 15.9]},
    {"type": "Point", "coordinates": [2.4, 15.9, 300.0]},  # a height
    {"type": "MultiPoint", "coordinates": [[2.4, 15.9], [-0.04, 16.27]]},
    {"type": "LineString", "coordinates": [[1.41, 18.44], [-3.99, 16.77], [0.9, 19.2]]},
    {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[-5, 2], [-4, 3]]]},
    {"type": "Polygon", "coordinates": [RING, HOLE]},
    {"type": "MultiPolygon", "coordinates": [[RING], [[[10, 1], [11, 1], [11, 2], [10, 1]]]]},
    {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [20.0, -3.0]},
        {"type": "Polygon", "coordinates": [RING]}]},
]


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=[g["type"] for g in GEOMETRIES])
def test_bounds_agree_with_shapely(geometry):
    assert geometry_bounds(geometry) == pytest.approx(shape(geometry).bounds)


def test_an_empty_geometry_has_no_bounds():
    assert geometry_bounds({"type": "MultiPolygon", "coordinates": []}) is None
    assert geometry_bounds({"type": "GeometryCollection", "geometries": []}) is None


def test_the_extent_leaves_features_off_the_default_map_out():
    def feature(geometry, **props):
        return {"type": "Feature", "geometry": geometry, "properties": props}

    collection = {"features": [
        feature(GEOMETRIES[5], status="reported"),
        feature({"type": "Point", "coordinates": [70.0, 33.0]}, status="past"),  # Pakistan
        feature({"type": "MultiPolygon", "coordinates": []}),
        feature(None),
    ]}
    assert default_extent(collection) == [-1.0, 14.0, 3.5, 18.25]
    assert default_extent({"features": [collection["features"][1]]}) is None
