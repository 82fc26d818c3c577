"""The gazetteer as a geopy geocoder, with an optional online fallback.

:class:`OfflineGeocoder` answers geopy's ``geocode``/``reverse`` from the
offline :class:`geo.gazetteer.Gazetteer`; it never opens a connection. Code
written against geopy works with it unchanged, and each
:class:`geopy.location.Location` carries the place record (``Place.to_dict()``)
in ``raw``.

:class:`FallbackGeocoder` asks an online geopy geocoder (Nominatim, Pelias,
Photon...) only for queries the offline one misses, through geopy's
:class:`~geopy.extra.rate_limiter.RateLimiter`, and remembers every answer (hits
and misses) in a SQLite file so a query is sent at most once. It is off by
default: :func:`make_geocoder` returns the offline geocoder unless a fallback
service is named in settings.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from shapely import STRtree
from shapely.geometry import Point

from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer, get_gazetteer
from geo.gazetteer.cache import default_cache_dir
from geo.normalize import normalize_key
from geo.records import Place

#: geocode ranks countries first, then first-level units, then other areas, then towns.
TYPE_RANK = {"country": 0, "admin1": 1, "city": 3, "town": 3, "village": 3}
EARTH_RADIUS_KM = 6371.0088


def _codes(country_codes: str | Sequence[str] | None) -> set[str] | None:
    if not country_codes:
        return None
    items = [country_codes] if isinstance(country_codes, str) else country_codes
    return {c.upper() for c in items}


def haversine_km(lat: float, lon: float, lats: Any, lons: Any) -> Any:
    """Great-circle distances (km) from one point to arrays of points."""
    p1, p2 = np.radians(lat), np.radians(lats)
    dphi, dlmb = p2 - p1, np.radians(lons - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


class OfflineGeocoder(Geocoder):
    """geopy geocoder over the offline gazetteer (no network, ever).

    Trade-offs: ``geocode`` matches whole names only (after normalisation),
    optionally followed by ``", <country>"``; it does not parse addresses.
    ``reverse`` prefers the nearest populated place within
    ``max_distance_km``, then the smallest area containing the point; its
    spatial index is built on the first call (about half a second).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *,
                 max_distance_km: float = 10.0) -> None:
        super().__init__(user_agent="kharita-offline")
        self.gazetteer = gazetteer or get_gazetteer()
        self.max_distance_km = max_distance_km
        self._tree: tuple[STRtree, list[str]] | None = None

    def geocode(self, query: str, *, exactly_one: bool = True, language: str | None = None,
                country_codes: str | Sequence[str] | None = None,
                timeout: Any = None) -> Location | list[Location] | None:
        """Places named ``query``, best first (see :data:`TYPE_RANK`)."""
        name, *context = [part.strip() for part in str(query).split(",") if part.strip()]
        codes = _codes(country_codes) or self._context_codes(context)
        places = self._candidates(name, codes)
        locations = [self._location(p, language) for p in places]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def _context_codes(self, context: list[str]) -> set[str] | None:
        """Countries named after the comma ("Gao, Mali"), if any."""
        codes = {p.country for part in context for p in self._named(part)
                 if p.type == "country" and p.country}
        return codes or None

    def _named(self, name: str) -> list[Place]:
        entries = self.gazetteer.lookup(normalize_key(name))
        ids = dict.fromkeys(e.place_id for e in entries if e.kind == "toponym")
        return [self.gazetteer.place(pid) for pid in ids]

    def _candidates(self, name: str, codes: set[str] | None) -> list[Place]:
        places = self._named(name)
        if codes:
            places = [p for p in places
                      if codes & set(self.gazetteer.countries_of(p.id) or (p.country,))]
        return sorted(places, key=lambda p: (TYPE_RANK.get(p.type, 2), -(p.population or 0)))

    def _location(self, place: Place, language: str | None) -> Location:
        return Location(self._address(place, language), (place.lat, place.lon),
                        place.to_dict())

    def _address(self, place: Place, language: str | None) -> str:
        """"Timbuktu, Tombouctou, Mali" in the requested language where known."""
        parts, seen = [], set()
        current: Place | None = place
        while current is not None and current.id not in seen:
            seen.add(current.id)
            parts.append(current.names.get(language or "en") or current.name)
            current = self._parent(current)
        return ", ".join(dict.fromkeys(parts))

    def _parent(self, place: Place) -> Place | None:
        if place.parent:
            try:
                return self.gazetteer.place(place.parent)
            except KeyError:
                return None
        if place.type != "country" and place.country:
            return self.gazetteer.country(place.country)
        return None

    def reverse(self, query: Any, *, exactly_one: bool = True, language: str | None = None,
                timeout: Any = None) -> Location | list[Location] | None:
        """Nearest populated place within ``max_distance_km``, then containing areas."""
        lat, lon = (float(v) for v in (query if not isinstance(query, str)
                                         else query.split(",")))
        places = self._nearest(lat, lon) + self._containing(lat, lon)
        locations = [self._location(p, language) for p in places]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def _nearest(self, lat: float, lon: float) -> list[Place]:
        table = self.gazetteer.gn_columns()
        # A +-1 degree window first: 235k haversines per call would cost ~10 ms.
        lon_window = 1.0 / max(float(np.cos(np.radians(lat))), 0.05)
        window = np.flatnonzero((np.abs(table.lat - lat) < 1.0)
                                & (np.abs(table.lon - lon) < lon_window))
        if window.size == 0:
            return []
        dist = haversine_km(lat, lon, table.lat[window], table.lon[window])
        best = int(np.argmin(dist))
        if dist[best] > self.max_distance_km:
            return []
        return [self.gazetteer.place(f"gn:{int(table.geonameid[window[best]])}")]

    def _containing(self, lat: float, lon: float) -> list[Place]:
        tree, ids = self._spatial_index()
        # Point(lon, lat): shapely is x/y, our records are lat/lon.
        hits = tree.query(Point(lon, lat), predicate="intersects")
        shapes = [(self.gazetteer.geometry(ids[i]), ids[i]) for i in hits]
        ranked = sorted((g.area, pid) for g, pid in shapes if g is not None)
        return [self.gazetteer.place(pid) for _, pid in ranked]

    def _spatial_index(self) -> tuple[STRtree, list[str]]:
        if self._tree is None:
            ids = [pid for pid in self.gazetteer.areas()
                   if self.gazetteer.place(pid).type not in ("group", "river")]
            shapes = [self.gazetteer.geometry(pid) for pid in ids]
            self._tree = (STRtree(shapes), ids)
        return self._tree


