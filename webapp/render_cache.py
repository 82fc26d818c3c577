"""Rendered maps kept in memory: building and rendering the folium map is the slow part.

An embed answers the same bytes for the same map, options, language and host,
so :func:`get_render_cache` keeps the rendered page (and the map parts of
document and map pages) in a bounded least-recently-used cache, one per app
and process.

Trade-offs: nothing is ever invalidated explicitly. Keys carry what the output
depends on, including the map's :attr:`~webapp.store.MapRecord.version`
(a map changes through its record or the revisions of its documents), so a
changed map simply misses and its old entries age out. Each process (each
gunicorn worker) warms its own copy, and two requests missing the same key at
once both render; both are cheaper than sharing state between workers.
``MAP_CACHE_ENTRIES = 0`` turns caching off.

Why not cachetools or Flask-Caching: this cache is bounded by entries and by
bytes at once (one large document's page can be tens of megabytes) and builds a
missing value outside its lock; cachetools' caches take one bound, and
Flask-Caching's simple backend pickles each value on every hit.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, make_response, request

from webapp.i18n import get_lang

EXTENSION = "kharita.render_cache"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A whole rendered page with its entity tag."""

    html: str
    etag: str
    scripts: tuple[str, ...] = ()  # CSP hashes of its inline scripts

    @classmethod
    def of(cls, html: str) -> RenderedPage:
        """Wrap ``html`` with a strong ETag of its bytes and its scripts' CSP hashes."""
        from webapp.headers import script_hashes

        etag = hashlib.blake2b(html.encode("utf-8"), digest_size=12).hexdigest()
        return cls(html, etag, script_hashes(html))


#: Total size of the cached output of one process (a large document's page can be
#: tens of megabytes: entries alone would not bound memory).
MAX_BYTES = 256 * 1024 * 1024


def size_of(value: Any) -> int:
    """Rough size in bytes of a cached value (text, pages, dicts of page parts)."""
    if isinstance(value, RenderedPage):
        return len(value.html)
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(size_of(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(size_of(v) for v in value)
    return 64


class RenderCache:
    """A thread-safe LRU of rendered output: at most ``max_entries`` items (0: no caching)
    and :data:`MAX_BYTES` in all."""

    def __init__(self, max_entries: int, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def fetch(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the value cached under ``key``, calling ``make`` (outside the lock) on a miss."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()  # exceptions propagate and nothing is cached
        size = size_of(value)
        if self.max_entries > 0 and size <= self.max_bytes:
            with self._lock:
                self._bytes += size - self._sizes.get(key, 0)
                self._data[key], self._sizes[key] = value, size
                self._data.move_to_end(key)
                while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                    old, _ = self._data.popitem(last=False)
                    self._bytes -= self._sizes.pop(old)
        return value

    def __len__(self) -> int:
        return len(self._data)


def init_app(app: Flask) -> None:
    """Give ``app`` its render cache, sized by ``MAP_CACHE_ENTRIES``."""
    app.extensions[EXTENSION] = RenderCache(int(app.config["MAP_CACHE_ENTRIES"]))


def get_render_cache() -> RenderCache:
    """Return the render cache of the current app."""
    return current_app.extensions[EXTENSION]


def render_key(*parts: Hashable) -> tuple[Hashable, ...]:
    """Return a cache key of ``parts`` plus what every rendered map depends on.

    That is the UI language, the app's root URL (pages hold absolute links)
    and the map settings, which tests may change on a running app.
    """
    config = current_app.config
    return (*parts, get_lang(), request.url_root, config["TILES"], config["BASEMAP_ADMIN1"])


def cached_response(page: RenderedPage, *, public: bool) -> Response:
    """Answer ``page`` with its ETag and ``Cache-Control: no-cache`` (304 when it matches).

    Its inline scripts run by their hashes (:func:`webapp.headers.script_hashes`): the
    same bytes for every answer, so the ETag stays strong and gzip happens once.
    Caches must ask again every time, so that unpublishing a map takes it down
    at once on every install (a deployment token or an open install unpublishes
    too, not only accounts); the 304 keeps that cheap, as the page stays rendered.
    """
    from webapp.headers import allow_scripts

    allow_scripts(page.scripts)
    response = make_response(page.html)
    response.set_etag(page.etag)
    response.cache_control.no_cache = True
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
    response.vary.update(("Accept-Language", "Cookie"))  # the language comes from either
    response.make_conditional(request)
    return response
