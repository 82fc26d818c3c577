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
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from geo.errors import GazetteerError
from geo.gazetteer.cache import default_cache_dir, fingerprint
from geo.gazetteer.index import Gazetteer, NameEntry
from geo.records import Place

#: Bump when the tables change: the file name carries it, so an old file is not read.
SCHEMA_VERSION = 2
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
    Takes about half a minute for the full gazetteer.
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

    def keys_from(self, start: str, limit: int) -> list[str]:
        """The first ``limit`` keys at or after ``start`` in code point order (UTF-8 byte
        order, which is the same)."""
        rows = self._rows("SELECT DISTINCT key FROM entries WHERE key >= ? ORDER BY key "
                          "LIMIT ?", (start, limit))
        return [key for (key,) in rows]

    def place(self, place_id: str) -> Place:
        """The named place with this id; KeyError if the file has none."""
        rows = self._rows("SELECT id, name, type, country, population, lat, lon, bbox, names "
                          "FROM places WHERE id = ?", (place_id,))
        if not rows:
            raise KeyError(place_id)
        pid, name, ptype, country, population, lat, lon, bbox, names = rows[0]
        return Place(id=pid, name=name, type=ptype, lat=lat, lon=lon, names=json.loads(names),
                     country=country, population=population,
                     bbox=tuple(json.loads(bbox)) if bbox else None)
