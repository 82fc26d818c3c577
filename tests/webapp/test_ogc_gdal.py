"""GDAL's OAPIF driver (through pyogrio) reads Kharita's OGC API from a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyogrio
import pytest

from tests.webapp.stored import seed
from webapp import create_app
from webapp.store import get_store

# pyogrio keeps the GIL while GDAL fetches pages, so the server runs in its own process.
SERVER = """
import sys, waitress
from webapp import create_app
app, log = create_app(), open(sys.argv[2], "a", buffering=1)
def logged(environ, start_response):
    log.write(environ["PATH_INFO"] + "?" + environ.get("QUERY_STRING", "") + "\\n")
    return app(environ, start_response)
waitress.serve(logged, host="127.0.0.1", port=int(sys.argv[1]), threads=4)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"the test server at {url} did not start within {seconds} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Serve a seeded store with waitress on a free loopback port; yield (URL, log, ids)."""
    folder = tmp_path_factory.mktemp("gdal")
    url = f"sqlite:///{folder / 'kharita.sqlite3'}"
    with create_app({"DEMO_MAP": False, "PARSE_WORKERS": 0, "DATABASE_URL": url}).app_context():
        ids = seed(get_store())
    log, port = folder / "requests.log", free_port()
    env = {**os.environ, "KHARITA_DATABASE_URL": url, "KHARITA_DEMO_MAP": "false"}
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(log)],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}/ogc/", proc)
    yield f"OAPIF:http://127.0.0.1:{port}/ogc", log, ids
    proc.terminate()
    proc.wait(timeout=10)


def requested(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_gdal_lists_the_collections(served):
    url, _, ids = served
    names = {name for name, _ in pyogrio.list_layers(url)}
    public = f"map-{ids['public']}-"
    assert {"mentions", "control_zones", public + "mentions", public + "control_zones"} <= names


def test_gdal_reads_features_with_a_server_side_bbox(served):
    url, log, _ = served
    frame = pyogrio.read_dataframe(url, layer="mentions", bbox=(-1, 16, 2, 19))
    assert sorted(frame["name"]) == ["Gao", "Kidal"]
    assert frame.crs.to_epsg() == 4326
    assert any("/mentions/items" in p and "bbox=-1" in p for p in requested(log))


def test_gdal_pages_through_next_links(served):
    url, log, _ = served
    before = len(requested(log))
    frame = pyogrio.read_dataframe(url, layer="mentions", PAGE_SIZE=1)
    assert sorted(frame["name"]) == ["Gao", "Kidal", "Nouakchott", "Tamanrasset"]
    assert sum("offset=" in p for p in requested(log)[before:]) >= 3


def test_gdal_reads_polygons(served):
    url, _, _ = served
    frame = pyogrio.read_dataframe(url, layer="control_zones")
    assert list(frame.geometry.geom_type) == ["Polygon"]
    assert frame.geometry.iloc[0].bounds == (-5.0, 15.0, 5.0, 25.0)


@pytest.mark.parametrize(("where", "layer", "expected", "sent"), [
    ("name = 'Kidal'", "mentions", ["Kidal"], "name = 'Kidal'"),
    ("confidence > 0.5 AND name <> 'Gao'", "mentions", ["Kidal", "Nouakchott", "Tamanrasset"],
     "(confidence > 0.5) AND (name <> 'Gao')"),
    # GDAL quotes a date as text ('2024-01-01T'): it must still compare as a date
    ("published >= '2024-01-01'", "mentions", ["Gao", "Kidal"], "published >= '2024-01-01"),
    ("actor = 'AQIM'", "control_zones", ["Northern Mali"], "actor = 'AQIM'"),
])
def test_gdal_sends_an_attribute_filter_to_the_server(served, where, layer, expected, sent):
    url, log, _ = served
    before = len(requested(log))
    frame = pyogrio.read_dataframe(url, layer=layer, where=where)
    assert sorted(frame["name"]) == expected
    filtered = [urllib.parse.parse_qs(urllib.parse.urlsplit(line).query)
                for line in requested(log)[before:] if "filter=" in line]
    assert filtered, "GDAL evaluated the filter itself instead of sending it"
    assert filtered[-1]["filter-lang"] == ["cql-text"]
    assert filtered[-1]["filter"][0].startswith(sent)


def test_gdal_filters_on_queryables_only(served):
    url, log, _ = served
    before = len(requested(log))
    frame = pyogrio.read_dataframe(url, layer="mentions", where="trigger = 'Gao'")
    assert list(frame["name"]) == ["Gao"]  # GDAL filters it itself: trigger is no queryable
    assert not any("filter=" in line for line in requested(log)[before:])
