"""``?bbox=`` on the JSON API's layer downloads: after a map's reports are merged.

Runs on the ``app`` fixture's database (``KHARITA_TEST_DATABASE=postgres`` for PostGIS).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.stored import collection, point
from webapp.store import get_store


def attack(lon: float, lat: float, precision: int) -> dict:
    """An attack by JNIM at ``(lon, lat)``, as geo.layers writes it."""
    feature = point("Attack", lon, lat)
    feature["properties"].update(layer="attacks", actor="JNIM", precision=precision,
                                 date="2024-05-02", status="reported")
    return feature


@pytest.fixture
def told_twice(app) -> str:
    """A map of two reports of one attack: an exact place in Gao (precision 1) and a vaguer
    one 10 km east (precision 3), which the map merges into the exact one."""
    with app.app_context():
        store = get_store()
        exact, vague = (store.add_document(
            text=name, title=name, lang="en", mentions=[], published=date(2024, 5, 2),
            layers={"attacks": collection(attack(lon, 16.27, precision))})
            for name, lon, precision in (("Exact", -0.04, 1), ("Vague", 0.05, 3)))
        return store.create_map(title="Gao", document_ids=[exact.id, vague.id]).id


@pytest.fixture
def pacific(app) -> str:
    """A map of places on both sides of the antimeridian, and one far from it."""
    with app.app_context():
        store = get_store()
        document = store.add_document(
            text="Fiji", title="Fiji", lang="en", mentions=[], layers={"mentions": collection(
                point("Taveuni", 179.9, -16.8), point("Lau", -179.5, -17.5),
                point("Gao", -0.04, 16.27))})
        return store.create_map(title="Pacific", document_ids=[document.id]).id


def names(response) -> list[str]:
    assert response.status_code == 200, response.data[:300]
    return sorted(f["properties"]["name"] for f in response.json["features"])


def test_map_events_are_cut_to_the_box_after_merging(client, told_twice):
    url = f"/api/v1/maps/{told_twice}/layers.geojson"
    assert len(client.get(url).json["features"]) == 1  # one event, two sources
    around_exact = client.get(url, query_string={"bbox": "-0.1,16.2,0.0,16.3"}).json
    [event] = around_exact["features"]
    assert len(event["properties"]["sources"]) == 2
    assert event["geometry"]["coordinates"] == [-0.04, 16.27]
    # the vague report's own place is no feature of the map: nothing there
    around_vague = client.get(url, query_string={"bbox": "0.0,16.2,0.1,16.3"}).json
    assert around_vague["features"] == [] and "bbox" not in around_vague


def test_box_is_tested_on_shapes_not_only_their_boxes(client, ids):
    url = f"/api/v1/maps/{ids['public']}/layers.geojson"
    # (4, 24) is inside the control zone's box but outside its triangle
    assert names(client.get(url, query_string={"bbox": "3.5,23.5,4.9,24.5"})) == []
    assert names(client.get(url, query_string={"bbox": "-4,16,-3,17"})) == ["Northern Mali"]
    found = client.get(url, query_string={"bbox": "-1,16,6,23", "layers": "mentions"}).json
    assert sorted(f["properties"]["name"] for f in found["features"]) == ["Gao", "Kidal",
                                                                          "Tamanrasset"]
    assert found["bbox"] == [-0.04, 16.27, 5.52, 22.79]  # the features kept, not the layer's


def test_box_may_cross_the_antimeridian(client, pacific):
    url = f"/api/v1/maps/{pacific}/layers.geojson"
    assert names(client.get(url, query_string={"bbox": "179,-18,-179,-16"})) == ["Lau",
                                                                                 "Taveuni"]
    assert names(client.get(url, query_string={"bbox": "179,-18,180,-16"})) == ["Taveuni"]
    assert names(client.get(url)) == ["Gao", "Lau", "Taveuni"]


def test_document_layers_take_the_box_too(client, ids):
    url = f"/api/v1/documents/{ids['kidal']}/layers.geojson"
    inside = ["Kidal", "Northern Mali"]  # Kidal lies inside the control zone
    assert names(client.get(url, query_string={"bbox": "1,18,2,19"})) == inside
    # with heights (six numbers), and with the datetime window: both apply
    assert names(client.get(url, query_string={"bbox": "1,18,0,2,19,100"})) == inside
    assert names(client.get(url, query_string={"bbox": "1,18,2,19",
                                               "datetime": "2020-01-01/2020-12-31"})) == []


@pytest.mark.parametrize(("bbox", "problem"), [
    ("1,2,3", "should be 4 or 6 comma-separated numbers (minlon,minlat,maxlon,maxlat)"),
    ("", "should be 4 or 6 comma-separated numbers (minlon,minlat,maxlon,maxlat)"),
    ("a,16,b,17", "should contain only numbers"),
    ("0,16,nan,17", "should contain finite numbers"),
    ("0,-95,1,17", "latitudes should be within -90..90"),
    ("-190,16,1,17", "longitudes should be within -180..180"),
    ("0,17,1,16", "minimum latitude should not exceed the maximum"),
])
def test_bad_box_is_a_400_naming_the_problem(client, ids, bbox, problem):
    for path in (f"/api/v1/maps/{ids['public']}/layers.geojson",
                 f"/api/v1/documents/{ids['kidal']}/layers.geojson"):
        response = client.get(path, query_string={"bbox": bbox})
        assert response.status_code == 400 and response.json["ok"] is False
        assert response.json["error"] == f"'bbox' {problem}, got {bbox!r}"
        # the OGC API answers the same box in the same words
        ogc = client.get("/ogc/collections/mentions/items", query_string={"bbox": bbox})
        assert ogc.status_code == 400 and ogc.json["error"] == response.json["error"]


def test_box_is_described_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json
    for path in ("/v1/maps/{mapId}/layers.geojson", "/v1/documents/{docId}/layers.geojson"):
        refs = [p["$ref"] for p in document["paths"][path]["get"]["parameters"]]
        assert "#/components/parameters/bbox" in refs
    parameter = document["components"]["parameters"]["bbox"]
    assert parameter["in"] == "query" and "antimeridian" in parameter["description"]
