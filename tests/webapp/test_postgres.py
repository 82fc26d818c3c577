"""The app on a real PostgreSQL server (``KHARITA_DATABASE_URL=postgresql+psycopg://...``).

The rest of the suite runs on SQLite; here the behaviours that touch the
database (parse and store, paging, maps over several documents, downloads,
the JSON API, OGC filters, failed writes) run against the throwaway cluster
of ``postgres_url``. The store contract itself runs on both backends in
``test_store.py``.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import IntegrityError

import webapp.store.documents
from tests.webapp.conftest import TEXT_AR, TEXT_EN, sample_result
from tests.webapp.stored import TOKEN
from webapp import create_app
from webapp.store import get_store

pytestmark = pytest.mark.postgres
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app(postgres_url):
    """An app on a fresh PostgreSQL database, with a write token."""
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0, "API_TOKEN": TOKEN,
                      "DATABASE_URL": postgres_url, "WTF_CSRF_ENABLED": False})
    assert get_store.__module__ == "webapp.store"
    assert app.extensions["kharita.store"].engine.dialect.name == "postgresql"
    yield app
    app.extensions["kharita.store"].close()


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return get_store().count_documents(), get_store().count_maps()


def test_pasted_text_is_parsed_and_stored(app, client):
    response = client.post("/documents", data={"text": TEXT_EN, "title": "Pasted",
                                               "published": "2024-05-01"}, headers=AUTH)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Pasted" in page.get_data(as_text=True)
    with app.app_context():
        (record,) = get_store().list_documents()
        assert record.published.isoformat() == "2024-05-01" and record.lang == "en"
        assert record.layer_counts["mentions"] >= 3
        assert {m["surface"] for m in get_store().get_mentions(record.id)} >= {"Kidal", "Niger"}
        assert get_store().get_map(record.map_id).document_ids == (record.id,)


def test_documents_page_newest_first(client, ids):
    first = client.get("/api/v1/documents?limit=2").json
    second = client.get(first["next"]).json
    listed = [d["id"] for d in first["documents"] + second["documents"]]
    assert listed == [ids["nkc"], ids["tam"], ids["kidal"]] and first["total"] == 3
    assert client.get("/").status_code == 200


def test_document_by_id(client, ids):
    body = client.get(f"/api/v1/documents/{ids['kidal']}").json["document"]
    assert body["published"] == "2024-05-01"
    assert body["layers"] == {"control_zones": 1, "mentions": 2}
    assert client.get(f"/documents/{ids['kidal']}").status_code == 200
    assert client.get("/api/v1/documents/dnope").status_code == 404


def test_map_of_several_documents_and_its_downloads(client, ids):
    response = client.post("/maps", data={"title": "Both", "documents": [ids["kidal"], ids["tam"]],
                                          "layers": ["mentions"]}, headers=AUTH)
    assert response.status_code == 303
    map_url = response.headers["Location"]
    assert client.get(map_url).status_code == 200
    body = client.get(map_url + ".geojson").json
    assert [f["properties"]["name"] for f in body["features"]] == ["Kidal", "Gao", "Tamanrasset"]
    csv = client.get(map_url + ".csv")
    assert csv.status_code == 200 and "Tamanrasset" in csv.get_data(as_text=True)
    embed = client.get(map_url.replace("/maps/", "/embed/"))
    assert embed.status_code == 200 and "L.featureGroup(" in embed.get_data(as_text=True)


def test_api_creates_and_lists(app, client):
    made = client.post("/api/v1/documents", json={"text": TEXT_AR, "title": "تقرير"},
                       headers=AUTH)
    assert made.status_code == 201, made.json
    doc = made.json["document"]
    assert doc["lang"] == "ar" and doc["title"] == "تقرير" and doc["layers"]
    made = client.post("/api/v1/maps", json={"title": "Sahel", "document_ids": [doc["id"]],
                                             "view": {"zoom": 5, "center": [17, 0]}},
                       headers=AUTH)
    assert made.status_code == 201, made.json
    listed = client.get("/api/v1/maps", headers=AUTH).json["maps"]
    assert {m["title"] for m in listed} == {"Sahel", "تقرير"}
    shown = client.get(f"/api/v1/maps/{made.json['map']['id']}").json["map"]
    assert shown["view"] == {"zoom": 5, "center": [17, 0]}


def test_ogc_collections_and_bbox(client, ids):
    collections = client.get("/ogc/collections?f=json").json["collections"]
    assert {"mentions", "control_zones"} <= {c["id"] for c in collections}
    page = client.get("/ogc/collections/mentions/items?bbox=-1,16,2,19").json
    assert {f["properties"]["name"] for f in page["features"]} == {"Kidal", "Gao"}
    dated = client.get("/ogc/collections/mentions/items?datetime=2024-01-01/2024-12-31").json
    assert {f["properties"]["name"] for f in dated["features"]} == {"Kidal", "Gao"}
    # an undated document was reported the day it was stored (today), as on SQLite
    later = client.get("/ogc/collections/mentions/items?datetime=2024-01-01/..").json
    assert {f["properties"]["name"] for f in later["features"]} == {"Kidal", "Gao", "Nouakchott"}
    feature_id = page["features"][0]["id"]
    assert client.get(f"/ogc/collections/mentions/items/{feature_id}").status_code == 200


def test_failed_write_stores_nothing(app, monkeypatch):
    """The document row is flushed, then its own map collides: both roll back."""
    mentions, layers = sample_result()
    with app.app_context():
        store = get_store()
        taken = store.add_document(text=TEXT_EN, title="A", lang="en", mentions=mentions,
                                   layers=layers, map_title="A").map_id
        fresh = iter(["dfresh00001", taken])
        monkeypatch.setattr(webapp.store.documents, "new_id", lambda prefix: next(fresh))
        with pytest.raises(IntegrityError):
            store.add_document(text=TEXT_EN, title="B", lang="en", mentions=mentions,
                               layers=layers, map_title="B")
        monkeypatch.undo()
        assert store.get_document("dfresh00001") is None
        assert store.get_layers("dfresh00001") == {}
        assert store.count_documents() == 1 and store.count_maps() == 1
        assert store.add_document(text="x", title="C", lang="en", mentions=[], layers={})


@pytest.mark.parametrize("field", ["text", "title"])
def test_nul_characters_are_a_clear_400(app, client, field):
    """PostgreSQL text cannot hold U+0000: refuse it up front rather than answer 500."""
    body = {"text": "Kidal, Mali", field: "Kidal\x00 Mali"}
    response = client.post("/api/v1/documents", data=json.dumps(body),
                           content_type="application/json", headers=AUTH)
    assert response.status_code == 400, response.json
    assert field in response.json["error"]
    form = client.post("/documents", data=body, headers=AUTH)
    assert form.status_code == 400
    assert counts(app) == (0, 0)
