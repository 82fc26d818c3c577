"""OGC API - Features at /ogc: collections, paging, filters, formats and errors."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.webapp.stored import TOKEN, collection, first_feature_id, point, token_app
from webapp.store import get_store

CONFORMANCE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path)


@pytest.fixture
def known(app, ids) -> dict[str, str]:
    """The seeded ids with the first mention feature of the Kidal and Nouakchott reports."""
    with app.app_context():
        return {**ids, "kidal_item": first_feature_id(get_store(), ids["kidal"]),
                "nkc_item": first_feature_id(get_store(), ids["nkc"])}


def items(client, collection_id: str, **args) -> dict:
    response = client.get(f"/ogc/collections/{collection_id}/items", query_string=args)
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/geo+json"
    return response.json


def names(page: dict) -> set[str]:
    return {f["properties"]["name"] for f in page["features"]}


def rel(doc: dict, name: str) -> dict | None:
    return next((link for link in doc["links"] if link["rel"] == name), None)


def test_landing_page_links_everything(client, ids):
    body = client.get("/ogc/").json
    for name in ("self", "service-desc", "conformance", "data"):
        assert urlsplit(rel(body, name)["href"]).scheme == "http"
    assert client.get(rel(body, "service-desc")["href"]).status_code == 200
    assert client.get("/ogc").status_code == 200  # no redirect for the bare prefix


def test_conformance_declares_core_geojson_html_oas30(client):
    conforms = client.get("/ogc/conformance").json["conformsTo"]
    assert {CONFORMANCE + c for c in ("core", "geojson", "html", "oas30")} <= set(conforms)


def test_collections_per_layer_and_per_public_map(client, ids):
    listed = {c["id"]: c for c in client.get("/ogc/collections").json["collections"]}
    public = f"map-{ids['public']}-"
    assert set(listed) == {
        "mentions",
        "control_zones",
        public + "mentions",
        public + "control_zones",
    }
    zones = listed["control_zones"]
    assert zones["extent"]["spatial"]["bbox"] == [[-5, 15, 5, 25]]
    assert zones["extent"]["temporal"]["interval"] == [["2024-05-01T00:00:00Z"] * 2]
    assert rel(zones, "items")["type"] == "application/geo+json"
    assert client.get(f"/ogc/collections/{public}mentions").json["title"].startswith("Sahel")


def test_paging_follows_next_links_through_every_feature(client, ids):
    page = items(client, "mentions", limit=1)
    assert (page["numberMatched"], page["numberReturned"]) == (4, 1)
    assert rel(page, "prev") is None
    seen = [f["id"] for f in page["features"]]
    while rel(page, "next"):
        page = client.get(rel(page, "next")["href"]).json
        assert rel(page, "prev") is not None
        seen += [f["id"] for f in page["features"]]
    assert len(seen) == len(set(seen)) == 4
    assert seen[0].startswith(f"{ids['kidal']}.mentions.")


def test_offset_past_the_end_is_an_empty_page(client, ids):
    page = items(client, "mentions", offset=10)
    assert (page["numberMatched"], page["numberReturned"], page["features"]) == (4, 0, [])


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ("-1,16,2,19", {"Kidal", "Gao"}),
        ("-1,16,0,2,19,100", {"Kidal", "Gao"}),
        ("170,-10,-170,10", set()),
        ("-180,-90,180,90", {"Kidal", "Gao", "Tamanrasset", "Nouakchott"}),
    ],
)
def test_bbox_filters_mentions(client, ids, bbox, expected):
    page = items(client, "mentions", bbox=bbox)
    assert names(page) == expected
    assert page["numberMatched"] == len(expected)
    if expected:
        assert f"bbox={bbox}" in rel(page, "self")["href"]


def test_bbox_tests_the_geometry_not_only_its_bbox(client, ids):
    assert names(items(client, "control_zones", bbox="3,23,5,25")) == set()
    assert names(items(client, "control_zones", bbox="-4,16,-3,17")) == {"Northern Mali"}


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ("2024-05-01", {"Kidal", "Gao"}),
        ("2024-05-01T12:00:00Z", {"Kidal", "Gao"}),
        ("../2023-12-31T00:00:00Z", {"Tamanrasset"}),
        # an undated document was reported the day it was stored (today)
        ("2023-06-01/2024-12-31", {"Kidal", "Gao"}),
        ("2023-06-01/..", {"Kidal", "Gao", "Nouakchott"}),
        ("2020-01-01/2100-01-01", {"Kidal", "Gao", "Tamanrasset", "Nouakchott"}),
        ("1999-01-01", set()),
    ],
)
def test_datetime_filters_by_reported_date(client, ids, interval, expected):
    assert names(items(client, "mentions", datetime=interval)) == expected


def test_map_collection_draws_from_its_documents_only(client, ids):
    page = items(client, f"map-{ids['public']}-mentions", limit=100)
    assert names(page) == {"Kidal", "Gao", "Tamanrasset"}


def test_feature_ids_are_stable_and_resolvable(client, ids):
    first = items(client, "mentions")["features"][1]
    again = items(client, "mentions")["features"][1]
    assert first["id"] == again["id"] and first["id"].startswith(f"{ids['kidal']}.mentions.")
    for collection_id in ("mentions", f"map-{ids['public']}-mentions"):
        one = client.get(f"/ogc/collections/{collection_id}/items/{first['id']}")
        assert one.status_code == 200 and one.mimetype == "application/geo+json"
        assert one.json["geometry"] == first["geometry"]
        assert rel(one.json, "collection")["href"].endswith(f"/ogc/collections/{collection_id}")


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/collections/nope",
        "/ogc/collections/nope/items",
        "/ogc/collections/map-m0000000000-mentions",
        "/ogc/collections/map-{public}-deployments",
        "/ogc/collections/mentions/items/{kidal}.mentions.0123456789",
        "/ogc/collections/mentions/items/{kidal}.mentions.0",
        "/ogc/collections/mentions/items/{kidal_item}x",
        "/ogc/collections/mentions/items/{kidal}.control_zones.0123456789",
        "/ogc/collections/mentions/items/garbage",
        "/ogc/collections/map-{public}-mentions/items/{nkc_item}",
    ],
)
def test_unknown_collections_and_features_are_404_json(client, known, path):
    response = client.get(path.format(**known))
    assert response.status_code == 404
    assert response.json["ok"] is False and response.json["status"] == 404


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ({"limit": "0"}, "'limit'"),
        ({"limit": "many"}, "'limit'"),
        ({"limit": "1001"}, "'limit'"),
        ({"offset": "-1"}, "'offset'"),
        ({"bbox": "1,2,3"}, "'bbox'"),
        ({"bbox": "0,0,200,10"}, "'bbox'"),
        ({"datetime": "last week"}, "'datetime'"),
        ({"datetime": "2024-02-01/2024-01-01"}, "'datetime'"),
        ({"bbox-crs": "EPSG:4326"}, "'bbox-crs'"),
        ({"f": "xml"}, "'f'"),
        ({"colour": "red"}, "'colour'"),
    ],
)
def test_bad_query_values_are_400_with_the_reason(client, ids, args, named):
    response = client.get("/ogc/collections/mentions/items", query_string=args)
    assert response.status_code == 400
    assert response.json["ok"] is False and named in response.json["error"]


def test_private_map_is_hidden_and_needs_the_token(client, ids):
    listed = [c["id"] for c in client.get("/ogc/collections").json["collections"]]
    assert not any(ids["private"] in c for c in listed)
    path = f"/ogc/collections/map-{ids['private']}-mentions/items"
    denied = client.get(path)
    assert denied.status_code == 404 and "no collection" in denied.json["error"]
    allowed = client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
    assert names(allowed.json) == {"Nouakchott"}


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/mentions",
        "/ogc/collections/mentions/items",
        "/ogc/collections/mentions/items/{kidal_item}",
        "/ogc/api",
    ],
)
def test_every_page_answers_html_by_f_or_accept(client, known, path):
    path = path.format(**known)
    by_f = client.get(path, query_string={"f": "html"})
    by_accept = client.get(path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert by_f.mimetype == by_accept.mimetype == "text/html"
    assert client.get(path, query_string={"f": "json"}).mimetype != "text/html"


def test_html_escapes_feature_text(client, app):
    with app.app_context():
        evil = point("<script>alert(1)</script>", 0, 0)
        doc = get_store().add_document(
            text="x",
            title="x",
            lang="en",
            mentions=[],
            layers={"mentions": collection(evil)},
        )
        evil_id = first_feature_id(get_store(), doc.id)
    page = client.get("/ogc/collections/mentions/items?f=html").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    item = client.get(f"/ogc/collections/mentions/items/{evil_id}?f=html").text
    assert "<script>alert" not in item


def test_features_are_parsed_once_and_deleted_documents_drop_out(client, app, ids, monkeypatch):
    store = app.extensions["kharita.store"]
    calls = []
    original = store.get_layers
    monkeypatch.setattr(store, "get_layers", lambda *a, **k: calls.append(a) or original(*a, **k))
    items(client, "mentions")
    first = len(calls)
    items(client, "mentions", bbox="-1,16,2,19")
    assert first == 3 and len(calls) == first  # second request served from the cache
    store.delete_document(ids["kidal"])
    assert names(items(client, "mentions")) == {"Tamanrasset", "Nouakchott"}


# --- Part 3: queryables and CQL2 filters ----------------------------------------------------
def test_every_collection_has_queryables(client, ids):
    collection = client.get("/ogc/collections/control_zones").json
    link = next(x for x in collection["links"] if x["rel"].endswith("/queryables"))
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/schema+json"
    schema = response.json
    assert schema["type"] == "object" and {"actor", "status", "date", "strength",
                                            "confidence"} <= set(schema["properties"])
    # the drafts' shape, which GDAL's OAPIF driver reads: a "queryables" link and list, as JSON
    draft = next(x for x in collection["links"] if x["rel"] == "queryables")
    response = client.get(draft["href"], headers={"Accept": "application/geo+json, "
                                                            "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert {q["id"] for q in response.json["queryables"]} == set(schema["properties"])
    conformance = client.get("/ogc/conformance").json["conformsTo"]
    assert any(c.endswith("ogcapi-features-3/1.0/conf/filter") for c in conformance)
    assert client.get("/ogc/collections/nope/queryables").status_code == 404


@pytest.mark.parametrize("args, expected", [
    ({"filter": "actor = 'AQIM'"}, {"Northern Mali"}),
    ({"filter": "actor = 'JNIM'"}, set()),
    ({"filter": "confidence > 0.5 AND precision = 5"}, {"Northern Mali"}),
    ({"filter": '{"op": "=", "args": [{"property": "actor"}, "AQIM"]}',
      "filter-lang": "cql2-json"}, {"Northern Mali"}),
    ({"filter": "strength > 10"}, set()),  # no feature has a strength: null is no match
    # the drafts' name of the text encoding, which GDAL's OAPIF driver sends
    ({"filter": "(actor = 'AQIM') AND (precision = 5)", "filter-lang": "cql-text"},
     {"Northern Mali"}),
    # a date property against a quoted date, as GDAL writes it, or CQL2's DATE()
    ({"filter": "published = '2024-05-01T'", "filter-lang": "cql-text"}, {"Northern Mali"}),
    ({"filter": "published > '2024-05-01'"}, set()),
    ({"filter": "published < DATE('2024-05-02')"}, {"Northern Mali"}),
])
def test_items_are_filtered_by_cql2(client, ids, args, expected):
    body = client.get("/ogc/collections/control_zones/items", query_string=args).json
    assert names(body) == expected and body["numberMatched"] == len(expected)


@pytest.mark.parametrize("args, named", [
    ({"filter": "colour = 'red'"}, "colour"),
    ({"filter": "actor ==== 'x'"}, "not valid cql2-text"),
    ({"filter": "{broken", "filter-lang": "cql2-json"}, "not valid cql2-json"),
    ({"filter": "actor = 'x'", "filter-lang": "ecql"}, "'filter-lang'"),
    ({"filter-lang": "cql2-text"}, "without 'filter'"),
])
def test_a_bad_filter_is_a_400_naming_the_problem(client, ids, args, named):
    response = client.get("/ogc/collections/control_zones/items", query_string=args)
    assert response.status_code == 400 and named in response.json["error"], response.json