class _ResultCache:
    """Persistent ``(method, query) -> answer`` store in SQLite (hits and misses)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS answers "
                             "(key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def get(self, key: str) -> tuple[bool, Any]:
        with self._lock:
            row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return (False, None) if row is None else (True, json.loads(row[0]))

    def put(self, key: str, value: Any) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)",
                             (key, json.dumps(value, ensure_ascii=False)))

    def close(self) -> None:
        self._db.close()


def _dump(result: Location | list[Location] | None) -> list[list[Any]]:
    items = result if isinstance(result, list) else [result] if result else []
    return [[loc.address, loc.latitude, loc.longitude, loc.raw] for loc in items]


def _load(rows: list[list[Any]], exactly_one: bool) -> Location | list[Location] | None:
    locations = [Location(a, (lat, lon), raw) for a, lat, lon, raw in rows]
    if not locations:
        return None
    return locations[0] if exactly_one else locations


class FallbackGeocoder(Geocoder):
    """Offline first; an online geopy geocoder only for misses, rate-limited and cached.

    Trade-offs: answers are cached forever (delete the SQLite file to refresh);
    network errors are not cached and give ``None`` (a miss), never an exception.
    """

    def __init__(self, offline: OfflineGeocoder, online: Geocoder, cache_path: Path, *,
                 min_delay_seconds: float = 1.0) -> None:
        super().__init__(user_agent="kharita-fallback")
        self.offline = offline
        self.online = online
        self.cache = _ResultCache(Path(cache_path))
        self._geocode = RateLimiter(online.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)
        self._reverse = RateLimiter(online.reverse, min_delay_seconds=min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)

    def geocode(self, query: str, *, exactly_one: bool = True,
                **kwargs: Any) -> Location | list[Location] | None:
        """Offline answer if any, else the (cached) online answer."""
        found = self.offline.geocode(query, exactly_one=exactly_one, **kwargs)
        if found:
            return found
        return self._online("geocode", self._geocode, str(query), exactly_one)

    def reverse(self, query: Any, *, exactly_one: bool = True,
                **kwargs: Any) -> Location | list[Location] | None:
        """Offline answer if any, else the (cached) online answer."""
        found = self.offline.reverse(query, exactly_one=exactly_one, **kwargs)
        if found:
            return found
        return self._online("reverse", self._reverse, query, exactly_one)

    def _online(self, method: str, call: Any, query: Any,
                exactly_one: bool) -> Location | list[Location] | None:
        key = json.dumps([method, query, exactly_one], ensure_ascii=False)
        hit, rows = self.cache.get(key)
        if not hit:
            try:
                rows = _dump(call(query, exactly_one=exactly_one))
            except GeopyError:
                return None  # offline stays usable when the service is down
            self.cache.put(key, rows)
        return _load(rows, exactly_one)


def make_geocoder(*, fallback: str | None = None, fallback_url: str | None = None,
                  user_agent: str | None = None, cache_path: Path | None = None,
                  gazetteer: Gazetteer | None = None,
                  min_delay_seconds: float = 1.0) -> Geocoder:
    """The geocoder described by settings: offline, or offline with an online fallback.

    Parameters
    ----------
    fallback : str, optional
        A geopy service name (``"nominatim"``, ``"pelias"``, ``"photon"``...); None
        (the default) means offline only.
    fallback_url : str, optional
        Base URL of a self-hosted service, e.g. ``http://127.0.0.1:8080``.
    user_agent : str, optional
        Required by most public services' usage policies.
    cache_path : Path, optional
        SQLite file of online answers; default ``<cache dir>/geocoder.sqlite``.
    """
    offline = OfflineGeocoder(gazetteer)
    if not fallback:
        return offline
    try:
        service = get_geocoder_for_service(fallback)
    except GeopyError as exc:
        raise GazetteerError(f"'fallback' should name a geopy geocoder, got {fallback!r}") from exc
    options: dict[str, Any] = {"user_agent": user_agent or "kharita"}
    if fallback_url:
        url = urlsplit(fallback_url)
        options.update(domain=(url.netloc + url.path).rstrip("/"), scheme=url.scheme or "https")
    online = service(**options)
    path = cache_path or default_cache_dir() / "geocoder.sqlite"
    return FallbackGeocoder(offline, online, path, min_delay_seconds=min_delay_seconds)
