"""Feeds: RSS/Atom addresses or folders of files, read into the map that follows them.

:func:`run_worker` is the background worker (``kharita worker``, started by
``make run`` beside the web server): a loop that claims the feeds whose run is
due (:mod:`webapp.store.feeds`, a schedule kept in the database, so the worker
and the web server can each restart without losing anything), reads each one
(:func:`run_feed`) and schedules the next run: ``every`` seconds after a good
run, after a failed one twice as long per failure in a row, up to
``FEED_MAX_BACKOFF``.

An item is read once: its key (its link, its id, or its file name) is
remembered, and so is the digest of its text, so a report published again
under another address is not stored twice on the map. Its text is the page
its link points to (HTML reduced to text), else the content the feed carries.
A feed that is down, malformed or too large fails its run with the reason
(``last_error``); an item that is too large, binary or empty is recorded as
refused with the reason; neither stops the other feeds or items. An item whose
page cannot be reached now is not recorded, so the next run tries it again.

Fetching happens only here, only for addresses a user asked to follow, and
only over http(s).
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import feedparser
from flask import Flask

from geo.errors import InputError, KharitaError
from geo.text import html_to_text, looks_like_html
from webapp.ingest import Submission, ingest, text_digest
from webapp.pagetext import article_text
from webapp.store import FeedRecord, Store, get_store

log = logging.getLogger(__name__)
USER_AGENT = "Kharita feed reader (+https://github.com/kharita)"
#: Files of a followed folder that are read as reports.
FOLDER_TYPES = (".html", ".htm", ".txt", ".md")
#: Content types read as text; anything else is refused as binary.
TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss",
              "application/atom")
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}
#: Shortest interval between two runs of one feed.
MIN_EVERY = 10
LEASE = timedelta(minutes=30)


class FetchError(KharitaError):
    """A feed or item could not be read; ``lasting`` when trying again will not help."""

    def __init__(self, reason: str, *, lasting: bool = False) -> None:
        super().__init__(reason)
        self.lasting = lasting


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What one run may read: bytes of a feed and of an item, seconds per request."""

    feed_bytes: int
    item_bytes: int
    timeout: float

    @classmethod
    def of(cls, config: Any) -> Limits:
        """The limits set by the app's ``FEED_*`` settings."""
        return cls(feed_bytes=int(config["FEED_MAX_BYTES"]),
                   item_bytes=int(config["FEED_ITEM_MAX_BYTES"]),
                   timeout=float(config["FEED_TIMEOUT"]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One entry of a feed (or file of a folder), before its text is read."""

    key: str
    title: str
    link: str | None
    published: date | None
    content: str | None  # HTML or text the feed itself carries


def parse_every(raw: str) -> int:
    """Seconds of ``15m``, ``1h``, ``30s``, ``1d`` (a bare number is minutes), or InputError."""
    found = _EVERY.match(raw or "")
    if not found:
        raise InputError(f"every: expected a duration such as 15m, 1h or 30s, got {raw[:40]!r}")
    seconds = int(found[1]) * _UNITS[found[2]]
    if seconds < MIN_EVERY:
        raise InputError(f"every: at least {MIN_EVERY}s between runs, got {raw[:40]!r}")
    return seconds


def check_source(source: str, *, folders: bool) -> str:
    """Return an http(s) address (or, when ``folders``, an existing folder), or InputError."""
    source = (source or "").strip()
    if re.match(r"^https?://[^\s/]+", source, re.IGNORECASE):
        return source
    if folders and source and Path(source).is_dir():
        return str(Path(source).resolve())
    what = "an http(s) address or a folder" if folders else "an http(s) address"
    raise InputError(f"url: expected {what} of a feed, got {source[:120]!r}")


def fetch(url: str, *, limit: int, timeout: float) -> tuple[bytes, Message]:
    """Return the body and headers of ``url``, refusing more than ``limit`` bytes."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise FetchError(f"{url[:120]}: only http(s) addresses are read", lasting=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"too large: {int(declared)} bytes, more than the {limit} "
                                 f"allowed (FEED_ITEM_MAX_BYTES / FEED_MAX_BYTES)", lasting=True)
            body = response.read(limit + 1)
            if len(body) > limit:
                raise FetchError(f"too large: more than the {limit} bytes allowed "
                                 f"(FEED_ITEM_MAX_BYTES / FEED_MAX_BYTES)", lasting=True)
            return body, response.headers
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code} {error.reason}", lasting=error.code in (404, 410)
                         ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise FetchError(f"unreachable: {reason}") from None


def read_feed(body: bytes) -> list[Item]:
    """Return the entries of an RSS/Atom document, or FetchError when it is none.

    feedparser reads broken feeds loosely; one that is broken (``bozo``) and
    yields no entry with a link or an id is malformed, as is a document that is
    no feed at all.
    """
    parsed = feedparser.parse(body)
    found = [item for item in (_item(e) for e in parsed.entries) if item is not None]
    if not found and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom entries"
        raise FetchError(f"malformed feed: {str(problem)[:200]}")
    return found


def _item(entry: Any) -> Item | None:
    link = entry.get("link") or None
    key = link or entry.get("id")
    if not key:
        return None
    content = entry.get("content")
    body = content[0].get("value") if content else entry.get("summary")
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return Item(key=str(key), title=str(entry.get("title") or ""), link=link,
                published=date(*when[:3]) if when else None, content=body or None)


