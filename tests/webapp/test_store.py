"""The store contract the pages and the APIs rely on."""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from webapp.store import Store, UnknownDocumentError


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield store
    store.close()


def add(store, **extra):
    mentions, layers = sample_result()
    return store.add_document(text=TEXT_EN, title="T", lang="en", mentions=mentions,
                              layers=layers, **extra)


def test_document_round_trip(store):
    record = add(store, source_url="https://news.example/a", published=date(2024, 5, 1))
    again = store.get_document(record.id)
    assert again == record
    assert record.id.startswith("d") and len(record.id) == 11
    assert record.layer_counts == {"control_zones": 1, "mentions": 1}
    assert store.get_mentions(record.id)[0]["surface"] == "Kidal"
    assert store.count_documents() == 1
    assert store.list_documents() == [record]


def test_layers_carry_ids_and_document(store):
    record = add(store, published=date(2024, 5, 1))
    layers = store.get_layers(record.id)
    feature = layers["control_zones"]["features"][0]
    assert feature["id"] == f"{record.id}.control_zones.0"
    assert feature["properties"]["document"] == record.id
    assert feature["properties"]["published"] == "2024-05-01"
    assert layers["control_zones"]["bbox"] == [-4.0, 15.0, 4.0, 20.0]
    assert list(store.get_layers(record.id, ["mentions"])) == ["mentions"]


def test_own_map_created_in_same_transaction(store):
    record = add(store, map_title="Own")
    own = store.get_map(record.map_id)
    assert own.document_ids == (record.id,) and own.title == "Own"


def test_map_combines_documents_and_layers(store):
    a, b = add(store), add(store)
    record = store.create_map(title="Both", document_ids=[a.id, b.id, a.id],
                              layers=["control_zones"], view={"zoom": 5})
    assert record.document_ids == (a.id, b.id)
    merged = store.map_layers(record)
    assert list(merged) == ["control_zones"]
    assert len(merged["control_zones"]["features"]) == 2
    assert store.map_layers(record, ["mentions"]) == {}
    assert store.list_maps() == [record] and store.count_maps() == 1


def test_unknown_document_stores_nothing(store):
    with pytest.raises(UnknownDocumentError, match="nope"):
        store.create_map(title="X", document_ids=["nope"])
    assert store.count_maps() == 0


def test_features_across_documents(store):
    a, b = add(store), add(store)
    assert store.layer_ids() == ["control_zones", "mentions"]
    ids = [f["id"] for f in store.features("mentions")]
    assert ids == [f"{a.id}.mentions.0", f"{b.id}.mentions.0"]
    assert len(store.features("mentions", document_ids=[b.id])) == 1


def test_delete_document(store):
    record = add(store, map_title="Own")
    assert store.delete_document(record.id)
    assert store.get_document(record.id) is None
    assert store.get_map(record.map_id).document_ids == ()
    assert not store.delete_document(record.id)


def test_empty_layers_not_stored(store):
    record = store.add_document(text="x", title="x", lang="en", mentions=[],
                                layers={"mentions": {"type": "FeatureCollection", "features": []}})
    assert record.layer_counts == {} and store.get_layers(record.id) == {}
