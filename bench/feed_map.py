"""Weight and first paint of a map fed by many feeds (10 feeds, 10,000 reports by default).

A pool of distinct reports from the development corpora (English, French and Arabic,
``{"id", "text", "lang"?}`` lines) goes through the real pipeline once; the reports are
then written into a throwaway SQLite store, cycling the pool (each copy marked with its
feed and item, published on its own day over ``--days``), as the feed worker writes them:
one document per item, each feed's items recorded against it, every document on the one
map the feeds follow. Nothing is fetched: the feeds are folders that are never read.

The map is then served by waitress on 127.0.0.1 and measured as ``bench/map_weight.py``
does: HTML and map data as sent (gzip) and plain, the time of the first request of the
map data (the server merges every report's features into events), and the first map
paint in Chromium (cold cache, median of ``--runs``).

    .venv/bin/python bench/feed_map.py                        # 10 feeds, 10,000 reports
    .venv/bin/python bench/feed_map.py --reports 2000 --pool 100 --json
    .venv/bin/python bench/feed_map.py --store /tmp/feeds   # fill once, then measure again

With ``--store``, the store is kept in that folder and a later run with the same
folder measures it again without parsing and filling (the other sizes are ignored).

Cycling a pool repeats events, which the map merges as it merges real reports of the
same events; the pool size sets how many distinct events the map can have.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from map_weight import CHROMIUM, SHARED, first_paint, weigh

CORPORA = ("lgl.jsonl", "tr_news.jsonl", "hipe2020_fr.jsonl", "idrisi_d_ar.jsonl",
           "anercorp_train.jsonl")


def pool_texts(folder: Path, size: int) -> list[tuple[str, str | None]]:
    """``size`` (text, lang) pairs taken in turn from each corpus, longest texts first
    within each (tweets and single sentences rarely describe an event)."""
    corpora = []
    for name in CORPORA:
        path = folder / name
        if path.exists():
            with open(path, encoding="utf-8") as lines:
                rows = [json.loads(line) for line in lines]
            rows.sort(key=lambda row: len(row["text"]), reverse=True)
            corpora.append([(row["text"], row.get("lang")) for row in rows])
    if not corpora:
        sys.exit(f"no corpus under {folder}")
    texts = [corpus[i] for i in range(max(map(len, corpora))) for corpus in corpora
             if i < len(corpus)]
    return texts[:size]


def parse(item: tuple[str, str | None]):
    """Geoparse one text (in a worker process)."""
    from webapp.parsing import ParseRequest, parse_text

    text, lang = item
    return text, parse_text(ParseRequest(text=text, lang=lang))


def fill(app, parsed: list, *, feeds: int, reports: int, days: int, folder: Path) -> str:
    """Store ``reports`` documents from ``parsed`` on one map followed by ``feeds`` feeds."""
    from webapp.store import get_store

    start = date.today() - timedelta(days=days)
    with app.app_context():
        store = get_store()
        stored: list[tuple[int, str, str]] = []
        for n in range(reports):
            text, result = parsed[n % len(parsed)]
            feed = n % feeds
            text = f"{text}\n\n(feed {feed + 1}, item {n // feeds + 1})"  # offsets unchanged
            record = store.add_document(
                text=text, title=f"Feed {feed + 1} · report {n // feeds + 1}", lang=result.lang,
                mentions=result.mentions, layers=result.layers,
                published=start + timedelta(days=n * days // reports))
            stored.append((feed, record.id, hashlib.sha256(text.encode()).hexdigest()))
        target = store.create_map(title=f"{feeds} feeds, {reports} reports",
                                  document_ids=[doc for _, doc, _ in stored])
        followed = []
        for k in range(feeds):
            source = folder / f"feed-{k + 1}"
            source.mkdir()
            followed.append(store.follow(target.id, str(source), every=3600))
        for n, (feed, doc, digest) in enumerate(stored):  # attached above, all at once
            store.record_item(followed[feed].id, f"item-{n}", status="stored", digest=digest,
                              document_id=doc)
    return target.id


def first_data_request(base: str, html_path: str) -> tuple[float, dict[str, int]]:
    """Seconds of the first request of the map data the page loads (nothing cached yet),
    and how many features each layer has there."""
    import re

    html = urllib.request.urlopen(base + html_path).read()
    found = re.search(rb'kharita\.loadLayers\([^,]+, "([^"]+)"', html)
    if not found:
        return 0.0, {}
    started = time.perf_counter()
    url = base + found.group(1).decode().replace("\\u0026", "&")
    data = json.loads(urllib.request.urlopen(url).read())
    seconds = time.perf_counter() - started
    layers: dict[str, int] = {}
    for feature in data["features"]:
        layer = feature["properties"].get("layer", "")
        layers[layer] = layers.get(layer, 0) + 1
    return seconds, layers


def build(app, args: argparse.Namespace, folder: Path, results: dict) -> str:
    """Parse the pool and fill the store in ``folder``; return the map's id."""
    began = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as workers:
        parsed = [(text, result) for text, result in
                  workers.map(parse, pool_texts(args.corpora, args.pool), chunksize=4)
                  if result.layers]
    results.update({"distinct reports with features": len(parsed),
                    "parse_s": round(time.perf_counter() - began, 1)})
    began = time.perf_counter()
    map_id = fill(app, parsed, feeds=args.feeds, reports=args.reports, days=args.days,
                  folder=folder)
    results["store_s"] = round(time.perf_counter() - began, 1)
    return map_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=SHARED / "eval")
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=200, help="distinct reports parsed")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--store", type=Path, help="keep (or reuse) the filled store here")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from webapp import create_app

    folder = args.store or Path(tempfile.mkdtemp(prefix="kharita-feeds-"))
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}", "DEMO_MAP": False,
                      "PARSE_WORKERS": 0})
    results: dict = {"reports": args.reports, "feeds": args.feeds}
    kept = folder / "map-id"
    if kept.exists():
        map_id = kept.read_text()
        results["reused"] = str(folder)
    else:
        map_id = build(app, args, folder, results)
        kept.write_text(map_id)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    seconds, layers = first_data_request(base, f"/maps/{map_id}")
    results.update(first_data_request_s=round(seconds, 2), features=layers)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox"])
        for kind, path in (("map page", f"/maps/{map_id}"), ("embed", f"/embed/{map_id}")):
            row = weigh(base, path)
            row["first_paint_ms"] = round(first_paint(browser, base + path, args.runs,
                                                      timeout_ms=600_000))
            results[kind] = row
        browser.close()
    server.close()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for key, value in results.items():
        if isinstance(value, dict) and "html" in value:
            print(f"{key:10} HTML {value['html_gzip'] / 1024:7.1f}K gz, data "
                  f"{value['data_gzip'] / 1024:8.1f}K gz ({value['data'] / 1024:9.1f}K plain), "
                  f"first paint {value['first_paint_ms']} ms")
        else:
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
