"""The editor's name lookups answer from the SQLite name file as the in-memory index did.

The reference is the search as it ran before the name file: a binary search
over the sorted keys of the full :class:`geo.gazetteer.Gazetteer`, with its
entries and places. Both run on the real bundled gazetteer, and the web app is
checked to answer the editor without loading that index.
"""

from __future__ import annotations

import bisect
from contextlib import suppress
from itertools import takewhile

import pytest

from geo.gazetteer import Gazetteer, NameEntry, get_gazetteer
from geo.gazetteer.cache import fingerprint
from geo.gazetteer.namedb import NameDB, name_db_path
from geo.records import Place
from tests.webapp.conftest import TEXT_EN, sample_result
from webapp import create_app
from webapp.corrections import candidates, place_summary
from webapp.gazetteer_search import SCAN_KEYS, search
from webapp.parsing import GAZETTEER
from webapp.store import get_store

QUERIES = [
    # French
    ("Tombou", "fr"), ("Gao", "fr"), ("Kid", "fr"), ("Ménaka", "fr"), ("mena", "fr"),
    ("Algérie", "fr"), ("Tessalit", "fr"), ("Sa", "fr"), ("Le ", "fr"), ("Niger", "fr"),
    # English
    ("Timbuk", "en"), ("Nouakch", "en"), ("Mali", "en"), ("Al", "en"), ("Tamanr", "en"),
    ("Burkina", "en"), ("Western Sah", "en"), ("Z", "en"),
    # Arabic, with and without hamza, whole names and prefixes
    ("تمبك", "ar"), ("أزواد", "ar"), ("ازواد", "ar"), ("إفريقيا", "ar"), ("افريقيا", "ar"),
    ("الجزائر", "ar"), ("الج", "ar"), ("غا", "ar"), ("كيدال", "ar"), ("أغ", "ar"), ("اغ", "ar"),
    ("آ", "ar"), ("مالي", "ar"), ("نواكشوط", "ar"),
    # any language, and queries that find nothing
    ("Nouakch", None), ("Gao", None), ("تين", None), ("qqqxz", None), ("ـ", None),
    ("\ud7ff", None), ("\U0010ffff", None),
]
SURFACES = ["Gao", "Kidal", "Mali", "Niger", "Tombouctou", "Timbuktu", "وبغاو", "والجزائر",
            "كيدال", "بمالي", "Sahara", "Menaka", "Ménaka", "Nowhere-at-all"]


class InMemory:
    """The full gazetteer as the name search read it before the name file existed."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.keys = sorted(gazetteer.keys())

    def keys_under(self, prefix: str, limit: int) -> list[tuple[str, tuple[NameEntry, ...]]]:
        at = bisect.bisect_left(self.keys, prefix)
        keys = takewhile(lambda key: key.startswith(prefix), self.keys[at:at + limit])
        return [(key, self.gazetteer.lookup(key)) for key in keys]

    def lookup(self, key: str) -> tuple[NameEntry, ...]:
        return self.gazetteer.lookup(key)

    def places(self, place_ids: list[str]) -> dict[str, Place]:
        out = {}
        for place_id in place_ids:
            with suppress(KeyError):
                out[place_id] = self.gazetteer.place(place_id)
        return out

    def sizes(self, place_ids: list[str]) -> dict[str, tuple[str, int | None]]:
        return {pid: (p.type, p.population) for pid, p in self.places(place_ids).items()}


@pytest.fixture(scope="module")
def full() -> InMemory:
    return InMemory(get_gazetteer())


@pytest.fixture(scope="module")
def names():
    """The name file ``kharita index`` writes into the gazetteer cache."""
    db = NameDB.open(gazetteer=get_gazetteer())
    yield db
    db.close()


@pytest.mark.parametrize(("query", "lang"), QUERIES)
def test_search_answers_as_the_in_memory_index(full, names, query, lang):
    assert search(names, query, lang) == search(full, query, lang)


def test_hamza_spellings_find_the_same_places(names):
    for with_hamza, without in (("أزواد", "ازواد"), ("إفريقيا", "افريقيا"), ("أغ", "اغ")):
        found = search(names, with_hamza, "ar")
        assert found, with_hamza
        assert found == search(names, without, "ar")


def test_a_prefix_scan_reads_keys_in_code_point_order(full, names):
    for prefix in ("", "a", "ga", "ال", "تم", "zz", "\u0600", "\U0010ffff", "\ud7ff", "tombouctou"):
        assert names.keys_under(prefix, SCAN_KEYS) == full.keys_under(prefix, SCAN_KEYS)
    assert len(names.keys_under("a", SCAN_KEYS)) == SCAN_KEYS


@pytest.mark.parametrize("surface", SURFACES)
def test_readings_answer_as_the_in_memory_index(full, names, surface):
    mention = {"surface": surface, "place": {"id": "gn:2457161"}}
    assert candidates(mention, names) == candidates(mention, full.gazetteer)


def test_entries_and_places_are_those_of_the_index(full, names):
    sample = full.keys[::2000]
    assert len(sample) > 100
    for key in sample:
        assert names.lookup(key) == full.lookup(key), key
        for entry in names.lookup(key):
            if entry.place_id:
                new, old = names.place(entry.place_id), full.gazetteer.place(entry.place_id)
                assert place_summary(new) == place_summary(old)
                assert new.bbox == old.bbox
    assert names.lookup("no such key at all") == ()
    with pytest.raises(KeyError):
        names.place("gn:0")


def test_the_editor_answers_without_loading_the_index(app, client):
    """The document page's editor, its readings and the name search use the name file only."""
    mentions, layers = sample_result()
    with app.app_context():
        doc = get_store().add_document(text=TEXT_EN, title="Report", lang="en",
                                       mentions=mentions, layers=layers)
    page = client.get(f"/documents/{doc.id}")
    assert page.status_code == 200
    assert "gn:2455290" in page.get_data(as_text=True)  # Kidal offered as a reading
    readings = client.get(f"/api/v1/documents/{doc.id}/mentions/0/readings").get_json()
    assert readings["readings"][0]["id"] == "gn:2455290"
    found = client.get("/gazetteer/search?q=كيد&lang=ar").get_json()["places"]
    assert any(p["id"] == "gn:2455290" for p in found)
    assert app.extensions[GAZETTEER].value is None


