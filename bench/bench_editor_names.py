"""Benchmark the editor's name lookups: the web process's memory and each search's time.

Creates the app on a fresh SQLite file (one parse worker, as ``kharita
serve`` runs), asks ``GET /gazetteer/search`` once, then prints the process's
resident memory (VmRSS) before and after that first search and the p50/p95
time of :data:`QUERY_COUNT` searches (prefixes of names in Arabic, French and
English, through the WSGI app, no network); then the memory after an editor's
round: the document page, a mention's readings and a save of another reading.
The code measured is whatever ``PYTHONPATH`` puts first, so the same script
measures two checkouts::

    PYTHONPATH=. .venv/bin/python bench/bench_editor_names.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask

from tests.webapp.conftest import TEXT_EN, sample_result
from webapp import create_app
from webapp.store import get_store

NAMES = ["Tombouctou", "Timbuktu", "تمبكتو", "Kidal", "كيدال", "Ménaka", "ميناكا", "Gao",
         "غاو", "Nouakchott", "نواكشوط", "Niamey", "نيامي", "Bamako", "باماكو", "Tamanrasset",
         "تمنراست", "Agadez", "أغاديز", "Algérie", "الجزائر", "Mauritanie", "موريتانيا",
         "Tessalit", "Tillabéri", "Ouagadougou", "Azawad", "أزواد", "Sahara", "الصحراء",
         "Libya", "ليبيا", "Mopti", "Ségou", "Djibo", "In Guezzam", "عين قزام", "Tinzaouaten",
         "Burkina", "Western Sahara"]
QUERY_COUNT = 200


def rss_mb() -> float:
    """Resident memory of this process in MB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def queries() -> list[tuple[str, str]]:
    """Prefixes of 2 to 6 letters of each name, with the name's language."""
    out = []
    for name in NAMES:
        lang = "ar" if "\u0600" <= name[0] <= "\u06ff" else "fr"
        out += [(name[:n], lang) for n in range(2, 7)]
    return out[:QUERY_COUNT]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 1,
                          "DATABASE_URL": f"sqlite:///{Path(folder) / 'kharita.db'}"})
        client = app.test_client()
        before = rss_mb()
        started = time.perf_counter()
        assert client.get("/gazetteer/search?q=Gao&lang=fr").status_code == 200
        first = time.perf_counter() - started
        after = rss_mb()
        times = []
        for query, lang in queries():
            started = time.perf_counter()
            assert client.get("/gazetteer/search", query_string={"q": query, "lang": lang}
                              ).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        cuts = statistics.quantiles(times, n=100)
        print(f"RSS after create_app {before:.0f} MB, after the first search {after:.0f} MB "
              f"(first search {first:.2f} s), after {len(times)} more {rss_mb():.0f} MB")
        print(f"{len(times)} searches: p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms, "
              f"max {max(times):.2f} ms")
        edit_a_reading(app)
        print(f"RSS after the document page, a mention's readings and a saved reading "
              f"{rss_mb():.0f} MB")
        app.extensions["kharita.parser"].close()
        app.extensions["kharita.store"].close()


def edit_a_reading(app: Flask) -> None:
    """Open a document's editor, ask a mention's readings and save another one."""
    mentions, layers = sample_result()
    with app.app_context():
        doc = get_store().add_document(text=TEXT_EN, title="Report", lang="en",
                                       mentions=mentions, layers=layers)
    client = app.test_client()
    assert client.get(f"/documents/{doc.id}").status_code == 200
    readings = client.get(f"/api/v1/documents/{doc.id}/mentions/0/readings").get_json()
    tag = client.get(f"/api/v1/documents/{doc.id}").headers["ETag"]
    change = {"op": "reading", "mention": 0, "place": readings["readings"][1]["id"]}
    saved = client.post(f"/api/v1/documents/{doc.id}/corrections", json={"changes": [change]},
                        headers={"If-Match": tag})
    assert saved.status_code == 200, saved.get_json()


if __name__ == "__main__":
    main()
