"""Benchmark OGC ``items?bbox=`` on a million features in PostGIS.

Starts a throwaway PostgreSQL cluster (the test suite's, with PostGIS), loads
``--features`` point and square features of the ``mentions`` layer spread over
``--documents`` documents in the Sahel (COPY, rows built by the store's own
:mod:`webapp.store.spatial` functions, indexes built after the load), then asks
small random bboxes from ``--threads`` concurrent clients, three ways:

* ``http``: ``GET /ogc/collections/mentions/items?bbox=...`` through a real
  server, one keep-alive connection per client thread: gunicorn (``--server
  gunicorn``, the default, with the project's ``gunicorn.conf.py``: ``--workers``
  processes of ``--server-threads`` threads each, how a production install on
  PostgreSQL runs, README "Serving many readers")
  or waitress (``--server waitress``: one process of ``--threads`` threads, what
  ``kharita serve`` runs);
* ``query``: the database query alone (:meth:`webapp.store.Store.features_in_bbox`);
* ``store``: what that view runs, without HTTP
  (:func:`webapp.ogc.features.select_features`, then the layer's existence when
  nothing matched), from client threads in this process.

Prints p50/p95/p99 latency in milliseconds (target: p99 < 50 ms) and the mean
number of features a box matched, and the load average before and after each way
(the machine is shared). Needs Debian's ``postgresql`` and
``postgresql-15-postgis-3`` (``scripts/system-deps.sh``), and gunicorn (the
``server`` extra) for the default server.

Usage::

    .venv/bin/python bench/bench_postgis.py [--features 1000000] [--documents 1000]
        [--requests 2000] [--threads 8] [--server gunicorn|waitress] [--workers 2]
        [--server-threads 4]
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text as sql_text

from tests.webapp.conftest import PostgresCluster, free_port, postgres_bindir
from webapp.models import DocumentRow
from webapp.ogc.features import Collection, FeatureCache, select_features
from webapp.store import Store
from webapp.store.spatial import bbox_query, feature_rows, served_features

ROOT = Path(__file__).resolve().parent.parent
LAYER = "mentions"
REGION = (-17.0, 5.0, 24.0, 27.0)  # lon/lat box the features are spread over (the Sahel)
SIDES = (0.05, 0.2)  # degrees: the sides of the query boxes
SQUARE = 0.02  # degrees: the side of each square feature
LOAD_BATCH = 20  # documents per COPY


def random_features(rng: random.Random, count: int, start: int) -> list[dict]:
    """``count`` features, nine points to one small square, inside :data:`REGION`."""
    minx, miny, maxx, maxy = REGION
    out = []
    for k in range(count):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        geometry: dict = {"type": "Point", "coordinates": [x, y]}
        if k % 10 == 9:
            ring = [[x, y], [x + SQUARE, y], [x + SQUARE, y + SQUARE], [x, y + SQUARE], [x, y]]
            geometry = {"type": "Polygon", "coordinates": [ring]}
        out.append({"type": "Feature", "geometry": geometry,
                    "properties": {"layer": LAYER, "name": f"place {start + k}",
                                   "confidence": 0.9, "precision": 1}})
    return out


def copy_rows(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY ``rows`` into ``table`` (psycopg 3)."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(store: Store, *, features: int, documents: int, seed: int = 16) -> None:
    """Bulk-load ``features`` features over ``documents`` public documents (COPY, batched)."""
    rng = random.Random(seed)
    per = features // documents
    start = datetime(2026, 1, 1)
    with store.engine.begin() as connection:  # indexes built once, after the load
        connection.execute(sql_text("DROP INDEX IF EXISTS ix_features_geom"))
        connection.execute(sql_text("DROP INDEX IF EXISTS ix_features_layer_box"))
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for first in range(0, documents, LOAD_BATCH):
            docs, layers, rows = [], [], []
            for d in range(first, min(first + LOAD_BATCH, documents)):
                document = DocumentRow(id=f"d{d:010x}", created=start + timedelta(seconds=d),
                                       published=None)
                collection = {"type": "FeatureCollection",
                              "features": random_features(rng, per, d * per)}
                served = served_features(document, LAYER, collection)
                collection["bbox"] = bounds(served)
                docs.append((document.id, f"Report {d}", "x", None, "en", "[]", document.created,
                             True, 0))
                layers.append((document.id, LAYER, json.dumps(collection), per,
                               json.dumps(collection["bbox"])))
                rows += [(r["document_id"], r["layer"], r["n"], r["data"], r["minx"], r["miny"],
                          r["maxx"], r["maxy"], r["wkb"])
                         for r in feature_rows(document.id, LAYER, served)]
            copy_rows(cursor, "documents", ("id", "title", "text", "source_url", "lang",
                                            "mentions", "created", "public", "revision"), docs)
            copy_rows(cursor, "layers", ("document_id", "layer", "geojson", "count", "bbox"),
                      layers)
            copy_rows(cursor, "features", ("document_id", "layer", "n", "data", "minx", "miny",
                                           "maxx", "maxy", "geom"), rows)
            raw.commit()
        for statement in ("CREATE INDEX ix_features_geom ON features USING gist (geom)",
                          "CREATE INDEX ix_features_layer_box ON features (layer, minx, maxx)",
                          "ANALYZE"):
            cursor.execute(statement)
        raw.commit()
    finally:
        raw.close()


def bounds(features: list[dict]) -> list[float]:
    """The bbox of a layer's features (points and squares), as geo.layers writes it."""
    xs, ys = [], []
    for feature in features:
        coordinates = feature["geometry"]["coordinates"]
        points = coordinates[0] if feature["geometry"]["type"] == "Polygon" else [coordinates]
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
    return [min(xs), min(ys), max(xs), max(ys)]


