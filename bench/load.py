"""Bounded load test: Kharita's OGC items endpoint and embed page, then pygeoapi on the same layer.

Loopback only (127.0.0.1), bounded in time (``--duration`` per target) and in
count (``--max-requests``), and stops by itself. Both servers run under
gunicorn with the same number of sync workers (``--workers``), so the ratio
compares the applications, not the servers. pygeoapi lives in its own venv
(``.cache/pygeoapi-venv``, created with pip on first use, never a Kharita
dependency) and serves the very layer file Kharita serves, through its stock
GeoJSON provider (``bench/pygeoapi-config.yml``).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load.py                 # 30 s per target, 32 connections
    .venv/bin/python bench/load.py --duration 5 --skip-pygeoapi

Exit status 1 if any request failed (errors must be 0).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: load only ever targets this machine
PYGEOAPI_VENV = ROOT / ".cache" / "pygeoapi-venv"
SEEDS = ROOT.parent / "shared" / "seeds"
CONTENT_LENGTH = re.compile(rb"(?im)^content-length:\s*(\d+)")


@dataclass
class Stats:
    """What one load run measured."""

    name: str
    path: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0

    def summary(self) -> dict[str, float | int | str]:
        """Return requests/s, p50/p99 latency in ms, errors and mean body size."""
        lat = sorted(self.latencies)
        pick = (
            (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000)
            if lat
            else (lambda q: float("nan"))
        )
        return {
            "target": self.name,
            "path": self.path,
            "requests": len(lat),
            "rps": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(pick(0.50), 2),
            "p99_ms": round(pick(0.99), 2),
            "mean_ms": round(statistics.fmean(lat) * 1000, 2) if lat else float("nan"),
            "errors": self.errors,
            "body_bytes": self.bytes // max(1, len(lat)),
        }


def fetch(port: int, request: bytes) -> int | None:
    """Send one request on a fresh connection; return the body size if it was a complete 200."""
    chunks = []
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(request)
        while data := sock.recv(1 << 16):
            chunks.append(data)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    if not head.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
        return None
    length = CONTENT_LENGTH.search(head)
    return len(body) if length is None or int(length.group(1)) == len(body) else None


def worker(
    port: int, path: str, deadline: float, budget: list[int], stats: Stats, lock: threading.Lock
) -> None:
    """Send GET ``path`` until the deadline or the shared budget ends, one connection each.

    A raw socket client keeps the load generator's own CPU cost low (it shares the
    machine with the servers); both servers close the connection after each answer.
    """
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Accept: application/json, text/html\r\nConnection: close\r\n\r\n"
    ).encode()
    local: list[float] = []
    errors = size = 0
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        start = time.perf_counter()
        try:
            got = fetch(port, request)
        except OSError:
            got = None
        if got is None:
            errors += 1
            continue
        local.append(time.perf_counter() - start)
        size += got
    with lock:
        stats.latencies.extend(local)
        stats.errors += errors
        stats.bytes += size


def hammer(
    name: str, port: int, path: str, *, seconds: float, connections: int, max_requests: int
) -> Stats:
    """Run ``connections`` concurrent clients against ``path`` for ``seconds``."""
    stats, lock, budget = Stats(name, path), threading.Lock(), [max_requests]
    start = time.monotonic()
    threads = [
        threading.Thread(
            target=worker, args=(port, path, start + seconds, budget, stats, lock), daemon=True
        )
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    stats.seconds = time.monotonic() - start
    return stats


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_up(port: int, path: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until ``path`` answers 200, or stop the server and fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"server on port {port} did not answer {path} within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started (its own pid only)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def gunicorn(
    python: Path, app: str, port: int, workers: int, env: dict[str, str], log: Path
) -> subprocess.Popen:
    """Start ``app`` under gunicorn with sync workers on the loopback."""
    cmd = [
        str(python),
        "-m",
        "gunicorn",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "256",
        "--log-level",
        "warning",
        app,
    ]
    return subprocess.Popen(
        cmd, env={**os.environ, **env}, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def prepare(folder: Path, layer: str | None) -> tuple[str, str, str, Path]:
    """Store the demo and the seed texts; write the chosen layer's GeoJSON file.

    Returns ``(database url, layer id, embed map id, layer file)``.
    """
    sys.path.insert(0, str(ROOT))
    from webapp import create_app
    from webapp.ingest import Submission, ingest
    from webapp.store import get_store

    url = f"sqlite:///{folder / 'kharita.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "DEMO_MAP": True})
    with app.app_context():
        store = get_store()
        for seed in sorted(SEEDS.glob("*.txt"))[:1]:
            ingest(store, Submission(text=seed.read_text(encoding="utf-8"), title=seed.stem))
        counts: dict[str, int] = {}
        for doc in store.list_documents(limit=100):
            for name, n in doc.layer_counts.items():
                counts[name] = counts.get(name, 0) + n
        chosen = layer or max(counts, key=lambda k: counts[k])
        features = store.features(chosen)
        embed = store.list_maps(limit=1)[0].id
    for feature in features:  # pygeoapi's GeoJSON provider reads ids from properties too
        feature["properties"]["id"] = feature["id"]
    data = folder / f"{chosen}.geojson"
    data.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return url, chosen, embed, data


def pygeoapi_python() -> Path:
    """Return the pygeoapi venv's python, creating the venv with pip on first use."""
    python = PYGEOAPI_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PYGEOAPI_VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import pygeoapi, gunicorn"], capture_output=True)
    if probe.returncode:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "pygeoapi", "gunicorn"], check=True
        )
    return python


