"""gzip for HTML, JSON and GeoJSON answers, when the client accepts it.

An ``after_request`` hook compresses bodies of at least ``GZIP_MIN_BYTES``
(HTML pages, embeds, the JSON API, OGC and GeoJSON downloads) for clients that
send ``Accept-Encoding: gzip``, and marks every such answer
``Vary: Accept-Encoding`` so caches keep the two variants apart. It leaves
alone streamed and direct-passthrough responses (static files), 1xx/204/206/304
answers and bodies that already carry a ``Content-Encoding`` (the basemap is
stored pre-compressed).

ETags: the gzip variant is a different representation, so its ETag gets a
``-gzip`` suffix (as Apache's mod_deflate does) and the hook answers 304 itself
when the client revalidates that variant; the view, which only knows the plain
ETag, cannot. Compression is deterministic (no timestamp), so the suffixed tag
stays strong, and the gzip bytes of a strongly tagged body (embeds) are kept in
a small LRU keyed by URL and tag: a cached embed is compressed once, not per hit.

Why not Flask-Compress (tried, 1.25): it sends gzip to ``Accept-Encoding:
gzip;q=0``, which RFC 9110 (12.5.3) says refuses gzip, and it keys its cache of
compressed bodies by request only, while an embed's bytes change under the same
URL when its map does. This hook is as short and keeps both right
(``tests/webapp/test_compression.py``).
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, current_app, request

from webapp.render_cache import RenderCache

EXTENSION = "kharita.gzip_cache"
MIMETYPES = frozenset({"text/html", "application/json", "application/geo+json"})
SUFFIX = "-gzip"
#: Seed document page: level 5 gives 66.8 KiB in 5 ms, 6 (zlib's default) 66.0 KiB in 8 ms,
#: 9 65.5 KiB in 19 ms; uncached pages and GeoJSON pay it on every request.
LEVEL = 5


def compressible(response: Response) -> bool:
    """Whether ``response`` is of a type this hook compresses (HTML, JSON, ``+json``)."""
    mimetype = response.mimetype or ""
    return mimetype in MIMETYPES or mimetype.endswith("+json")


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0  # honours q=0 and "*"


def _eligible(response: Response, min_bytes: int) -> bool:
    """Whether the body may be replaced by its gzip variant."""
    return (
        response.status_code >= 200
        and response.status_code not in (204, 206, 304)
        and not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and len(response.get_data()) >= min_bytes
    )


def _gzip(body: bytes, etag: str | None) -> bytes:
    """Compress ``body``; with a strong ETag, once per (URL, ETag): together they name the bytes."""
    if etag is None:
        return gzip.compress(body, LEVEL, mtime=0)
    cache: RenderCache = current_app.extensions[EXTENSION]
    return cache.fetch((request.url, etag), lambda: gzip.compress(body, LEVEL, mtime=0))


def compress(response: Response) -> Response:
    """Send the gzip variant of a compressible body to a client that accepts it."""
    min_bytes = int(current_app.config["GZIP_MIN_BYTES"])
    if not min_bytes or not compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip() or not _eligible(response, min_bytes):
        return response
    etag, weak = response.get_etag()
    if etag is not None:
        response.set_etag(etag + SUFFIX, bool(weak))
        response.make_conditional(request)  # the view compared If-None-Match to the plain tag
        if response.status_code == 304:
            return response
    response.set_data(_gzip(response.get_data(), None if weak else etag))
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    """Install :func:`compress`; call it before any other ``after_request`` so it runs last."""
    app.extensions[EXTENSION] = RenderCache(int(app.config["MAP_CACHE_ENTRIES"]))
    app.after_request(compress)
