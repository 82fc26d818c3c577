"""A map's popups ask for what only they read (sources, evidence) when they open: the map
pages' display data leaves it out, the downloads keep everything."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import shape

from tests.webapp.people import add_people, signed_in
from tests.webapp.stored import collection
from tests.webapp.test_timeline_browser import event
from webapp.downloads import DETAIL_PROPERTIES
from webapp.store import get_store

HOSTILE = "<img src=x onerror=alert(1)>"


def merged_map(app, *, public: bool = True) -> str:
    """Two reports of one attack (merged, with both sources) and one of another."""
    with app.app_context():
        store = get_store()
        docs = []
        for n, (title, url) in enumerate([("RFI", "https://www.rfi.fr/1"),
                                          (HOSTILE, "javascript:alert(1)")]):
            attack = event("Menaka", 2.40, 15.92, "2024-03-03")
            attack["properties"]["evidence"] = [{"start": 0, "end": 9, "text": f"{HOSTILE} {n}"}]
            docs.append(store.add_document(
                text=f"report {n}", title=title, lang="en", mentions=[], source_url=url,
                published=date(2024, 3, 4 + n), public=public,
                layers={"attacks": collection(attack, event("Gao", 0.0, 16.27, "2024-02-01"))}))
        return store.create_map(title="Merged", document_ids=[d.id for d in docs],
                                public=public).id


def test_the_display_data_leaves_the_details_out_and_links_them(app, client):
    map_id = merged_map(app)
    full = client.get(f"/maps/{map_id}.geojson").json
    light = client.get(f"/maps/{map_id}.geojson?display=1").json
    assert [f["id"] for f in light["features"]] == [f["id"] for f in full["features"]]
    merged = next(f for f in full["features"] if f["properties"].get("sources"))
    assert len(merged["properties"]["sources"]) == 2 and merged["properties"]["evidence"]
    for feature in light["features"]:
        assert not DETAIL_PROPERTIES & set(feature["properties"]), feature["properties"]
        assert {"name", "layer", "date", "document_title"} <= set(feature["properties"])
    [link] = light["links"]
    assert link["rel"] == "details" and link["href"] == f"/maps/{map_id}/details.json"
    assert "links" not in full  # the downloads are unchanged


def test_a_feature_s_details_are_its_full_properties(app, client):
    map_id = merged_map(app)
    full = client.get(f"/maps/{map_id}.geojson").json
    for feature in full["features"]:
        response = client.get(f"/maps/{map_id}/details.json",
                              query_string={"feature": feature["id"]})
        assert response.status_code == 200 and response.mimetype == "application/json"
        assert response.json == {"ok": True, "id": feature["id"],
                                 "properties": feature["properties"]}
        assert response.cache_control.no_cache and response.cache_control.public
        again = client.get(response.request.url, headers={"If-None-Match": response.get_etag()[0]})
        assert again.status_code == 304
    # text holding markup is JSON data, never sniffed as a page (the popup sets it as text)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert HOSTILE in str(response.json)


@pytest.mark.parametrize(("query", "status", "message"), [
    ("", 400, "feature: missing"),
    ("feature=", 400, "feature: missing"),
    ("feature=nope", 404, "has no feature 'nope'"),
])
def test_a_bad_feature_is_a_clear_4xx(app, client, query, status, message):
    map_id = merged_map(app)
    response = client.get(f"/maps/{map_id}/details.json?{query}")
    assert response.status_code == status
    assert response.json["ok"] is False and message in response.json["error"]


def test_a_draft_map_s_details_follow_the_map_s_visibility(app):
    add_people(app)
    map_id = merged_map(app, public=False)
    editor = signed_in(app, "vi")
    feature = editor.get(f"/maps/{map_id}.geojson").json["features"][0]["id"]
    url = f"/maps/{map_id}/details.json?feature={feature}"
    seen = editor.get(url)
    assert seen.status_code == 200 and seen.json["properties"]["evidence"]
    assert seen.cache_control.private and not seen.cache_control.public
    assert app.test_client().get(url).status_code == 404


def test_a_shape_several_features_share_is_sent_once(app, client):
    from tests.webapp.test_timeline_browser import zone

    with app.app_context():
        store = get_store()
        docs = [store.add_document(text=f"z{n}", title=f"Z{n}", lang="en", mentions=[],
                                   published=date(2024, 1 + 4 * n, 5),  # months apart: two zones
                                   layers={"control_zones": collection(zone(actor, 1.41, 18.44)),
                                           "attacks": collection(event(f"a{n}", n, 16.0,
                                                                       "2024-01-02"))})
                for n, actor in enumerate(("MNLA", "Malian army"))]
        map_id = store.create_map(title="Zones", document_ids=[d.id for d in docs]).id
    full = client.get(f"/maps/{map_id}.geojson").json
    light = client.get(f"/maps/{map_id}.geojson?display=1").json
    zones = [f for f in light["features"] if f["properties"]["layer"] == "control_zones"]
    assert [(f["geometry"], f["geometry_ref"]) for f in zones] == [(None, 0), (None, 0)]
    [shared] = light["geometries"]
    assert shape(shared).symmetric_difference(shape(zones_geometry(full))).area < 1e-9
    attacks = [f for f in light["features"] if f["properties"]["layer"] == "attacks"]
    assert all(f["geometry"]["type"] == "Point" and "geometry_ref" not in f for f in attacks)
    assert "geometries" not in full and all(f["geometry"] for f in full["features"])


def zones_geometry(body: dict) -> dict:
    [shape] = {str(f["geometry"]): f["geometry"] for f in body["features"]
               if f["properties"]["layer"] == "control_zones"}.values()
    return shape