def start_pygeoapi(
    folder: Path, layer: str, data: Path, port: int, workers: int
) -> subprocess.Popen:
    """Configure pygeoapi over ``data`` and start it under gunicorn."""
    python = pygeoapi_python()
    template = string.Template((ROOT / "bench" / "pygeoapi-config.yml").read_text())
    config = folder / "pygeoapi-config.yml"
    config.write_text(template.substitute(port=port, layer=layer, data=data))
    openapi = folder / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [
            str(python.parent / "pygeoapi"),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        check=True,
        env={**os.environ, **env},
        capture_output=True,
    )
    return gunicorn(python, "pygeoapi.flask_app:APP", port, workers, env, folder / "pygeoapi.log")


def measure(name: str, port: int, path: str, args: argparse.Namespace) -> dict:
    """Warm every worker, then load ``path`` and print the summary line."""
    hammer(
        name,
        port,
        path,
        seconds=min(3.0, args.duration),
        connections=args.connections,
        max_requests=50 * args.workers,
    )
    stats = hammer(
        name,
        port,
        path,
        seconds=args.duration,
        connections=args.connections,
        max_requests=args.max_requests,
    )
    summary = stats.summary()
    print(json.dumps(summary), flush=True)
    return summary


def run(args: argparse.Namespace) -> list[dict]:
    """Measure Kharita (items, embed), then pygeoapi (items) on the same layer."""
    results = []
    with tempfile.TemporaryDirectory(prefix="kharita-load-") as tmp:
        folder = Path(tmp)
        url, layer, map_id, data = prepare(folder, args.layer)
        items = f"/ogc/collections/{layer}/items?limit={args.limit}"
        port = free_port()
        env = {"KHARITA_DATABASE_URL": url, "KHARITA_DEMO_MAP": "false"}
        proc = gunicorn(
            Path(sys.executable),
            "webapp:create_app()",
            port,
            args.workers,
            env,
            folder / "kharita.log",
        )
        try:
            wait_up(port, items, proc)
            results.append(measure("kharita items", port, items, args))
            results.append(measure("kharita embed", port, f"/embed/{map_id}", args))
        finally:
            stop(proc)
        if not args.skip_pygeoapi:
            port = free_port()
            proc = start_pygeoapi(folder, layer, data, port, args.workers)
            path = f"/collections/{layer}/items?f=json&limit={args.limit}"
            try:
                wait_up(port, path, proc)
                results.append(measure("pygeoapi items", port, path, args))
            finally:
                stop(proc)
    return results


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the bounded load test and report; 1 if any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per target")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--limit", type=int, default=100, help="items per page requested")
    parser.add_argument("--layer", help="layer id to serve (default: the largest)")
    parser.add_argument(
        "--max-requests", type=int, default=2_000_000, help="hard cap on requests per target"
    )
    parser.add_argument("--skip-pygeoapi", action="store_true", help="measure Kharita only")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 600 or not 0 < args.connections <= 256:
        parser.error("--duration must be in (0, 600] and --connections in (0, 256]")
    results = run(args)
    by_name = {r["target"]: r for r in results}
    if "pygeoapi items" in by_name:
        ratio = by_name["kharita items"]["rps"] / max(by_name["pygeoapi items"]["rps"], 1e-9)
        print(json.dumps({"ratio_items_kharita_over_pygeoapi": round(ratio, 2)}))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
