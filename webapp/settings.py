"""Every setting of the web app, declared once.

The table drives the defaults of :func:`webapp.create_app`, the README's
settings section (:func:`settings_markdown`) and the test that checks the
README documents each setting. Set any of them as ``KHARITA_<NAME>`` in the
environment (values are parsed as JSON when they can be, so
``KHARITA_DEMO_MAP=false`` is a boolean), in ``instance/config.py``, or in
``test_config``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from geo.merge import DISTANCE_KM, WINDOW_DAYS


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration key with its default and a one-line help text."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL of the store. Empty: SQLite file `kharita.sqlite3` in the instance "
        "folder. `postgresql+psycopg://user:pass@host/db` selects PostgreSQL (install the "
        "`postgres` extra).",
    ),
    Setting(
        "DATABASE_POOL_SIZE",
        10,
        "PostgreSQL connections each server process keeps open: at least its threads (8 "
        "under `kharita serve`), or requests beyond it open and close a connection each "
        "(a new server process on PostgreSQL, milliseconds). SQLite ignores it.",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        5 * 1024 * 1024,
        "Largest request body in bytes (pasted text or uploaded file); larger requests get a "
        "413 with a clear message.",
    ),
    Setting(
        "FRAME_ANCESTORS",
        "*",
        "Who may frame `/embed/<id>`: `*` (anyone) or a space-separated allow-list of origins "
        "(`https://news.example https://cms.example`). Every other page refuses framing.",
    ),
    Setting(
        "TILES",
        "",
        "Optional online tile layer by `xyzservices` name (e.g. `OpenStreetMap.Mapnik`, "
        "`CartoDB.Positron`). Empty (default): offline vector basemap only, no request leaves "
        "the machine.",
    ),
    Setting(
        "BASEMAP_ADMIN1",
        True,
        "Draw first-level administrative outlines (Africa and the Middle East) on the offline "
        "basemap when zoomed in.",
    ),
    Setting(
        "DEMO_MAP",
        True,
        "Create the demo Sahel map on first run when the store is empty.",
    ),
    Setting(
        "DEFAULT_LOCALE",
        "en",
        "UI language when neither `?lang=` nor the browser's Accept-Language picks one of "
        "`ar`, `fr`, `en`.",
    ),
    Setting(
        "RECENT_MAPS",
        12,
        "How many recent maps the home page lists.",
    ),
    Setting(
        "EMBED_HEIGHT",
        480,
        "Initial iframe height in pixels of the embed snippet and oEmbed answers (the embed "
        "then reports its height through postMessage).",
    ),
    Setting(
        "MAP_CACHE_ENTRIES",
        64,
        "How many rendered maps (embed pages, and the maps of document and map pages) each "
        "server process keeps in memory (an entry is about the page's size, ~250 kB for the demo "
        "map); a map renders once per version, options and language. 0 turns the cache off.",
    ),
    Setting(
        "GZIP_MIN_BYTES",
        1024,
        "HTML, JSON and GeoJSON answers of at least this many bytes are sent gzip-compressed "
        "to clients that accept it (`Vary: Accept-Encoding`; the gzip variant's ETag ends in "
        "`-gzip`). 0 turns compression off, e.g. behind a proxy that compresses.",
    ),
    Setting(
        "PARSE_WORKERS",
        1,
        "Worker processes that geoparse submitted texts, off the web server's threads (each "
        "loads the gazetteer, about 550 MB), and apply editors' saves that change mentions. 0: "
        "parse in the request's own thread, one at a time and without a time limit (tests, "
        "scripts).",
    ),
    Setting(
        "PARSE_TIMEOUT",
        120,
        "Seconds one text may take to parse; a longer parse is stopped and its submitter "
        "told to split the text (the 5 MB upload limit parses in well under a minute).",
    ),
    Setting(
        "PARSE_QUEUE",
        16,
        "How many submitted texts may wait for a parse worker; beyond that submissions get "
        "a 503 \"busy, retry later\" (`Retry-After`).",
    ),
    Setting(
        "PARSE_WAIT",
        5,
        "Seconds a form or API submission waits for its parse before the browser is sent "
        "to a page that reloads until the map is ready (the API answers 202 with the job).",
    ),
    Setting(
        "MERGE_DISTANCE_KM",
        DISTANCE_KM,
        "Kilometres within which two reports' places may tell one event: on a map of several "
        "reports, events of one layer this close, on days within `MERGE_WINDOW_DAYS`, are "
        "merged into one (with every source listed). Smaller: fewer merges in dense areas.",
    ),
    Setting(
        "MERGE_WINDOW_DAYS",
        WINDOW_DAYS,
        "Days after an event's first report within which another report may still tell it "
        "(0: the same day only).",
    ),
    Setting(
        "GEOCODER_FALLBACK",
        "",
        "Optional geopy geocoder (`nominatim`, `pelias`, `photon`...) asked about names the "
        "offline gazetteer lacks, rate-limited and cached. Empty (default): nothing leaves the "
        "machine.",
    ),
    Setting(
        "GEOCODER_URL",
        "",
        "Base URL of a self-hosted fallback geocoder (e.g. `http://127.0.0.1:8080`); empty "
        "uses the service's public default.",
    ),
    Setting(
        "GEOCODER_USER_AGENT",
        "kharita",
        "User agent sent to the fallback geocoder (public services require a real one).",
    ),
    Setting(
        "GEOCODER_CACHE",
        "",
        "SQLite file caching the fallback geocoder's answers; empty: `geocoder.sqlite` in the "
        "instance folder.",
    ),
    Setting(
        "API_TOKEN",
        "",
        "Deployment token of the install (full rights, beside the users' own tokens). When "
        "set, every change needs a token or an editor's sign-in: JSON API writes send "
        "`Authorization: Bearer <token>`, browsers sign in at `/signin`; private documents, "
        "maps and drafts are visible only to signed-in callers (404 otherwise). Empty, with no "
        "user account either: a single-user install where every caller may write and see "
        "everything.",
    ),
    Setting(
        "BASE_URL",
        "",
        "Public address of the install (`https://maps.newsroom.example`, optionally with a "
        "path prefix). Absolute links (API, embed snippets, oEmbed, OGC) are built from it, "
        "never from the request's Host header, and oEmbed answers only for its maps. Empty: "
        "the address the request came to (fine on loopback).",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Key that signs session cookies (sign-in, CSRF tokens of the forms). Empty: a random "
        "key is made on first start and kept in `instance/secret_key`; set it to share "
        "sessions between several servers.",
    ),
    Setting(
        "LOGIN_ATTEMPTS",
        5,
        "Failed sign-ins one user name may make within `LOGIN_WINDOW` (one address may make "
        "ten times as many); then `/signin` answers 429 until the window has passed.",
    ),
    Setting(
        "LOGIN_WINDOW",
        900,
        "Seconds the sign-in limiter remembers a failed attempt (15 minutes).",
    ),
    Setting(
        "FEED_POLL",
        5,
        "Seconds the feed worker (`kharita worker`) waits between looks for feeds whose run "
        "is due.",
    ),
    Setting(
        "FEED_TIMEOUT",
        20,
        "Seconds one request of the feed worker (a feed, or an item's page) may take.",
    ),
    Setting(
        "FEED_MAX_BYTES",
        10 * 1024 * 1024,
        "Largest RSS/Atom document read; a larger feed fails its run with the reason.",
    ),
    Setting(
        "FEED_ITEM_MAX_BYTES",
        5 * 1024 * 1024,
        "Largest item page or file read; a larger item is refused with the reason.",
    ),
    Setting(
        "FEED_MAX_BACKOFF",
        6 * 3600,
        "Longest wait in seconds before a failing feed is tried again (the wait doubles per "
        "failure in a row, from the feed's own interval).",
    ),
)


class SettingError(ValueError):
    """A setting has a value the app cannot use (raised at start-up, not per request)."""


def _check_tiles(name: str) -> None:
    if name:
        import xyzservices

        try:
            xyzservices.providers.query_name(name)
        except ValueError:
            raise SettingError(
                f"TILES: unknown xyzservices provider {name!r}; try 'OpenStreetMap.Mapnik' or "
                "leave it empty for the offline basemap"
            ) from None


def _check_merge(config: Mapping[str, Any]) -> None:
    distance, window = config["MERGE_DISTANCE_KM"], config["MERGE_WINDOW_DAYS"]
    if not isinstance(distance, int | float) or isinstance(distance, bool) or not (
            0 < distance < math.inf):
        raise SettingError(f"MERGE_DISTANCE_KM: expected a positive number of kilometres, "
                           f"got {distance!r}")
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise SettingError(f"MERGE_WINDOW_DAYS: expected a whole number of days, 0 or more, "
                           f"got {window!r}")


def validate(config: Mapping[str, Any]) -> None:
    """Raise :class:`SettingError` naming the first unusable setting."""
    locale = config["DEFAULT_LOCALE"]
    if locale not in ("ar", "fr", "en"):
        raise SettingError(f"DEFAULT_LOCALE: expected ar, fr or en, got {locale!r}")
    for name in ("MAX_CONTENT_LENGTH", "RECENT_MAPS", "EMBED_HEIGHT", "PARSE_QUEUE",
                 "LOGIN_ATTEMPTS", "LOGIN_WINDOW", "DATABASE_POOL_SIZE"):
        value = config[name]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise SettingError(f"{name}: expected a positive whole number, got {value!r}")
    for name in ("MAP_CACHE_ENTRIES", "GZIP_MIN_BYTES", "PARSE_WORKERS"):
        value = config[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SettingError(f"{name}: expected a whole number, 0 or more, got {value!r}")
    if not isinstance(config["FRAME_ANCESTORS"], str):
        raise SettingError(
            f"FRAME_ANCESTORS: expected '*' or space-separated origins, got "
            f"{config['FRAME_ANCESTORS']!r}"
        )
    for name in ("PARSE_TIMEOUT", "PARSE_WAIT", "FEED_POLL", "FEED_TIMEOUT", "FEED_MAX_BYTES",
                 "FEED_ITEM_MAX_BYTES", "FEED_MAX_BACKOFF"):
        value = config[name]
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise SettingError(f"{name}: expected a positive number of seconds, got {value!r}")
    _check_merge(config)
    _check_tiles(config["TILES"] or "")
    from webapp.urls import check_base_url

    try:
        check_base_url(str(config.get("BASE_URL") or ""))
    except ValueError as error:
        raise SettingError(str(error)) from None


def defaults() -> dict[str, Any]:
    """Return ``{name: default}`` for :meth:`flask.Config.from_mapping`."""
    return {s.name: s.default for s in SETTINGS}


def settings_markdown() -> str:
    """Return the README's settings section as a Markdown table."""
    rows = ["| Setting (env `KHARITA_<NAME>`) | Default | What it does |", "|---|---|---|"]
    for s in SETTINGS:
        default = "(empty)" if s.default in (None, "") else f"`{s.default!r}`"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows) + "\n"