@pytest.fixture
def worker_app(tmp_path):
    """An app that parses (and rebuilds corrected documents) on one worker process."""
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 1,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.db'}"})
    yield app
    app.extensions["kharita.parser"].close()
    app.extensions["kharita.store"].close()


def test_a_new_reading_is_applied_on_a_worker_not_in_the_web_process(worker_app):
    client = worker_app.test_client()
    mentions, layers = sample_result()
    with worker_app.app_context():
        doc = get_store().add_document(text=TEXT_EN, title="Report", lang="en",
                                       mentions=mentions, layers=layers)
    readings = client.get(f"/api/v1/documents/{doc.id}/mentions/0/readings").get_json()
    other = next(r for r in readings["readings"] if r["id"] != "gn:2455290")
    tag = client.get(f"/api/v1/documents/{doc.id}").headers["ETag"]
    bad = client.post(f"/api/v1/documents/{doc.id}/corrections", headers={"If-Match": tag},
                      json={"changes": [{"op": "reading", "mention": 0, "place": "gn:0"}]})
    assert bad.status_code == 400
    assert "no place 'gn:0'" in bad.get_json()["error"]
    saved = client.post(f"/api/v1/documents/{doc.id}/corrections", headers={"If-Match": tag},
                        json={"changes": [{"op": "reading", "mention": 0, "place": other["id"]}]})
    assert saved.status_code == 200, saved.get_json()
    body = client.get(f"/api/v1/documents/{doc.id}").get_json()["document"]
    kidal = next(m for m in body["mentions"] if m["surface"] == "Kidal")
    assert kidal["place"]["id"] == other["id"]
    assert kidal["review"] == "corrected"
    drawn = client.get(f"/documents/{doc.id}.geojson").get_json()["features"]
    assert any(f["properties"]["name"] == other["name"] for f in drawn)
    assert worker_app.extensions[GAZETTEER].value is None


def test_a_correction_past_the_time_limit_says_so_and_saves_nothing(tmp_path):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 1,
                      "PARSE_TIMEOUT": 0.001,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.db'}"})
    try:
        client = app.test_client()
        mentions, layers = sample_result()
        with app.app_context():
            doc = get_store().add_document(text=TEXT_EN, title="Report", lang="en",
                                           mentions=mentions, layers=layers)
        tag = client.get(f"/api/v1/documents/{doc.id}").headers["ETag"]
        answer = client.post(f"/api/v1/documents/{doc.id}/corrections",
                             headers={"If-Match": tag},
                             json={"changes": [{"op": "not_place", "mention": 0}]})
        assert answer.status_code == 422
        assert "nothing was saved" in answer.get_json()["error"]
        assert client.get(f"/api/v1/documents/{doc.id}").headers["ETag"] == tag
    finally:
        app.extensions["kharita.parser"].close()
        app.extensions["kharita.store"].close()


def test_a_broken_name_file_answers_503_with_what_to_do(app, client, tmp_path, monkeypatch):
    broken = tmp_path / "cache"
    broken.mkdir()
    monkeypatch.setenv("KHARITA_CACHE_DIR", str(broken))
    name_db_path(broken, fingerprint()).write_bytes(b"garbage" * 100)
    answer = client.get("/gazetteer/search?q=Gao")
    assert answer.status_code == 503
    assert "kharita index --rebuild" in answer.get_data(as_text=True)
    assert app.extensions[GAZETTEER].value is None
