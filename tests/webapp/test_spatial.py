"""Per-feature rows (webapp.store.spatial): kept in step with the layers, and bbox queries
answered by the database (PostGIS, or box columns) exactly as the in-memory walk did."""

from __future__ import annotations

import random

import pytest
from shapely.geometry import box, shape
from sqlalchemy import event, text

from tests.webapp.stored import collection, point, triangle
from webapp.feature_ids import layer_feature_ids
from webapp.ogc import features as ogc_features
from webapp.ogc.features import Collection, FeatureCache, select_features
from webapp.store import Store


def add(store: Store, layers: dict, *, public: bool = True):
    return store.add_document(text="x", title="x", lang="en", mentions=[], layers=layers,
                              public=public)


def rows(store: Store, doc_id: str) -> list[tuple[str, int]]:
    with store.engine.connect() as connection:
        found = connection.execute(text("SELECT layer, n FROM features WHERE document_id = :d "
                                        "ORDER BY layer, n"), {"d": doc_id})
        return [tuple(row) for row in found]


def in_box(store: Store, bbox, **options) -> set[str]:
    found = store.features_in_bbox("mentions", bbox, **options)
    return {f["properties"]["name"] for found_in in found for f in found_in.features}


def test_rows_follow_create_correction_and_delete(store):
    doc = add(store, {"mentions": collection(point("Gao", 0.04, 16.27), point("Kidal", 1.4, 18.4)),
                      "control_zones": collection(triangle())})
    assert rows(store, doc.id) == [("control_zones", 0), ("mentions", 0), ("mentions", 1)]
    state = store.document_state(doc.id, private=True)
    layers = dict(state.layers)
    rejected = layers["mentions"]["features"][0]
    rejected["properties"]["review"] = "rejected"
    store.save_revision(doc.id, expected=0, author="ed", summary="", mentions=[],
                        layers={"mentions": layers["mentions"]})
    assert rows(store, doc.id) == [("mentions", 0)]  # rejected: never served, never found
    assert in_box(store, (-1, 15, 2, 19), private=True) == {"Kidal"}
    store.delete_document(doc.id)
    assert rows(store, doc.id) == []


def test_bbox_meets_polygons_and_crosses_the_antimeridian(store):
    add(store, {"mentions": collection(point("Fiji", 179.5, -17.0), point("Samoa", -171.8, -13.8),
                                       point("Gao", 0.04, 16.27))})
    assert in_box(store, (170, -20, -170, -10)) == {"Fiji", "Samoa"}
    assert in_box(store, (-1, 16, 1, 17)) == {"Gao"}
    assert in_box(store, (10, 10, 20, 20)) == set()
    zone = add(store, {"control_zones": collection(triangle())})
    item = Collection("control_zones", "control_zones",
                      entries=tuple(store.layer_index("control_zones")["control_zones"]))
    stored = store.document_state(zone.id, private=True).layers["control_zones"]["features"]
    assert [f.id for f in select_features(store, FeatureCache(), item, bbox=(-6, 14, -4, 16))
            ] == layer_feature_ids(zone.id, "control_zones", stored)
    # inside the triangle's box, outside the triangle: the exact test leaves it out
    assert list(select_features(store, FeatureCache(), item, bbox=(3, 23, 4.5, 24.5))) == []


def test_drafts_stay_out_unless_private(store):
    add(store, {"mentions": collection(point("Gao", 0.04, 16.27))}, public=False)
    assert in_box(store, (-1, 16, 1, 17)) == set()
    assert in_box(store, (-1, 16, 1, 17), private=True) == {"Gao"}


def test_postgis_column_is_used_when_the_database_has_it(postgres_url):
    store = Store(postgres_url)
    try:
        assert store.postgis
        doc = add(store, {"mentions": collection(point("Gao", 0.04, 16.27))})
        with store.engine.connect() as connection:
            kind = connection.scalar(text("SELECT ST_AsText(geom) FROM features "
                                          "WHERE document_id = :d"), {"d": doc.id})
        assert kind == "POINT(0.04 16.27)"
    finally:
        store.close()


def test_postgresql_without_postgis_falls_back_to_box_columns(postgres_cluster):
    store = Store(postgres_cluster.create_database(postgis=False))
    try:
        assert not store.postgis
        add(store, {"mentions": collection(point("Gao", 0.04, 16.27))})
        assert in_box(store, (-1, 16, 1, 17)) == {"Gao"}
    finally:
        store.close()


def test_an_older_database_gets_its_rows_on_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    doc = add(store, {"mentions": collection(point("Gao", 0.04, 16.27))})
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM features"))
    store.close()
    reopened = Store(url)
    try:
        assert rows(reopened, doc.id) == [("mentions", 0)]
    finally:
        reopened.close()


