"""Benchmark what accounts cost a request: identifying the caller, and signing in.

Prints the median time of ``GET /api/v1/maps`` through the WSGI app (no network)
for each kind of caller (open install, anonymous, signed-in session, API token),
and of a successful ``POST /signin`` (one scrypt check). Run it on an idle
machine: the figures are per request on one core.

Usage::

    .venv/bin/python bench/bench_access.py [--requests 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.webapp.people import PASSWORD, add_people, bearer, make_token, signed_in
from webapp import create_app


def app_in(folder: str):
    """A test app on a fresh SQLite file in ``folder``."""
    return create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                       "WTF_CSRF_ENABLED": False, "DATABASE_URL": f"sqlite:///{folder}/k.db"})


def median_ms(send, count: int) -> float:
    """Median milliseconds of ``count`` calls of ``send`` (after one warm-up call)."""
    send()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        send()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    count = parser.parse_args().requests
    open_app, closed = app_in(tempfile.mkdtemp()), app_in(tempfile.mkdtemp())
    add_people(closed)
    token = bearer(make_token(closed, "ed", "read"))
    session, anonymous = signed_in(closed, "ed"), closed.test_client()
    rows = {
        "open install": lambda: open_app.test_client().get("/api/v1/maps"),
        "accounts, anonymous": lambda: anonymous.get("/api/v1/maps"),
        "accounts, signed-in session": lambda: session.get("/api/v1/maps"),
        "accounts, API token": lambda: anonymous.get("/api/v1/maps", headers=token),
    }
    for name, send in rows.items():
        print(f"GET /api/v1/maps, {name}: {median_ms(send, count):.2f} ms")
    sign_in = lambda: anonymous.post("/signin", data={"name": "ed", "password": PASSWORD})  # noqa: E731
    print(f"POST /signin (scrypt check): {median_ms(sign_in, 10):.0f} ms")


if __name__ == "__main__":
    main()
