"""Name search over the offline gazetteer: what an editor's autocomplete asks.

The web process answers from the gazetteer's SQLite name file
(:class:`geo.gazetteer.namedb.NameDB`, written by ``kharita index``), not from
the in-memory index the parse workers load: the editor's lookups cost a few MB
of page cache instead of the index's hundreds. A query reads the first
:data:`SCAN_KEYS` normalised keys under a prefix (one B-tree range scan); the
exact name comes first, then larger kinds of place (countries before towns) and
larger populations.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Flask, current_app

from geo.errors import InputError
from geo.gazetteer import NameEntry
from geo.gazetteer.namedb import NameDB
from geo.language import LANGUAGES
from geo.normalize import normalize_key
from geo.records import Place
from geo.resolve import TYPE_PRECISION
from webapp.corrections import place_summary

LIMIT = 10
SCAN_KEYS = 400
MAX_QUERY = 100
EXTENSION = "kharita.names"


class NameSource(Protocol):
    """What a name search reads: keys in order, the entries of a key, a place by id."""

    def keys_from(self, start: str, limit: int) -> list[str]: ...
    def lookup(self, key: str) -> tuple[NameEntry, ...]: ...
    def place(self, place_id: str) -> Place: ...


def search(names: NameSource, query: str, lang: str | None = None, *, limit: int = LIMIT
           ) -> list[dict[str, Any]]:
    """Places whose name in ``lang`` (any language if None) starts with ``query``."""
    if lang is not None and lang not in LANGUAGES:
        raise InputError(f"lang: expected one of {', '.join(LANGUAGES)}, got {lang[:20]!r}")
    if len(query) > MAX_QUERY:
        raise InputError(f"q: at most {MAX_QUERY} characters")
    prefix = normalize_key(query)
    if not prefix:
        return []
    found: dict[str, tuple[tuple[float, ...], str]] = {}
    for key in names.keys_from(prefix, SCAN_KEYS):
        if not key.startswith(prefix):
            break
        for entry in names.lookup(key):
            if entry.kind != "toponym" or (lang and entry.lang not in (lang, "*")):
                continue
            if entry.place_id in found:
                continue
            try:
                place = names.place(entry.place_id)
            except KeyError:
                continue
            rank = (float(key != prefix), -float(TYPE_PRECISION.get(place.type, 1)),
                    -float(place.population or 0), float(len(key)))
            found[entry.place_id] = (rank, entry.name)
    best = sorted(found.items(), key=lambda item: item[1][0])[:limit]
    return [{**place_summary(names.place(place_id)), "matched": name}
            for place_id, (_rank, name) in best]


@dataclass
class _Names:
    """The app's name file, opened on first use."""

    value: NameDB | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    """Give ``app`` a slot for its name file (opened by the first lookup)."""
    app.extensions[EXTENSION] = _Names()


def get_names() -> NameDB:
    """The gazetteer name file of the current app, opened once."""
    holder: _Names = current_app.extensions[EXTENSION]
    with holder.lock:
        if holder.value is None:
            holder.value = NameDB.open()
    return holder.value
