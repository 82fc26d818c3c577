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
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
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
    """What a name search reads: the keys under a prefix with their entries, places by id,
    and the type and population of places by id."""

    def keys_under(self, prefix: str, limit: int) -> list[tuple[str, tuple[NameEntry, ...]]]: ...
    def places(self, place_ids: Sequence[str]) -> dict[str, Place]: ...
    def sizes(self, place_ids: Sequence[str]) -> dict[str, tuple[str, int | None]]: ...


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
    first: dict[str, tuple[str, str]] = {}  # place id -> the first key and name naming it
    for key, entries in names.keys_under(prefix, SCAN_KEYS):
        for entry in entries:
            if entry.kind == "toponym" and (not lang or entry.lang in (lang, "*")):
                first.setdefault(entry.place_id, (key, entry.name))
    sizes = names.sizes(list(first))
    ranked = sorted(((_rank(sizes[pid], key, prefix), pid, name)
                     for pid, (key, name) in first.items() if pid in sizes),
                    key=itemgetter(0))[:limit]
    places = names.places([pid for _rank_, pid, _name in ranked])
    return [{**place_summary(places[pid]), "matched": name} for _rank_, pid, name in ranked]


def _rank(size: tuple[str, int | None], key: str, prefix: str) -> tuple[float, ...]:
    """The exact name first, then larger kinds of place, larger populations, shorter names."""
    ptype, population = size
    return (float(key != prefix), -float(TYPE_PRECISION.get(ptype, 1)),
            -float(population or 0), float(len(key)))


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
