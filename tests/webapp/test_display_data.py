"""The map pages' lighter GeoJSON (``?display=1``): outlines simplified for the screen, the
downloads themselves untouched."""

from __future__ import annotations

import json
import math

from shapely.geometry import shape

from tests.webapp.conftest import TEXT_EN
from webapp.downloads import DETAIL_PROPERTIES


def detailed_outline(points: int = 4000) -> dict:
    """A wiggly ring around central Mali with ``points`` vertices (a detailed border)."""
    ring = [[-2.0 + 4 * math.cos(2 * math.pi * i / points) + 0.003 * math.sin(i),
             17.0 + 3 * math.sin(2 * math.pi * i / points)] for i in range(points)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def store_outline(app):
    from webapp.store import get_store

    feature = {"type": "Feature", "geometry": detailed_outline(),
               "properties": {"layer": "control_zones", "name": "northern Mali",
                              "confidence": 0.8, "evidence": []}}
    layers = {"control_zones": {"type": "FeatureCollection", "features": [feature]}}
    with app.app_context():
        return get_store().add_document(text=TEXT_EN, title="Outline", lang="en", mentions=[],
                                        layers=layers, map_title="Outline")


def test_the_display_variant_is_light_and_keeps_every_feature(app, client):
    record = store_outline(app)
    for path in (f"/maps/{record.map_id}.geojson", f"/documents/{record.id}.geojson"):
        full = client.get(path).get_data()
        light = client.get(path + "?display=1").get_data()
        assert len(light) * 10 < len(full), (len(light), len(full))
        a, b = json.loads(full)["features"], json.loads(light)["features"]
        # a map's popups ask for the details apart (tests/webapp/test_map_details.py)
        left_out = DETAIL_PROPERTIES if path.startswith("/maps/") else set()
        assert [{k: v for k, v in f["properties"].items() if k not in left_out}
                for f in a] == [f["properties"] for f in b]
        outline, simple = shape(a[0]["geometry"]), shape(b[0]["geometry"])
        assert simple.is_valid and abs(simple.area - outline.area) / outline.area < 0.01


def test_the_map_pages_load_the_display_variant(app, client):
    record = store_outline(app)
    for path in (f"/maps/{record.map_id}", f"/documents/{record.id}", f"/embed/{record.map_id}"):
        assert ".geojson?display=1" in client.get(path).get_data(as_text=True), path


def test_a_bad_display_value_is_a_clear_400(app, client):
    record = store_outline(app)
    response = client.get(f"/maps/{record.map_id}.geojson?display=yes")
    assert response.status_code == 400
    assert "display: expected 0 or 1" in response.get_data(as_text=True)
