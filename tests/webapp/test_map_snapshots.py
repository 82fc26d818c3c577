"""A map its feeds fill is merged by the feed worker after each run that adds reports and
saved, so the web server (another process, its caches cold) reads it instead of merging."""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.conftest import TEXT_EN
from tests.webapp.stored import collection, token_app
from tests.webapp.test_timeline_browser import event
from webapp.feeds import run_due
from webapp.models import MapSnapshotRow
from webapp.store import Store, get_store
from webapp.store.maps import MERGED_CACHE_FROM


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path)


def fill(app, tmp_path) -> tuple[str, str]:
    """A public map of MERGED_CACHE_FROM reports of one attack, followed by a folder feed
    holding one more report; return the map's and the feed's ids."""
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "report.txt").write_text(TEXT_EN, encoding="utf-8")
    with app.app_context():
        store = get_store()
        docs = [store.add_document(
            text=f"report {n}", title=f"Report {n}", lang="en", mentions=[],
            source_url=f"https://example.org/{n}", published=date(2024, 3, 1 + n % 3),
            layers={"attacks": collection(event("Menaka", 2.40, 15.92, "2024-03-01"))}).id
            for n in range(MERGED_CACHE_FROM)]
        map_id = store.create_map(title="Fed", document_ids=docs).id
        return map_id, store.follow(map_id, str(folder), every=3600).id


def snapshot_keys(app, map_id: str) -> dict[bool, str]:
    with app.app_context(), get_store().session() as session:
        rows = session.query(MapSnapshotRow).filter_by(map_id=map_id).all()
        return {row.private: row.key for row in rows}


def merges(monkeypatch) -> list[int]:
    """Count the merges of a map's documents (the real method still runs)."""
    calls: list[int] = []
    real = Store._collections

    def counted(self, doc_ids, layers, private):
        calls.append(len(doc_ids))
        return real(self, doc_ids, layers, private)

    monkeypatch.setattr(Store, "_collections", counted)
    return calls


def test_the_worker_saves_the_merged_map_and_a_fresh_server_reads_it(app, tmp_path,
                                                                     monkeypatch):
    map_id, _ = fill(app, tmp_path)
    with app.app_context():
        assert run_due(app) == 1
        record = get_store().get_map(map_id, private=True)
        assert len(record.document_ids) == MERGED_CACHE_FROM + 1  # the feed's report joined
        key = get_store().snapshot_key(record)
    assert snapshot_keys(app, map_id) == {True: key, False: key}  # a token: two kinds of caller

    served = token_app(tmp_path)  # another process: the web server, nothing in memory
    counted = merges(monkeypatch)
    client = served.test_client()
    data = client.get(f"/maps/{map_id}.geojson").json
    assert client.get(f"/maps/{map_id}").status_code == 200
    assert counted == []  # read, not merged
    [attack] = [f for f in data["features"] if f["properties"]["layer"] == "attacks"]
    assert len(attack["properties"]["sources"]) == MERGED_CACHE_FROM

    with served.app_context():  # what a merge gives now is what was saved
        store = get_store()
        record = store.get_map(map_id, private=False)
        assert store._collections(record.document_ids, None, False) == \
            store.map_layers(record, private=False)


def test_a_map_changed_since_its_snapshot_is_merged_again(app, tmp_path, monkeypatch):
    map_id, _ = fill(app, tmp_path)
    with app.app_context():
        run_due(app)
        store = get_store()
        store.delete_document(store.get_map(map_id, private=True).document_ids[0])
    served = token_app(tmp_path)
    counted = merges(monkeypatch)
    data = served.test_client().get(f"/maps/{map_id}.geojson").json
    [attack] = [f for f in data["features"] if f["properties"]["layer"] == "attacks"]
    assert counted and len(attack["properties"]["sources"]) == MERGED_CACHE_FROM - 1
