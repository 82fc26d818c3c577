"""JSON API at /api/v1: reads, writes behind the token, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.webapp.stored import TOKEN, seed, token_app
from webapp import create_app
from webapp.store import get_store

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARABIC = "أعلنت الجزائر نشر قوات على حدودها مع مالي، فيما فر لاجئون من كيدال وغاو نحو موريتانيا."


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path, MAX_CONTENT_LENGTH=4096)


def count(app) -> tuple[int, int]:
    with app.app_context():
        store = get_store()
        return store.count_documents(), store.count_maps()


def assert_error(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/json"
    body = response.json
    assert body["ok"] is False and body["status"] == status
    for word in words:
        assert word in body["error"]


def test_documents_are_listed_a_page_at_a_time(client, ids):
    first = client.get("/api/v1/documents?limit=2").json
    assert (first["total"], len(first["documents"]), first["prev"]) == (3, 2, None)
    second = client.get(first["next"]).json
    assert second["next"] is None and second["prev"] is not None
    listed = [d["id"] for d in first["documents"] + second["documents"]]
    assert sorted(listed) == sorted([ids["kidal"], ids["tam"], ids["nkc"]])
    assert "text" not in first["documents"][0]


def test_document_shows_text_mentions_and_layer_counts(client, ids):
    body = client.get(f"/api/v1/documents/{ids['kidal']}").json["document"]
    assert body["text"] == "Kidal and Gao" and body["mentions"] == []
    assert body["layers"] == {"control_zones": 1, "mentions": 2}
    assert body["published"] == "2024-05-01"
    assert client.get(body["links"]["layers"]).status_code == 200


def test_document_layers_download_as_one_feature_collection(client, ids):
    response = client.get(f"/api/v1/documents/{ids['kidal']}/layers.geojson")
    assert response.mimetype == "application/geo+json"
    body = response.json
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 3
    assert {f["properties"]["layer"] for f in body["features"]} == {"mentions", "control_zones"}
    assert body["bbox"] == [-5, 15, 5, 25]
    only = client.get(f"/api/v1/documents/{ids['kidal']}/layers.geojson?layers=control_zones")
    assert [f["properties"]["layer"] for f in only.json["features"]] == ["control_zones"]


def test_maps_list_public_ones_without_the_token(client, ids):
    public = client.get("/api/v1/maps").json
    assert [m["id"] for m in public["maps"]] == [ids["public"]] and public["total"] == 1
    every = client.get("/api/v1/maps", headers=AUTH).json
    assert {m["id"] for m in every["maps"]} == {ids["public"], ids["private"]}


def test_private_map_reads_need_the_token(client, ids):
    for path in (f"/api/v1/maps/{ids['private']}", f"/api/v1/maps/{ids['private']}/layers.geojson"):
        assert_error(client.get(path), 404, "no map")  # as if it did not exist: ids do not leak
        assert client.get(path, headers=AUTH).status_code == 200
    layers = client.get(f"/api/v1/maps/{ids['public']}/layers.geojson").json
    assert len(layers["features"]) == 4


def test_map_is_created_over_stored_documents(client, app, ids):
    body = {
        "title": "Both",
        "document_ids": [ids["kidal"], ids["nkc"]],
        "layers": ["mentions"],
        "view": {"center": [17.0, -3.0], "zoom": 5},
        "public": False,
    }
    response = client.post("/api/v1/maps", json=body, headers=AUTH)
    assert response.status_code == 201
    created = response.json["map"]
    assert response.headers["Location"] == created["links"]["self"]
    assert created["layers"] == ["mentions"] and created["public"] is False
    layers = client.get(created["links"]["layers"], headers=AUTH).json
    assert {f["properties"]["name"] for f in layers["features"]} == {"Kidal", "Gao", "Nouakchott"}


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({}, ("Authorization",)),
        ({"Authorization": "Bearer wrong"}, ("not valid",)),
        ({"Authorization": f"Basic {TOKEN}"}, ("Bearer",)),
        ({"Authorization": "Bearer"}, ("Bearer",)),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/maps", "/api/v1/geoparse"])
def test_writes_need_the_bearer_token(client, app, ids, path, headers, words):
    before = count(app)
    response = client.post(
        path, json={"text": "Kidal", "title": "x", "document_ids": []}, headers=headers
    )
    assert_error(response, 401, *words)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(app) == before


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, ("not valid JSON",)),
        ({"data": "\xff\xfe", "content_type": "application/json"}, 400, ("JSON",)),
        ({"json": ["a list"]}, 400, ("JSON object", "list")),
        ({"data": "Kidal", "content_type": "text/plain"}, 415, ("text/plain",)),
        ({"data": "Kidal"}, 415, ("no type",)),
        ({"json": {"text": "x" * 5000}}, 413, ()),
        ({"json": {}}, 400, ("'text' is required",)),
        ({"json": {"text": "  "}}, 400, ("'text'",)),
        ({"json": {"text": 42}}, 400, ("'text' should be a string", "int")),
        ({"json": {"text": "Kidal", "lang": "de"}}, 400, ("lang: expected one of", "'de'")),
        ({"json": {"text": "Kidal", "published": "May 1"}}, 400, ("'published'", "'May 1'")),
        ({"json": {"text": "Kidal", "source_url": "ftp://x"}}, 400, ("'source_url'",)),
        ({"json": {"text": "Kidal", "colour": "red"}}, 400, ("'colour'",)),
        ({"json": {"text": "Kidal", "title": "t" * 501}}, 400, ("'title'", "501")),
    ],
)
def test_bad_document_bodies_are_refused_and_nothing_is_stored(client, app, kwargs, status, words):
    before = count(app)
    response = client.post("/api/v1/documents", headers=AUTH, **kwargs)
    assert_error(response, status, *words)
    assert count(app) == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"document_ids": ["x"]}, ("'title' is required",)),
        ({"title": "T", "document_ids": []}, ("'document_ids'",)),
        ({"title": "T", "document_ids": ["{kidal}"], "layers": ["Bad Layer"]}, ("'layers'",)),
        ({"title": "T", "document_ids": "{kidal}"}, ("'document_ids' should be a list",)),
        ({"title": "T", "document_ids": ["{kidal}"], "view": {"zoom": 99}}, ("'view.zoom'",)),
        ({"title": "T", "document_ids": ["{kidal}"], "view": {"center": [1]}}, ("'view.center'",)),
        ({"title": "T", "document_ids": ["{kidal}"], "public": "maybe"}, ("'public'",)),
    ],
)
def test_bad_map_bodies_are_refused_and_nothing_is_stored(client, app, ids, body, words):
    body = json.loads(json.dumps(body).replace("{kidal}", ids["kidal"]))
    before = count(app)
    assert_error(client.post("/api/v1/maps", json=body, headers=AUTH), 400, *words)
    assert count(app) == before


def test_a_map_of_unknown_documents_is_a_404_naming_them(client, app):
    before = count(app)
    response = client.post("/api/v1/maps", json={"title": "T", "document_ids": ["dnope"]},
                           headers=AUTH)
    assert_error(response, 404, "unknown document", "dnope")
    assert count(app) == before


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/documents/dnope", 404, ("dnope",)),
        ("/api/v1/documents/dnope/layers.geojson", 404, ("dnope",)),
        ("/api/v1/maps/mnope", 404, ("mnope",)),
        ("/api/v1/maps/mnope/layers.geojson", 404, ("mnope",)),
        ("/api/v1/documents?limit=0", 400, ("'limit'",)),
        ("/api/v1/documents?limit=101", 400, ("'limit'",)),
        ("/api/v1/maps?offset=-3", 400, ("'offset'",)),
        ("/api/v1/documents/{kidal}/layers.geojson?layers=Control Zones", 400, ("'layers'",)),
    ],
)
def test_bad_reads_answer_the_json_error_body(client, ids, path, status, words):
    assert_error(client.get(path.format(**ids)), status, *words)


def test_method_not_allowed_is_json(client):
    assert_error(client.delete("/api/v1/documents"), 405)


def test_writes_are_open_without_a_configured_token(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DEMO_MAP": False, "PARSE_WORKERS": 0,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'open.sqlite3'}",
        }
    )
    with app.app_context():
        ids = seed(get_store())
    response = app.test_client().post(
        "/api/v1/maps",
        json={"title": "Open map", "document_ids": [ids["kidal"], ids["tam"]], "public": False},
    )
    assert response.status_code == 201 and response.json["map"]["public"] is False


@pytest.mark.slow
def test_geoparse_is_stateless(client, app):
    before = count(app)
    response = client.post("/api/v1/geoparse", json={"text": ARABIC}, headers=AUTH)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["lang"] == "ar"
    assert {"ML", "MR"} <= {m["place"]["country"] for m in body["mentions"] if m["place"]}
    for m in body["mentions"]:
        assert ARABIC[m["start"] : m["end"]] == m["surface"]
    assert body["layers"]["type"] == "FeatureCollection" and body["layers"]["features"]
    assert count(app) == before


@pytest.mark.slow
def test_geoparse_selects_layers(client):
    response = client.post(
        "/api/v1/geoparse",
        headers=AUTH,
        json={"text": "Refugees fled Kidal for Mauritania.", "lang": "en", "layers": ["mentions"]},
    )
    assert response.status_code == 200, response.json
    assert {f["properties"]["layer"] for f in response.json["layers"]["features"]} == {"mentions"}


@pytest.mark.slow
def test_document_is_stored_parsed_and_served_everywhere(client, app):
    body = {
        "text": ARABIC,
        "title": "Sahel",
        "published": "2024-06-01",
        "source_url": "https://news.invalid/a",
    }
    response = client.post("/api/v1/documents", json=body, headers=AUTH)
    assert response.status_code == 201, response.json
    doc = response.json["document"]
    assert response.headers["Location"] == doc["links"]["self"]
    assert doc["lang"] == "ar" and doc["layers"]["mentions"] > 0
    shown = client.get(doc["links"]["self"]).json["document"]
    assert shown["text"] == ARABIC and shown["mentions"]
    items = client.get("/ogc/collections/mentions/items?datetime=2024-06-01").json
    assert items["numberMatched"] == doc["layers"]["mentions"]


# --- Idempotency-Key --------------------------------------------------------------------------
def test_a_retry_with_the_same_key_gets_the_first_answer(client, app, ids):
    headers = {**AUTH, "Idempotency-Key": "2f1c5d0e-retry-1"}
    body = {"title": "Once", "document_ids": [ids["kidal"]]}
    first = client.post("/api/v1/maps", json=body, headers=headers)
    again = client.post("/api/v1/maps", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [m["title"] for m in client.get("/api/v1/maps", headers=AUTH).json["maps"]
            ].count("Once") == 1
    other = client.post("/api/v1/maps", json={**body, "title": "Other"}, headers=headers)
    assert other.status_code == 422 and "another body" in other.json["error"]


def test_a_failed_write_frees_its_key(client, ids):
    headers = {**AUTH, "Idempotency-Key": "k-fails-first"}
    bad = client.post("/api/v1/maps", json={"title": "X", "document_ids": ["dnope"]},
                      headers=headers)
    assert bad.status_code == 404
    again = client.post("/api/v1/maps", json={"title": "X", "document_ids": ["dnope"]},
                        headers=headers)
    assert again.status_code == 404 and "Idempotent-Replayed" not in again.headers


@pytest.mark.slow
def test_documents_are_not_stored_twice(client, app):
    headers = {**AUTH, "Idempotency-Key": "doc-key-1"}
    before = count(app)
    first = client.post("/api/v1/documents", json={"text": "Gao, Mali."}, headers=headers)
    again = client.post("/api/v1/documents", json={"text": "Gao, Mali."}, headers=headers)
    assert first.status_code == 201 and again.json == first.json
    assert count(app) == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "é"])
def test_a_malformed_key_is_a_400(client, ids, key):
    response = client.post("/api/v1/maps", json={"title": "T", "document_ids": [ids["kidal"]]},
                           headers={**AUTH, "Idempotency-Key": key})
    assert response.status_code == 400 and "Idempotency-Key" in response.json["error"]


def test_racing_retries_write_once(app, ids):
    from concurrent.futures import ThreadPoolExecutor

    headers = {**AUTH, "Idempotency-Key": "race-key"}
    body = {"title": "Raced", "document_ids": [ids["kidal"]]}

    def post(_):
        return app.test_client().post("/api/v1/maps", json=body, headers=headers).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, range(8)))
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    with app.app_context():
        titles = [m.title for m in get_store().list_maps(limit=100, private=True)]
    assert titles.count("Raced") == 1