def random_boxes(rng: random.Random, count: int) -> list[tuple[float, float, float, float]]:
    """``count`` query boxes with sides in :data:`SIDES`, inside :data:`REGION`."""
    minx, miny, maxx, maxy = REGION
    out = []
    for _ in range(count):
        side = rng.uniform(*SIDES)
        x, y = rng.uniform(minx, maxx - side), rng.uniform(miny, maxy - side)
        out.append((round(x, 4), round(y, 4), round(x + side, 4), round(y + side, 4)))
    return out


def run_clients(ask: Callable[[tuple], int], boxes: list[tuple], threads: int
                ) -> tuple[list[float], list[int]]:
    """Ask every box from ``threads`` threads; return latencies (ms) and matched counts."""
    chunks = [boxes[k::threads] for k in range(threads)]
    latencies: list[float] = []
    matched: list[int] = []
    lock = threading.Lock()

    def client(chunk: list[tuple]) -> None:
        mine, counts = [], []
        for bbox in chunk:
            began = time.perf_counter()
            counts.append(ask(bbox))
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)
            matched.extend(counts)

    workers = [threading.Thread(target=client, args=(chunk,)) for chunk in chunks]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, matched


def report(name: str, latencies: list[float], matched: list[int], wall: float) -> None:
    """Print p50/p95/p99 and throughput of one run."""
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{name:6s} requests={len(latencies)} p50={cuts[49]:.1f}ms p95={cuts[94]:.1f}ms "
          f"p99={cuts[98]:.1f}ms throughput={len(latencies) / wall:.0f}/s "
          f"matched/box={statistics.mean(matched):.1f}")


def explain(store: Store, bbox: tuple) -> None:
    """Print how PostgreSQL runs one bbox query: the index it uses and its own time."""
    query, params = bbox_query(LAYER, bbox, postgis=store.postgis, document_ids=None,
                               private=False)
    compiled = query.compile(store.engine)
    with store.engine.connect() as connection:
        plan = [line for (line,) in connection.exec_driver_sql(
            f"EXPLAIN ANALYZE {compiled}", compiled.construct_params(params))]
    indexes = sorted(set(re.findall(r"using (\w+)", " ".join(plan))))
    times = [line.strip() for line in plan if "Time:" in line]
    print(f"plan of one box: index {', '.join(indexes) or 'none'}; {'; '.join(times)}")


def query_asker(store: Store) -> Callable[[tuple], int]:
    """The database part alone: :meth:`webapp.store.Store.features_in_bbox`."""

    def ask(bbox: tuple) -> int:
        return sum(len(found.texts) for found in store.features_in_bbox(LAYER, bbox))

    return ask


