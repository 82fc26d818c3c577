"""Benchmark: saving corrections of the seed article, and the document page's weight with the
editor.

Usage::

    .venv/bin/python bench/bench_corrections.py [TEXT_FILE] [--repeat N]

Without a file it reads the first seed article in ``../shared/seeds``. The article is
stored through the real pipeline in a throwaway SQLite store; then, through the JSON
API (Flask test client, so no network time):

* a mention correction (another reading), which rebuilds every layer of the
  document through the pipeline and saves the revision, median of ``--repeat``;
* a feature correction (verify, note), which saves a revision without a rebuild;
* the document page as an editor sees it: its HTML, and the scripts, styles and
  GeoJSON it loads (raw and gzip bytes).
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import create_app  # noqa: E402
from webapp.ingest import Submission, ingest  # noqa: E402
from webapp.store import get_store  # noqa: E402


def timed_save(client, doc_id: str, change: dict) -> float:
    """Seconds to save one correction (reading the ETag first, as a client does)."""
    tag = client.get(f"/api/v1/documents/{doc_id}").headers["ETag"]
    started = time.perf_counter()
    answer = client.post(f"/api/v1/documents/{doc_id}/corrections",
                         json={"changes": [change]}, headers={"If-Match": tag})
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"save failed: {answer.status_code} {answer.get_json()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = args.text or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                          "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"})
        with app.app_context():
            doc = ingest(get_store(), Submission(text=text, title=path.stem))
        client = app.test_client()
        mentions = client.get(f"/api/v1/documents/{doc.id}").get_json()["document"]["mentions"]
        index = next(i for i, m in enumerate(mentions) if m.get("place"))
        readings = client.get(
            f"/api/v1/documents/{doc.id}/mentions/{index}/readings").get_json()["readings"]
        places = [r["id"] for r in readings] or [mentions[index]["place"]["id"]]
        rebuild = [timed_save(client, doc.id, {"op": "reading", "mention": index,
                                               "place": places[n % len(places)]})
                   for n in range(args.repeat + 1)][1:]  # the first warms the caches
        feature = client.get(f"/documents/{doc.id}.geojson").get_json()["features"][0]["id"]
        plain = [timed_save(client, doc.id, {"op": "feature", "id": feature, "action": "verify",
                                             "note": f"checked {n}"})
                 for n in range(args.repeat)]
        print(f"{path.name}: {len(text)} characters, {len(mentions)} mentions")
        print(f"reading + rebuild + save: median {statistics.median(rebuild) * 1000:.0f} ms "
              f"(min {min(rebuild) * 1000:.0f}, max {max(rebuild) * 1000:.0f})")
        print(f"feature save (no rebuild): median {statistics.median(plain) * 1000:.0f} ms")
        page = client.get(f"/documents/{doc.id}")
        html = page.get_data()
        assets = re.findall(rb'(?:src|href)="(/(?:static|assets)/[^"]+)"', html)
        weights = {"page HTML": html}
        for url in dict.fromkeys(a.decode() for a in assets):
            weights[url] = client.get(url).get_data()
        weights["layers GeoJSON"] = client.get(f"/documents/{doc.id}.geojson").get_data()
        total = sum(len(body) for body in weights.values())
        total_gz = sum(len(gzip.compress(body)) for body in weights.values())
        for name, body in weights.items():
            print(f"  {name}: {len(body) / 1024:.0f} KiB ({len(gzip.compress(body)) / 1024:.0f}"
                  " KiB gzip)")
        print(f"document page with the editor: {total / 1024:.0f} KiB "
              f"({total_gz / 1024:.0f} KiB gzip), basemap data loaded on demand not counted")


if __name__ == "__main__":
    main()
