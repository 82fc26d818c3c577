"""The gazetteer's names and places as a small SQLite file, for lookups without the index.

A process that only looks names up (the web app's correction editor: name
search, the readings of a mention) does not need the in-memory index of
:class:`geo.gazetteer.Gazetteer` (about 550 MB). :func:`write_name_db` copies
what such lookups read into ``names-<fingerprint>-v<N>.sqlite`` beside the
index files; :class:`NameDB` answers from it through SQLite's page cache, so
the process stays small.

Two tables: ``entries`` (normalised key, position, place id, kind, language,
name, ambiguity), keyed by ``(key, seq)`` so one B-tree serves both exact
lookups and prefix scans in the order of :meth:`Gazetteer.keys` sorted, and
``places`` (id, name, type, country, population, lat/lon, bbox, names in each
language). Traps (phrases of no place, ``place_id`` empty) are kept, so the keys
are exactly the index's and a prefix scan reads the same window. The file is
derived from the index and rewritten from it when missing; its name carries the
index's fingerprint, so a stale one is never read.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, suppress
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from geo.errors import GazetteerError
from geo.gazetteer.cache import default_cache_dir, fingerprint
from geo.gazetteer.index import Gazetteer, NameEntry
from geo.records import Place

#: Bump when the tables change: the file name carries it, so an old file is not read.
SCHEMA_VERSION = 2
#: Ids per ``IN (...)`` query, well under SQLite's limit on parameters.
_BATCH = 500
_SCHEMA = """
CREATE TABLE entries (key TEXT NOT NULL, seq INTEGER NOT NULL, place_id TEXT NOT NULL,
    kind TEXT NOT NULL, lang TEXT NOT NULL, name TEXT NOT NULL, ambiguous INTEGER NOT NULL,
    PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE places (id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
    country TEXT, population INTEGER, lat REAL NOT NULL, lon REAL NOT NULL,
    bbox TEXT, names TEXT NOT NULL) WITHOUT ROWID;
"""


def name_db_path(cache_dir: Path, fp: str) -> Path:
    """Where the name file of index fingerprint ``fp`` lives in ``cache_dir``."""
    return cache_dir / f"names-{fp}-v{SCHEMA_VERSION}.sqlite"


def write_name_db(gazetteer: Gazetteer, path: Path) -> Path:
    """Write every place name of ``gazetteer`` and the places they name to ``path``.

    Written to a temporary file and renamed, so readers never see half a file.
    Takes about ten seconds for the full gazetteer (58 MB).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(tmp)) as conn:
            conn.executescript(_SCHEMA)
            ids: dict[str, None] = {}
            conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                             _entry_rows(gazetteer, ids))
            conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             _place_rows(gazetteer, ids))
            conn.commit()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(f"cannot write the gazetteer name file {path} ({exc}); point "
                             f"KHARITA_CACHE_DIR at a writable directory") from exc
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
    return path


def _entry_rows(gazetteer: Gazetteer, ids: dict[str, None]) -> Iterator[tuple[Any, ...]]:
    """One row per entry of the index, noting each place id in ``ids``."""
    for key in gazetteer.keys():  # noqa: SIM118 (a Gazetteer is not a dict)
        for seq, entry in enumerate(gazetteer.lookup(key)):
            if entry.place_id:
                ids[entry.place_id] = None
            yield (key, seq, entry.place_id, entry.kind, entry.lang, entry.name,
                   int(entry.ambiguous))


def _place_rows(gazetteer: Gazetteer, ids: dict[str, None]) -> Iterator[tuple[Any, ...]]:
    """One row per named place the gazetteer holds (an id it cannot build is left out)."""
    for place_id in ids:
        try:
            p = gazetteer.place(place_id)
        except KeyError:
            continue
        yield (p.id, p.name, p.type, p.country, p.population, p.lat, p.lon,
               json.dumps(list(p.bbox)) if p.bbox else None,
               json.dumps(dict(p.names), ensure_ascii=False))