def store_asker(store: Store) -> Callable[[tuple], int]:
    """What the items view runs for one bbox, without HTTP (:func:`webapp.ogc.resolve`
    for a bbox request on a layer, then the selection)."""
    cache = FeatureCache()

    def ask(bbox: tuple) -> int:
        item = Collection(LAYER, LAYER, indexed=False)
        matched = sum(1 for _ in select_features(store, cache, item, bbox=bbox))
        if not matched and not store.has_layer(LAYER):  # as webapp.ogc.check_found
            raise RuntimeError(f"no layer {LAYER!r} stored")
        return matched

    return ask


def http_asker(port: int) -> Callable[[tuple], int]:
    """``GET .../items?bbox=`` on a keep-alive connection per client thread."""
    local = threading.local()

    def ask(bbox: tuple) -> int:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local.connection.request("GET", f"/ogc/collections/{LAYER}/items?limit=1000&bbox="
                                 + ",".join(map(str, bbox)))
        response = local.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
        return json.loads(body)["numberMatched"]

    return ask


def server_command(args: argparse.Namespace, port: int) -> list[str]:
    """The command line of the ``--server`` asked for, on ``port``."""
    if args.server == "waitress":
        return [sys.executable, "-m", "waitress", f"--threads={args.threads}",
                "--host=127.0.0.1", f"--port={port}", "--call", "webapp:create_app"]
    return [sys.executable, "-m", "gunicorn", f"--config={ROOT / 'gunicorn.conf.py'}",
            f"--workers={args.workers}", f"--threads={args.server_threads}",
            f"--bind=127.0.0.1:{port}", "--log-level=warning", "webapp:create_app()"]


@contextmanager
def http_server(url: str, args: argparse.Namespace) -> Iterator[int]:
    """A server process (and its workers) serving the app on ``url``'s database; yields
    its port."""
    port = free_port()
    env = {**os.environ, "KHARITA_DATABASE_URL": url, "KHARITA_DEMO_MAP": "false",
           "KHARITA_PARSE_WORKERS": "0", "KHARITA_DATABASE_POOL_SIZE": str(args.threads),
           "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(server_command(args, port), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(port: int, seconds: float = 60) -> None:
    """Wait until the server answers its OGC landing page."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/ogc/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start")


def bench(url: str, args: argparse.Namespace) -> None:
    """Load, then time both ways."""
    store = Store(url, engine_options={"pool_size": args.threads + 2})
    began = time.perf_counter()
    load(store, features=args.features, documents=args.documents)
    print(f"loaded {args.features} features in {args.documents} documents "
          f"in {time.perf_counter() - began:.0f}s (postgis={store.postgis})")
    rng = random.Random(7)
    explain(store, random_boxes(rng, 1)[0])
    gc.collect()
    gc.freeze()  # the clients' own full collections would count as the server's latency
    ways = [("query", query_asker(store)), ("store", store_asker(store))]
    for name, ask in ways + ([] if args.no_http else [("http", None)]):
        boxes = random_boxes(rng, args.requests)
        if ask is None:
            with http_server(url, args) as port:
                ask = http_asker(port)
                time_way(name, ask, boxes, args.threads)
        else:
            time_way(name, ask, boxes, args.threads)
    store.close()


def time_way(name: str, ask: Callable[[tuple], int], boxes: list[tuple], threads: int) -> None:
    """Warm up on a few boxes, then time every box from ``threads`` clients."""
    run_clients(ask, boxes[: threads * 4], threads)
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    latencies, matched = run_clients(ask, boxes, threads)
    report(name, latencies, matched, time.perf_counter() - began)
    print(f"{'':6s} load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--no-http", action="store_true", help="leave the http way out")
    parser.add_argument("--server", choices=("gunicorn", "waitress"), default="gunicorn",
                        help="the http way's server")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--server-threads", type=int, default=4,
                        help="threads of each gunicorn worker")
    args = parser.parse_args()
    bindir = postgres_bindir()
    if bindir is None:
        sys.exit("PostgreSQL server not found: run scripts/system-deps.sh as root")
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        bench(cluster.create_database(), args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
