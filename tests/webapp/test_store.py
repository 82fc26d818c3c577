"""The store contract the pages and the APIs rely on."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from webapp.store import Store, UnknownDocumentError, UnstorableTextError


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
    assert re.fullmatch(rf"{record.id}\.control_zones\.[0-9a-f]{{10}}", feature["id"])
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
    # the same zone told by both documents is one feature with both as its sources (geo.merge)
    [zone] = merged["control_zones"]["features"]
    assert [s["document"] for s in zone["properties"]["sources"]] == [a.id, b.id]
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
    # one content in two documents: one key, each under its own document
    assert [i.partition(".")[0] for i in ids] == [a.id, b.id]
    assert ids[0].partition(".")[2] == ids[1].partition(".")[2]
    assert len(store.features("mentions", document_ids=[b.id])) == 1


def test_document_sources_name_visible_documents(store):
    public = store.add_document(text="a", title="Open", lang="en", mentions=[], layers={},
                                source_url="https://example.org/open")
    private = store.add_document(text="b", title="Closed", lang="en", mentions=[], layers={},
                                 public=False)
    ids = [public.id, private.id, "dunknown", "d\x00"]
    assert {d: (s.title, s.source_url) for d, s in store.document_sources(ids).items()} == {
        public.id: ("Open", "https://example.org/open")}
    assert set(store.document_sources(ids, private=True)) == {public.id, private.id}
    assert store.document_sources([]) == {}


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


def test_nul_characters_behave_alike_on_every_backend(store):
    """PostgreSQL cannot store U+0000: writes refuse it by name, lookups find nothing."""
    with pytest.raises(UnstorableTextError, match="title: contains a NUL"):
        store.add_document(text="x", title="T\x00", lang="en", mentions=[], layers={})
    doc = add(store)
    with pytest.raises(UnstorableTextError, match="description"):
        store.create_map(title="M", document_ids=[doc.id], description="\x00")
    with pytest.raises(UnknownDocumentError):
        store.create_map(title="M", document_ids=[doc.id, "d\x00"])
    assert store.get_document("d\x00") is None and store.get_map("m\x00") is None
    assert store.get_mentions("d\x00") == [] and store.get_layers("d\x00") == {}
    assert store.features("mentions\x00") == [] and not store.delete_document("d\x00")
    assert store.count_documents() == 1 and store.count_maps() == 0


@pytest.mark.postgres
def test_workers_starting_together_create_the_schema_once(postgres_url):
    with ThreadPoolExecutor(6) as pool:
        stores = list(pool.map(lambda _: Store(postgres_url), range(6)))
    assert all(s.count_documents() == 0 for s in stores)
    for s in stores:
        s.close()


def test_features_take_the_publication_date(tmp_path) -> None:
    """A stored document's frame features are dated by the text or, failing that,
    by the publication date given with it."""
    from datetime import date

    from webapp import create_app
    from webapp.ingest import Submission, ingest

    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"})
    text = ("Armed groups seized Kidal. On 3 April 2012 they took control of Timbuktu "
            "in northern Mali.")
    with app.app_context():
        record = ingest(app.extensions["kharita.store"],
                        Submission(text=text, published=date(2012, 4, 6)))
        layers = app.extensions["kharita.store"].get_layers(record.id)
    dates = {(f["properties"].get("date"), f["properties"].get("date_source"))
             for f in layers["control_zones"]["features"]}
    assert dates <= {("2012-04-06", "published"), ("2012-04-03", "text")}
    assert dates, "no control zone"
    app.extensions["kharita.store"].close()


def test_an_older_database_gets_the_new_columns(tmp_path):
    """A store made before documents had ``public`` opens, and its documents stay public."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE documents (id VARCHAR(32) PRIMARY KEY, title VARCHAR(500), text TEXT,"
            " source_url VARCHAR(2000), published DATE, lang VARCHAR(8), mentions TEXT,"
            " created DATETIME, map_id VARCHAR(32));"
            "INSERT INTO documents VALUES ('dold', 'Old', 'Gao', NULL, NULL, 'en', '[]',"
            " '2024-01-01 00:00:00', NULL);"
        )
    store = Store(f"sqlite:///{path}")
    try:
        old = store.get_document("dold")
        assert old is not None and old.public and old.title == "Old"
    finally:
        store.close()


def test_two_processes_creating_the_schema_at_once_both_start(tmp_path):
    """`make run` starts the server and the feed worker together on a new SQLite file: all
    of them must come up, whichever creates the tables."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'race.db'}"
    code = ("import sys; from webapp.store import Store; s = Store(sys.argv[1]); "
            "print(s.count_documents())")
    starts = [subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.communicate(timeout=120), p.returncode) for p in starts]
    assert all(code == 0 and out.strip() == "0" for (out, _), code in results), results


def test_a_starting_process_waits_for_the_one_creating_the_schema(tmp_path):
    """The schema is made by one process at a time: a second one waits on the lock file
    instead of racing for the same tables."""
    import subprocess
    import sys

    from sqlalchemy import create_engine

    from webapp.store import schema_lock

    url = f"sqlite:///{tmp_path / 'turns.db'}"
    code = ("import sys; from webapp.store import Store; s = Store(sys.argv[1]); "
            "print(s.count_documents())")
    engine = create_engine(url)
    with schema_lock(engine):
        waiting = subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=8)
    out, err = waiting.communicate(timeout=120)
    assert (waiting.returncode, out.strip()) == (0, "0"), err
    assert (tmp_path / "turns.db.lock").exists()


def test_a_lost_race_for_a_table_is_retried(tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import webapp.store

    real, calls = webapp.store.create_schema, []

    def racing(connection):
        calls.append(1)
        if len(calls) == 1:  # another process made the table between our look and our create
            raise OperationalError("CREATE TABLE documents", {}, Exception(
                "table documents already exists"))
        return real(connection)

    monkeypatch.setattr(webapp.store, "create_schema", racing)
    store = Store(f"sqlite:///{tmp_path / 'raced.db'}")
    assert store.count_documents() == 0 and len(calls) == 2
    store.close()