class NameDB:
    """Read-only lookups of names and places in the SQLite name file.

    Trade-offs: a place comes back with what an editor needs to tell places
    apart (names, type, country, population, point, bbox), not its parent,
    members or geometry; ask :class:`Gazetteer` for those. One connection is
    shared by the threads of a process behind a lock: each query takes well
    under a millisecond, and SQLite's page cache (a few MB) stays warm.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         check_same_thread=False)
            self._conn.execute("SELECT 1 FROM entries LIMIT 1")
        except sqlite3.Error as exc:
            raise GazetteerError(f"gazetteer name file {path} is unreadable ({exc}); "
                                 f"rebuild it with `kharita index --rebuild`") from exc
        self._lock = threading.Lock()

    @classmethod
    def open(cls, *, cache_dir: Path | None = None, gazetteer: Gazetteer | None = None
             ) -> NameDB:
        """Open the name file of the current index, writing it first if it is missing.

        It is written from ``gazetteer`` if given, else from the index loaded
        once for the purpose (``kharita index`` writes it ahead of time, so a
        server normally never loads the index for it).
        """
        cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        path = name_db_path(cache_dir, fingerprint())
        if not path.exists():
            write_name_db(gazetteer or Gazetteer.load(cache_dir=cache_dir), path)
        return cls(path)

    def close(self) -> None:
        """Close the connection (the object is unusable afterwards)."""
        self._conn.close()

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def lookup(self, key: str) -> tuple[NameEntry, ...]:
        """Entries under ``key`` (a normalised key), in the index's order, as
        :meth:`Gazetteer.lookup` gives them."""
        rows = self._rows("SELECT place_id, kind, lang, name, ambiguous FROM entries "
                          "WHERE key = ? ORDER BY seq", (key,))
        return tuple(NameEntry(place_id=p, kind=k, lang=lang, name=n, ambiguous=bool(a))
                     for p, k, lang, n, a in rows)

    def keys_under(self, prefix: str, limit: int) -> list[tuple[str, tuple[NameEntry, ...]]]:
        """The first ``limit`` keys that start with ``prefix``, in code point order, each with
        its entries: one range scan of the key index (UTF-8 byte order is code point order)."""
        bound, args = "", [prefix]
        if prefix and prefix[-1] != chr(0x10FFFF):  # every key under prefix sorts before it
            bound = "AND key < ? "
            args.append(prefix[:-1] + _next_char(prefix[-1]))
        rows = self._rows(
            "SELECT key, place_id, kind, lang, name, ambiguous FROM entries WHERE key IN "
            f"(SELECT DISTINCT key FROM entries WHERE key >= ? {bound}ORDER BY key LIMIT ?) "
            "ORDER BY key, seq", (*args, limit))
        return [(key, tuple(NameEntry(place_id=p, kind=k, lang=lang, name=n, ambiguous=bool(a))
                            for _key, p, k, lang, n, a in group))
                for key, group in groupby(rows, key=itemgetter(0))
                if key.startswith(prefix)]

    def place(self, place_id: str) -> Place:
        """The named place with this id; KeyError if the file has none."""
        found = self.places([place_id])
        if place_id not in found:
            raise KeyError(place_id)
        return found[place_id]

    def places(self, place_ids: Sequence[str]) -> dict[str, Place]:
        """The named places of these ids, by id (ids the file lacks are left out)."""
        rows = self._rows_of("id, name, type, country, population, lat, lon, bbox, names",
                             place_ids)
        return {row[0]: _place(row) for row in rows}

    def sizes(self, place_ids: Sequence[str]) -> dict[str, tuple[str, int | None]]:
        """Type and population of the places of these ids (what ranks them), by id: cheaper
        than :meth:`places` when hundreds of places are ranked and ten are shown."""
        return {pid: (ptype, population)
                for pid, ptype, population in self._rows_of("id, type, population", place_ids)}

    def _rows_of(self, columns: str, place_ids: Sequence[str]) -> list[tuple[Any, ...]]:
        """``columns`` of the ``places`` rows of these ids, a batch of ids per query."""
        rows = []
        for at in range(0, len(place_ids), _BATCH):
            batch = tuple(place_ids[at:at + _BATCH])
            rows += self._rows(f"SELECT {columns} FROM places WHERE id IN "
                               f"({', '.join('?' * len(batch))})", batch)
        return rows


def _next_char(char: str) -> str:
    """The character after ``char`` that SQLite can store (UTF-8 has no surrogates)."""
    code = ord(char) + 1
    return chr(0xE000 if 0xD800 <= code < 0xE000 else code)


def _place(row: tuple[Any, ...]) -> Place:
    """A place from its row of the ``places`` table."""
    pid, name, ptype, country, population, lat, lon, bbox, names = row
    return Place(id=pid, name=name, type=ptype, lat=lat, lon=lon, names=json.loads(names),
                 country=country, population=population,
                 bbox=tuple(json.loads(bbox)) if bbox else None)
