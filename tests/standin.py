"""A local stand-in for a Nominatim-shaped geocoding service (tests only).

Kharita never needs the network; its optional online fallback is tested
against this server on a free loopback port instead of a real service.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@contextmanager
def nominatim(known: Mapping[str, tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """Serve ``/search`` answering the ``known`` queries with ``(lat, lon)``.

    Yields ``(host:port, queries)``; ``queries`` lists every ``q`` received.
    """
    queries: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query).get("q", [""])[0]
            queries.append(query)
            body: list[dict[str, Any]] = []
            if url.path == "/search" and query in known:
                lat, lon = known[query]
                body = [{"place_id": 1, "lat": lat, "lon": lon, "display_name": query,
                         "class": "place", "type": "locality"}]
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", queries
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
