"""Map page and embed weight (HTML + map data, gzip) and first map paint, in real Chromium.

Two maps are measured: the seed article's own map, and one map over the first N
documents of a corpus (``{"id", "text", "lang"?}`` lines; 50 by default). Both go
through the real pipeline into a throwaway SQLite store, served by waitress on
127.0.0.1. For each page:

* **weight**: the HTML and the GeoJSON the map loads, as sent with
  ``Accept-Encoding: gzip`` (the server's own compression), and uncompressed;
  Leaflet, the scripts and the basemap are shared, cacheable files, reported apart;
* **first map paint**: the ``kharita:first-map-paint`` mark (the map is ready and its
  layers are drawn, two frames later), in a fresh browser context each time (cold
  cache), median of ``--runs``.

    .venv/bin/python bench/map_weight.py                      # seed + 50 lgl documents
    .venv/bin/python bench/map_weight.py --documents 20 --corpus ../shared/eval/tr_news.jsonl

Prints a table and, with ``--json``, one JSON object.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PAINT = "kharita:first-map-paint"
CHROMIUM = os.environ.get("KHARITA_CHROMIUM", "/usr/bin/chromium")


def fetch(url: str, *, compressed: bool) -> tuple[bytes, dict[str, str]]:
    """GET ``url``; return the body as sent (gzip bytes when the server compressed it)."""
    headers = {"Accept-Encoding": "gzip"} if compressed else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.read(), dict(response.headers)


def weigh(base: str, path: str) -> dict[str, int]:
    """Bytes of a page's HTML and of the GeoJSON its map loads, gzip and plain."""
    sent, headers = fetch(base + path, compressed=True)
    html = gzip.decompress(sent) if headers.get("Content-Encoding") == "gzip" else sent
    data_url = re.search(rb'kharita\.loadLayers\([^,]+, "([^"]+)"', html)
    out = {"html_gzip": len(sent), "html": len(html), "data_gzip": 0, "data": 0}
    if data_url:
        url = base + data_url.group(1).decode().replace("\\u0026", "&")
        data_sent, data_headers = fetch(url, compressed=True)
        plain = (gzip.decompress(data_sent) if data_headers.get("Content-Encoding") == "gzip"
                 else data_sent)
        out.update(data_gzip=len(data_sent), data=len(plain))
    out["total_gzip"] = out["html_gzip"] + out["data_gzip"]
    return out


def first_paint(browser, url: str, runs: int, *, timeout_ms: int = 60_000) -> float:
    """Median ms from navigation to the first-map-paint mark, cold cache each run."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(url, timeout=timeout_ms)
            page.wait_for_function(f"() => performance.getEntriesByName('{PAINT}').length > 0",
                                   timeout=timeout_ms)
            times.append(page.evaluate(f"performance.getEntriesByName('{PAINT}')[0].startTime"))
        finally:
            context.close()
    return statistics.median(times)


def shared_assets(base: str, html: bytes) -> int:
    """Gzip bytes of the scripts and stylesheets a map page loads (cacheable, shared)."""
    total = 0
    for src in set(re.findall(rb'(?:src|href)="(/(?:assets|static)/[^"]+\.(?:js|css))"', html)):
        total += len(fetch(base + src.decode(), compressed=True)[0])
    return total


def corpus_texts(path: Path, count: int) -> list[tuple[str, str | None]]:
    """The first ``count`` (text, lang) pairs of a JSONL corpus."""
    texts: list[tuple[str, str | None]] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if len(texts) == count:
                break
            obj = json.loads(line)
            texts.append((obj["text"], obj.get("lang")))
    return texts


def build(app, seed: str, texts: list[tuple[str, str | None]]) -> dict[str, str]:
    """Store the seed and the corpus documents; return the two map ids."""
    from webapp.ingest import Submission, ingest
    from webapp.store import get_store

    with app.app_context():
        store = get_store()
        seed_map = ingest(store, Submission(text=seed, title="Seed")).map_id
        assert seed_map is not None, "a document is stored with its own map"
        ids = [ingest(store, Submission(text=text, title=f"Document {i + 1}", lang=lang)).id
               for i, (text, lang) in enumerate(texts)]
        many = store.create_map(title=f"{len(ids)} documents", document_ids=ids).id
    return {"seed": seed_map, f"{len(texts)} documents": many}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "eval" / "lgl.jsonl")
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        sys.exit(f"no seed article under {SHARED / 'seeds'}")

    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from webapp import create_app

    folder = Path(tempfile.mkdtemp(prefix="kharita-weight-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}", "DEMO_MAP": False,
                      "PARSE_WORKERS": 0})
    maps = build(app, seeds[0].read_text(encoding="utf-8"),
                 corpus_texts(args.corpus, args.documents))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a busy queue is expected
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox"])
        for name, map_id in maps.items():
            for kind, path in (("map page", f"/maps/{map_id}"), ("embed", f"/embed/{map_id}")):
                row = weigh(base, path)
                row["first_paint_ms"] = round(first_paint(browser, base + path, args.runs))
                results[f"{name} · {kind}"] = row
        html = fetch(base + f"/maps/{maps['seed']}", compressed=False)[0]
        results["shared scripts and styles (cached)"] = {"total_gzip": shared_assets(base, html)}
        browser.close()
    server.close()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'':44} {'HTML gz':>9} {'data gz':>9} {'total gz':>9} {'(plain)':>10} {'paint':>7}")
    for name, row in results.items():
        if "html" not in row:
            print(f"{name:44} {'':>9} {'':>9} {row['total_gzip'] / 1024:8.1f}K")
            continue
        plain = (row["html"] + row["data"]) / 1024
        print(f"{name:44} {row['html_gzip'] / 1024:8.1f}K {row['data_gzip'] / 1024:8.1f}K "
              f"{row['total_gzip'] / 1024:8.1f}K {plain:9.1f}K {row['first_paint_ms']:5d}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
