"""A map's display GeoJSON and page parts are made once per map version, then reused."""

from __future__ import annotations

from tests.webapp.stored import collection, point
from webapp.render_cache import EXTENSION
from webapp.store import get_store


def three_reports(app) -> tuple[str, list[str]]:
    with app.app_context():
        store = get_store()
        ids = [store.add_document(text=f"Report {n}", title=f"Report {n}", lang="en", mentions=[],
                                  layers={"mentions": collection(point(town, lon, 18.0))}).id
               for n, (town, lon) in enumerate((("Gao", 0.0), ("Kidal", 1.4), ("Menaka", 2.2)))]
        return store.create_map(title="Three", document_ids=ids).id, ids


def test_the_display_data_is_made_once_per_version(app, client):
    map_id, ids = three_reports(app)
    cache = app.extensions[EXTENSION]
    url = f"/maps/{map_id}.geojson?display=1"
    before = len(cache)
    first = client.get(url)
    held = len(cache)
    again = client.get(url)
    assert held > before and len(cache) == held and again.get_etag() == first.get_etag()
    assert client.get(url, headers={"If-None-Match": first.get_etag()[0]}).status_code == 304
    assert len(first.json["features"]) == 3
    with app.app_context():
        get_store().delete_document(ids[0])  # the map changes: a new version
    changed = client.get(url)
    assert [f["properties"]["name"] for f in changed.json["features"]] == ["Kidal", "Menaka"]
    assert changed.get_etag() != first.get_etag()


def test_a_bad_download_query_is_still_a_400(app, client):
    map_id, _ = three_reports(app)
    for query in ("display=2", "datetime=yesterday", "layers=nope"):
        response = client.get(f"/maps/{map_id}.geojson?{query}")
        assert response.status_code == 400, query
    assert client.get(f"/maps/{map_id}.geojson?display=1").status_code == 200
