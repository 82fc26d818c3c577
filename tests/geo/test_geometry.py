"""Geometry recipes: tiny inline shapes and real Natural Earth borders."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer
from pyproj.enums import TransformDirection
from shapely.geometry import LineString, Point, Polygon, box

from geo import geometry as geom
from tests.geo.test_layers_support import natural_earth_gazetteer

GEOD = Geod(ellps="WGS84")
TRIPOINT_DZ_ML_MR = Point(-4.822, 24.995)


@pytest.fixture(scope="module")
def states() -> dict[str, Polygon]:
    gaz = natural_earth_gazetteer()
    return {iso: gaz.geometry(gaz.iso_id(iso)) for iso in ("DZ", "ML", "MR", "NE", "BF", "NG")}


def _distance_km(points: np.ndarray, line: LineString) -> np.ndarray:
    """Geodesic distance from each point to a densified line (about 1 km steps)."""
    dense = shapely.segmentize(line, 0.01)
    ref = np.array(shapely.get_coordinates(dense))
    out = []
    for x, y in points:
        _, _, d = GEOD.inv(np.full(len(ref), x), np.full(len(ref), y), ref[:, 0], ref[:, 1])
        out.append(d.min() / 1000.0)
    return np.array(out)


def test_point_is_lon_lat() -> None:
    p = geom.point(24.995, -4.822)
    assert (p.x, p.y) == (-4.822, 24.995)


@pytest.mark.parametrize("width", [25.0, geom.CORRIDOR_WIDTH_KM, 100.0])
def test_corridor_width_is_geodesic_within_5_percent(states, width) -> None:
    line = geom.shared_border(states["DZ"], states["ML"])
    band = geom.corridor(states["DZ"], states["ML"], width_km=width)
    # Vertices of the band's outline that are not on a state boundary lie at the full width.
    outline = shapely.get_coordinates(band.exterior)
    edge = shapely.union(states["DZ"].boundary, states["ML"].boundary).buffer(0.05)
    far = np.array([xy for xy in outline if not edge.contains(Point(xy))])
    assert len(far) > 20
    distances = _distance_km(far[:: max(1, len(far) // 60)], line)
    assert np.all(np.abs(distances - width) <= 0.05 * width), distances


def test_corridor_touches_both_states_and_stays_inside_them(states) -> None:
    band = geom.corridor(states["ML"], states["NE"])
    assert band.intersection(states["ML"]).area > 0
    assert band.intersection(states["NE"]).area > 0
    assert band.difference(shapely.union(states["ML"], states["NE"])).area < 1e-6


def test_corridor_clipped_to_terrain(states) -> None:
    desert = box(-17, 17, 34, 31)
    band = geom.corridor(states["DZ"], states["ML"], terrain=desert)
    assert band is not None and band.within(desert.buffer(1e-9))
    assert geom.corridor(states["ML"], states["BF"], terrain=desert) is None


def test_states_without_a_border_have_no_corridor(states) -> None:
    assert geom.shared_border(states["DZ"], states["BF"]) is None
    assert geom.corridor(states["DZ"], states["BF"]) is None


def test_tripoint_zone_contains_the_tripoint(states) -> None:
    point = geom.tripoint(states["DZ"], states["ML"], states["MR"])
    assert point is not None and geom.geodesic_km(point, TRIPOINT_DZ_ML_MR) < 5
    zone = geom.tripoint_zone([states["DZ"], states["ML"], states["MR"]])
    assert zone.contains(TRIPOINT_DZ_ML_MR)
    for iso in ("DZ", "ML", "MR"):
        assert zone.intersection(states[iso]).area > 0
    assert zone.difference(shapely.union_all([states[i] for i in ("DZ", "ML", "MR")])).area < 1e-6


def test_border_with_neighbours_follows_the_country_border() -> None:
    country = box(0, 0, 10, 10)
    region = box(5, 5, 10, 10)  # north-east quarter: its east and north sides are borders
    line = geom.border_with_neighbours(region, country)
    assert line is not None
    assert line.length == pytest.approx(10, abs=0.1)
    assert line.distance(Point(7, 7)) > 2.9


@pytest.mark.parametrize(
    ("direction", "inside", "outside"),
    [("north", (5, 9), (5, 1)), ("south", (5, 1), (5, 9)), ("east", (9, 5), (1, 5)),
     ("west", (1, 5), (9, 5)), ("northeast", (9, 9), (1, 1)), ("centre", (5, 5), (0.5, 0.5))],
)
def test_directional_part(direction, inside, outside) -> None:
    part = geom.directional_part(box(0, 0, 10, 10), direction)
    assert part.contains(Point(inside)) and not part.contains(Point(outside))


def test_unknown_direction_gives_none() -> None:
    assert geom.directional_part(box(0, 0, 1, 1), "up") is None


def test_northern_mali_covers_the_niger_bend_towns(states) -> None:
    north = geom.directional_part(states["ML"], "north")
    for lat, lon in [(18.44, 1.41), (16.27, -0.04), (16.77, -3.01)]:  # Kidal, Gao, Timbuktu
        assert north.contains(geom.point(lat, lon))


def test_repair_fixes_a_bow_tie_and_drops_empty() -> None:
    bow_tie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    assert not bow_tie.is_valid
    fixed = geom.repair(bow_tie)
    assert fixed.is_valid and fixed.geom_type in ("Polygon", "MultiPolygon")
    assert fixed.area == pytest.approx(0.5)
    assert geom.repair(Polygon()) is None
    assert geom.repair(None) is None


def test_union_skips_missing_and_invalid() -> None:
    bow_tie = Polygon([(2, 0), (3, 1), (3, 0), (2, 1)])
    out = geom.union([box(0, 0, 1, 1), None, bow_tie])
    assert out.is_valid and out.area == pytest.approx(1.5)
    assert geom.union([None]) is None


def test_buffer_km_is_metric() -> None:
    disc = geom.buffer_km(geom.point(60.0, 10.0), 100)
    edge = Point(shapely.get_coordinates(disc.exterior)[0])
    assert geom.geodesic_km(geom.point(60.0, 10.0), edge) == pytest.approx(100, rel=0.01)


def test_flow_line_is_geodesic_and_ends_at_places() -> None:
    a, b = geom.point(19.0, -1.0), geom.point(18.1, -15.9)
    line = geom.flow_line(a, b)
    coords = list(line.coords)
    assert coords[0] == (a.x, a.y) and coords[-1] == (b.x, b.y) and len(coords) > 2
    assert geom.flow_line(a, a) is None


def test_simplify_for_web_keeps_valid_and_reduces(states) -> None:
    simple = geom.simplify_for_web(states["ML"])
    assert simple.is_valid
    assert shapely.get_num_coordinates(simple) < shapely.get_num_coordinates(states["ML"])
    assert simple.symmetric_difference(states["ML"]).area < 0.01 * states["ML"].area
    assert geom.simplify_for_web(Point(1, 2)) == Point(1, 2)


@pytest.mark.parametrize("projection", ["laea", "aeqd"])
@pytest.mark.parametrize("centre", [(17.3, -3.5), (64.0, 100.0), (-33.9, 151.2)])
def test_local_transformer_is_the_crs_transformation(projection, centre) -> None:
    # Written as a PROJ pipeline to skip from_crs's database search: it must be
    # the very operation from_crs finds, both ways.
    lat, lon = centre
    crs = CRS.from_proj4(f"+proj={projection} +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    reference = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    ours = geom.local_transformer(projection, lat, lon)
    rng = np.random.default_rng(0)
    x, y = lon + rng.uniform(-8, 8, 200), lat + rng.uniform(-8, 8, 200)
    np.testing.assert_allclose(ours.transform(x, y), reference.transform(x, y), atol=1e-6)
    metric = reference.transform(x, y)
    back = ours.transform(*metric, direction=TransformDirection.INVERSE)
    np.testing.assert_allclose(back, (x, y), atol=1e-9)


@pytest.mark.parametrize(("a", "b", "km"), [
    (Point(0, 0), Point(0, 0), 0.0),
    (Point(0, 0), Point(1, 0), 111.32),  # one degree of the equator
    (Point(10, 60), Point(11, 60), 55.8),  # the same degree of longitude at 60N is half
    (box(0, 0, 1, 1), Point(1.5, 0.5), 55.7),
    (box(0, 0, 1, 1), box(0.5, 0.5, 2, 2), 0.0),
    (LineString([(0, 60), (0, 61)]), Point(1, 60.5), 54.9),
])
def test_distance_km_is_on_the_ground(a, b, km: float) -> None:
    assert geom.distance_km(a, b) == pytest.approx(km, abs=0.2)


def test_distance_km_matches_the_ellipsoid(states) -> None:
    # A country and a point 80 km outside its border, measured geodesically.
    mali = states["ML"]
    start = Point(4.2, 19.5)  # near Mali's eastern border
    lon, lat, _ = GEOD.fwd(start.x, start.y, 90, 80_000)
    outside = Point(lon, lat)
    expected = _distance_km(np.array([[outside.x, outside.y]]), mali.boundary)[0]
    assert geom.distance_km(mali, outside) == pytest.approx(expected, rel=0.01)


def test_area_km2_is_equal_area(states) -> None:
    assert geom.area_km2(Point(0, 0)) == 0.0
    assert geom.area_km2(LineString([(0, 0), (1, 1)])) == 0.0
    # A one-degree cell at the equator and at 60N (half as wide there).
    assert geom.area_km2(box(0, 0, 1, 1)) == pytest.approx(12_308, rel=0.002)
    assert geom.area_km2(box(0, 60, 1, 61)) == pytest.approx(6_104, rel=0.005)
    for iso in ("DZ", "ML", "NG"):  # the ellipsoid's own figure for the same outline
        ellipsoidal = abs(GEOD.geometry_area_perimeter(states[iso])[0]) / 1e6
        assert geom.area_km2(states[iso]) == pytest.approx(ellipsoidal, rel=1e-4), iso
    assert geom.area_km2(states["ML"]) == pytest.approx(1_240_000, rel=0.02)  # Mali's figure


RING = [[-1.0, 14.0], [3.5, 14.0], [3.5, 18.25], [-1.0, 18.25], [-1.0, 14.0]]
HOLE = [[0.0, 15.0], [1.0, 15.0], [1.0, 16.0], [0.0, 15.0]]
HOLE2 = [[2.0, 15.0], [3.0, 15.0], [3.0, 16.0], [2.5, 16.5], [2.0, 15.0]]


@pytest.mark.parametrize("geometry", [
    {"type": "Polygon", "coordinates": [RING, HOLE]},
    {"type": "Polygon", "coordinates": [RING, HOLE, HOLE2]},  # holes of different sizes
    {"type": "Polygon", "coordinates": [[[x, y, 250.0] for x, y in RING]]},  # heights
    {"type": "MultiPolygon", "coordinates": [[RING], [[[10, 1], [11, 1], [11, 2], [10, 1]]]]},
    {"type": "LineString", "coordinates": [[1.41, 18.44], [-3.99, 16.77]]},
    {"type": "Point", "coordinates": [2.4, 15.9]},
    {"type": "MultiPolygon", "coordinates": []},
], ids=["hole", "holes", "heights", "multi", "line", "point", "empty"])
def test_flat_shape_is_the_shape_in_two_dimensions(geometry):
    from shapely import force_2d
    from shapely.geometry import shape

    from geo.geometry import flat_shape

    assert flat_shape(geometry).equals_exact(force_2d(shape(geometry)), 0) or (
        flat_shape(geometry).is_empty and shape(geometry).is_empty)
