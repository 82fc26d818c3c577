"""The first visit of a map its feeds fill, after a feed adds a report.

Uses a store filled by ``bench/feed_map.py --store DIR``. Each run adds one report to the
map, as the feed worker does (a copy of one of its reports, so nothing is parsed), then
serves the map from a fresh web app (another process's caches: nothing in memory) and
times, through the Flask test client, the map page and the first data request it makes.

    .venv/bin/python bench/feed_update.py --store /tmp/feeds
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path


def add_report(app, map_id: str) -> None:
    """Add a copy of the map's last report under a new title, as a feed item would be."""
    from webapp.store import get_store
    from webapp.store.feeds import attach_document

    with app.app_context():
        store = get_store()
        record = store.get_map(map_id, private=True)
        last = store.get_document(record.document_ids[-1], private=True)
        layers = store.get_layers(last.id, private=True)
        copy = store.add_document(text=last.text + f"\n\n(update {time.time()})",
                                  title=f"Update {time.time():.0f}", lang=last.lang,
                                  mentions=[], layers=layers, published=last.published)
        with store.session.begin() as session:
            attach_document(session, map_id, copy.id)


def visit(app, map_id: str) -> dict[str, float]:
    """Seconds of a fresh server's map page and of the first data request it makes, wall
    clock and this process's CPU time (steadier on a shared machine)."""
    client = app.test_client()
    clock, cpu = time.perf_counter(), time.process_time()
    page = client.get(f"/maps/{map_id}").get_data(as_text=True)
    page_s, page_cpu = time.perf_counter() - clock, time.process_time() - cpu
    found = re.search(r'kharita\.loadLayers\([^,]+, "([^"]+)"', page)
    assert found, "no data address on the map page"
    clock, cpu = time.perf_counter(), time.process_time()
    client.get(found.group(1).replace("\\u0026", "&")).get_data()
    return {"page_s": round(page_s, 1), "page_cpu_s": round(page_cpu, 1),
            "data_s": round(time.perf_counter() - clock, 1),
            "data_cpu_s": round(time.process_time() - cpu, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a feed_map.py --store")
    args = parser.parse_args(argv)

    from webapp import create_app

    config = {"DATABASE_URL": f"sqlite:///{args.store / 'kharita.db'}", "DEMO_MAP": False,
              "PARSE_WORKERS": 0}
    map_id = (args.store / "map-id").read_text()
    add_report(create_app(config), map_id)
    print(json.dumps(visit(create_app(config), map_id), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