def read_folder(path: str) -> list[Item]:
    """Each text or HTML file of a folder is one report (by name, oldest first)."""
    files = sorted((p for p in Path(path).iterdir() if p.suffix.lower() in FOLDER_TYPES),
                   key=lambda p: (p.stat().st_mtime, p.name))
    return [Item(key=p.name, title=p.stem, link=None, published=None, content=None)
            for p in files]


def item_text(item: Item, folder: str | None, limits: Limits) -> str:
    """The text of an item: its page, its file, or what the feed carries (HTML reduced)."""
    if folder is not None:
        raw = (Path(folder) / item.key).read_bytes()
        if len(raw) > limits.item_bytes:
            raise FetchError(f"too large: {len(raw)} bytes, more than the "
                             f"{limits.item_bytes} allowed (FEED_ITEM_MAX_BYTES)", lasting=True)
        return _as_text(raw, "text/html" if item.key.lower().endswith((".html", ".htm"))
                        else "text/plain")
    if item.link and re.match(r"^https?://", item.link, re.IGNORECASE):
        body, headers = fetch(item.link, limit=limits.item_bytes, timeout=limits.timeout)
        return _as_text(body, headers.get("Content-Type", ""))
    return html_to_text(item.content or "")


def _as_text(body: bytes, content_type: str) -> str:
    """Decode a page and reduce HTML to text; refuse binary content."""
    kind = content_type.split(";")[0].strip().lower()
    if (kind and not kind.startswith(TEXT_TYPES)) or b"\x00" in body[:8192]:
        raise FetchError(f"binary content ({kind or 'NUL bytes'}), not a text or HTML page",
                         lasting=True)
    charset = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    try:
        text = body.decode(charset[1] if charset else "utf-8")
    except (LookupError, UnicodeDecodeError):
        raise FetchError("not valid text in its declared encoding (or UTF-8)",
                         lasting=True) from None
    return article_text(text) if "html" in kind or looks_like_html(text) else text


def run_feed(store: Store, feed: FeedRecord, limits: Limits) -> tuple[int, str | None]:
    """Read one feed into its map; return (items stored, the run's error or None)."""
    folder = feed.source if not re.match(r"^https?://", feed.source, re.IGNORECASE) else None
    try:
        if folder is not None:
            items = read_folder(folder)
        else:
            items = read_feed(fetch(feed.source, limit=limits.feed_bytes,
                                    timeout=limits.timeout)[0])
    except (FetchError, OSError) as error:
        return 0, str(error)
    target = store.get_map(feed.map_id, private=True)
    public = target.public if target is not None else False  # a private map's reports stay so
    stored = 0
    for item in items:
        if not store.seen_item(feed.id, item.key):
            stored += _read_item(store, feed, item, folder, limits, public=public)
    return stored, None


def _read_item(store: Store, feed: FeedRecord, item: Item, folder: str | None,
               limits: Limits, *, public: bool) -> int:
    """Store one new item on the feed's map (1), or record why not (0)."""
    try:
        text = item_text(item, folder, limits)
    except FetchError as error:
        if error.lasting:
            store.record_item(feed.id, item.key, status="refused", reason=str(error))
        return 0  # not recorded otherwise: the next run tries again
    except OSError as error:
        store.record_item(feed.id, item.key, status="refused", reason=f"unreadable: {error}")
        return 0
    digest = text_digest(text)
    if store.seen_digest(feed.map_id, digest):
        store.record_item(feed.id, item.key, status="duplicate", digest=digest,
                          reason="the same text is already on the map")
        return 0
    try:
        record = ingest(store, Submission(text=text, title=item.title[:500],
                                          source_url=item.link, published=item.published,
                                          public=public), own_map=False)
    except InputError as error:  # empty text, unstorable characters...
        store.record_item(feed.id, item.key, status="refused", reason=str(error)[:500])
        return 0
    except (KharitaError, RuntimeError) as error:  # the parser timed out or stopped: next run
        log.warning("feed %s: item %s not parsed: %s", feed.id, item.key[:200], error)
        return 0
    store.record_item(feed.id, item.key, status="stored", digest=digest,
                      document_id=record.id, map_id=feed.map_id)
    return 1


def retry_in(feed: FeedRecord, error: str | None, max_backoff: float) -> timedelta:
    """When to run again: ``every`` after a good run, doubling per failure in a row."""
    if error is None:
        return timedelta(seconds=feed.every)
    return timedelta(seconds=min(feed.every * 2 ** (feed.failures + 1), max_backoff))


def run_due(app: Flask) -> int:
    """Run every feed that is due once; return how many ran (inside an app context)."""
    store, config = get_store(), app.config
    limits = Limits.of(config)
    feeds = store.claim_due_feeds(lease=LEASE)
    for feed in feeds:
        stored, error = run_feed(store, feed, limits)
        log.info("feed %s: %d new item(s)%s", feed.id, stored, f"; {error}" if error else "")
        store.finish_feed_run(feed.id, error=error,
                              retry_in=retry_in(feed, error, config["FEED_MAX_BACKOFF"]))
    return len(feeds)


def run_worker(app: Flask, *, stop: threading.Event | None = None) -> None:
    """Run due feeds every ``FEED_POLL`` seconds until ``stop`` is set (or forever)."""
    stop = stop or threading.Event()
    with app.app_context():
        while not stop.is_set():
            run_due(app)
            stop.wait(float(app.config["FEED_POLL"]))