@pytest.fixture
def scattered(store):
    """Sixty documents of twenty points and four squares each, scattered over the world."""
    rng = random.Random(16)
    for d in range(60):
        features = [point(f"p{d}-{k}", rng.uniform(-180, 180), rng.uniform(-85, 85))
                    for k in range(20)]
        for k in range(4):
            x, y = rng.uniform(-179, 178), rng.uniform(-85, 84)
            ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
            features.append({**point(f"z{d}-{k}", x, y),
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
        add(store, {"mentions": collection(*features)})
    return store


def test_bbox_answers_match_a_walk_over_every_feature(scattered):
    store, rng = scattered, random.Random(7)
    every = store.features("mentions")
    indexed = Collection("mentions", "mentions",
                         entries=tuple(store.layer_index("mentions")["mentions"]))
    unindexed = Collection("mentions", "mentions", indexed=False)
    for _ in range(40):
        x, y, size = rng.uniform(-180, 170), rng.uniform(-85, 75), rng.uniform(0.5, 10)
        bbox = (x, y, x + size, y + size)
        expected = [f["id"] for f in every if shape(f["geometry"]).intersects(box(*bbox))]
        for item in (indexed, unindexed):
            assert [f.id for f in select_features(store, FeatureCache(), item, bbox=bbox)
                    ] == expected


def test_the_public_finds_the_published_revision_in_a_box(store):
    doc = add(store, {"mentions": collection(point("Gao", 0.04, 16.27))}, public=False)
    moved = {"mentions": collection(point("Gao", 10.0, 10.0))}
    store.save_revision(doc.id, expected=0, author="ed", summary="", mentions=[],
                        layers=store.document_state(doc.id, private=True).layers)
    store.set_document_public(doc.id, True)  # published at revision 1
    store.save_revision(doc.id, expected=1, author="ed", summary="moved", mentions=[],
                        layers=moved)

    def names(bbox, private):
        item = Collection("mentions", "mentions", private=private, indexed=False)
        return [f.data["properties"]["name"]
                for f in select_features(store, FeatureCache(), item, bbox=bbox)]

    assert names((-1, 16, 1, 17), private=False) == ["Gao"]
    assert names((9, 9, 11, 11), private=False) == []
    assert names((9, 9, 11, 11), private=True) == ["Gao"]
    assert names((-1, 16, 1, 17), private=True) == []


def test_a_bbox_request_reads_no_whole_layer(client, app, ids, monkeypatch):
    store = app.extensions["kharita.store"]
    calls = []
    original = store.get_layers
    monkeypatch.setattr(store, "get_layers", lambda *a, **k: calls.append(a) or original(*a, **k))
    answer = client.get("/ogc/collections/mentions/items?bbox=-1,16,2,19")
    assert answer.status_code == 200 and answer.json["features"]
    assert calls == []


@pytest.mark.parametrize(("collection_id", "status", "matched"), [
    ("mentions", 200, 0),  # known, nothing in that box
    ("nope", 404, None),
    ("no%00pe", 404, None),
])
def test_an_empty_box_still_tells_unknown_collections_apart(client, ids, collection_id, status,
                                                            matched):
    answer = client.get(f"/ogc/collections/{collection_id}/items?bbox=100,-10,101,-9")
    assert answer.status_code == status
    assert answer.json.get("numberMatched") == matched


def test_a_box_answer_is_one_statement(store):
    add(store, {"mentions": collection(point("Gao", 0.04, 16.27))})
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        for private in (False, True):  # the public's also asks for published revisions behind
            statements.clear()
            answer = store.answer_bbox("mentions", (-1, 16, 1, 17), private=private)
            assert [f["properties"]["name"] for found in answer.live for f in found.features
                    ] == ["Gao"]
            assert answer.pinned == [] and len(statements) == 1
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_postgis_rows_are_passed_on_without_a_second_test(store, monkeypatch):
    add(store, {"mentions": collection(point("Gao", 0.04, 16.27), point("Kidal", 1.4, 18.4),
                                       point("Niamey", 2.1, 13.5))})
    built = []
    monkeypatch.setattr(ogc_features, "shape", lambda raw: built.append(raw) or shape(raw))
    item = Collection("mentions", "mentions", indexed=False)
    found = list(select_features(store, FeatureCache(), item, bbox=(-1, 16, 2, 19)))
    assert [f.data["properties"]["name"] for f in found] == ["Gao", "Kidal"]
    # PostGIS answered exactly: the stored texts go out as they are, no geometry is built;
    # box columns give candidates, each tested on its geometry
    assert len(built) == (0 if store.postgis else 2)
