"""The seed article end to end: geoparser, bundled gazetteer, frames, layers.

The article is read from ``../shared/seeds`` (never copied into the repository);
every expectation is reached by the general machinery.
"""

from __future__ import annotations

import json
import time

import pytest
from shapely.geometry import Point

from geo.layers import build_layers, to_feature_collection

KIDAL, GAO, TIMBUKTU = Point(1.41, 18.44), Point(-0.04, 16.27), Point(-3.01, 16.77)
TRIPOINT = Point(-4.822, 24.995)


@pytest.fixture(scope="module")
def seed_layers(seed_text):
    from geo import geoparse
    from geo.gazetteer import get_gazetteer

    result = geoparse(seed_text)
    return build_layers(result), get_gazetteer()


def _country(gazetteer, iso2):
    return gazetteer.geometry(gazetteer.country(iso2).id)


def test_control_zone_over_northern_mali(seed_layers) -> None:
    layers, _ = seed_layers
    zones = layers["control_zones"]
    held = zones[zones.actor == "AQIM-linked groups"]
    assert len(held) >= 1
    for town in (KIDAL, GAO, TIMBUKTU):
        assert held.geometry.iloc[0].contains(town)


def test_pursuit_corridors_between_participants_in_desert(seed_layers) -> None:
    layers, gaz = seed_layers
    corridors = layers["pursuit_corridors"]
    pairs = {tuple(sorted(m)) for m in corridors.members}
    assert {("DZ", "ML"), ("DZ", "MR"), ("DZ", "NE"), ("ML", "MR")} <= pairs
    assert set(corridors.terrain) == {"desert"}
    participants = {"DZ", "ML", "MR", "NE", "BF"}
    assert {c for pair in pairs for c in pair} <= participants
    for row in corridors.itertuples():
        for iso in row.members:
            assert row.geometry.intersects(_country(gaz, iso))


def test_border_security_along_azawad(seed_layers) -> None:
    layers, _ = seed_layers
    band = layers["border_security"]
    assert any("azawad" in pid for places in band.places for pid in places)


def test_sanctuary_at_the_border_triangle(seed_layers) -> None:
    layers, _ = seed_layers
    assert any(g.contains(TRIPOINT) for g in layers["sanctuaries"].geometry)


def test_deployments(seed_layers) -> None:
    layers, gaz = seed_layers
    deployments = layers["deployments"]
    assert {25000, 40000} <= set(deployments.strength.dropna().astype(int))
    algerian = deployments[deployments.strength == 25000].iloc[0]
    assert algerian.actor == "Algerian troops"
    assert algerian.geometry.representative_point().within(_country(gaz, "DZ"))


def test_displacement_from_northern_mali(seed_layers) -> None:
    layers, gaz = seed_layers
    lines = layers["displacement"]
    assert len(lines) >= 2
    mali = _country(gaz, "ML")
    for line in lines.geometry:
        assert Point(line.coords[0]).within(mali)
        assert not Point(line.coords[-1]).within(mali)


def test_risk_zones_meeting_strikes_coalition(seed_layers) -> None:
    layers, gaz = seed_layers
    risk_points = {iso: _country(gaz, iso).representative_point()
                   for iso in ("MR", "NE", "NG", "BF")}
    for iso, pt in risk_points.items():
        assert any(g.contains(pt) for g in layers["risk_zones"].geometry), iso
    assert layers["meetings"].geometry.iloc[0].within(_country(gaz, "MR"))
    strikes = layers["strikes"]
    planned = strikes[strikes.status == "planned"]
    assert any(g.contains(GAO) or g.contains(KIDAL) for g in planned.geometry)
    coalitions = layers["coalitions"]
    field = coalitions[coalitions.members.map(lambda m: {"DZ", "ML", "MR", "NE"} <= set(m))]
    assert len(field) == 1


def test_seed_geojson_is_small_and_fast(seed_text, seed_layers) -> None:
    from geo import geoparse

    result = geoparse(seed_text)
    build_layers(result)  # warm-up: outlines and corridors cached
    start = time.perf_counter()
    layers = build_layers(result)
    elapsed = time.perf_counter() - start
    size = len(json.dumps(to_feature_collection(layers), ensure_ascii=False).encode("utf-8"))
    assert size < 1_000_000
    assert elapsed < 1.0  # target 200 ms (bench/bench_layers.py); loose for slow CI machines
