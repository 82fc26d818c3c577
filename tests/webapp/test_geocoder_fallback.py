"""GEOCODER_FALLBACK: the web app asks a (local stand-in) geocoder about misses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp import create_app


class _StandIn(BaseHTTPRequestHandler):
    """A Nominatim-shaped /search that knows one county."""

    queries: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        type(self).queries.append(query)
        body = [{"place_id": 7, "lat": "32.77", "lon": "-97.29", "display_name": query,
                 "class": "boundary", "type": "administrative"}] if query == "Tarrant County" \
            else []
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stand_in() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    _StandIn.queries = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def make_app(tmp_path, **config: Any):
    return create_app({"TESTING": True, "DEMO_MAP": False,
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}", **config})


def test_fallback_resolves_what_the_gazetteer_lacks(tmp_path, stand_in: str) -> None:
    app = make_app(tmp_path, GEOCODER_FALLBACK="nominatim", GEOCODER_URL=stand_in,
                   GEOCODER_CACHE=str(tmp_path / "answers.sqlite"))
    text = "Deputies in Tarrant County met officials from Kidal, Mali."
    body = app.test_client().post("/api/v1/geoparse", json={"text": text}).json
    mentions = {m["surface"]: m for m in body["mentions"]}
    assert mentions["Tarrant County"]["place"]["lat"] == pytest.approx(32.77)
    assert mentions["Kidal"]["place"]["country"] == "ML"
    assert _StandIn.queries == ["Tarrant County"]  # only the miss went out


def test_no_fallback_by_default(tmp_path, stand_in: str) -> None:
    app = make_app(tmp_path)
    body = app.test_client().post("/api/v1/geoparse",
                                  json={"text": "Deputies in Tarrant County met."}).json
    (mention,) = body["mentions"]
    assert mention["place"] is None and mention["reason"]
    assert _StandIn.queries == []
