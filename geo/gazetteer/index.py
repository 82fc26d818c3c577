"""Offline gazetteer: places, their names in ar/fr/en, and their geometry.

CONTRACT (other modules are written against this; keep the signatures):

    @dataclass(frozen=True, slots=True)
    class NameEntry:
        place_id: str          # "" for kind == "trap"
        kind: str              # "toponym" | "demonym" | "trap"
        lang: str              # "ar" | "fr" | "en" | "*" (any language)
        name: str              # the name as written in the source data
        ambiguous: bool        # also a common word (مالي "financial"): needs context

    class Gazetteer:
        @classmethod
        def load(cls, *, cache_dir: Path | None = None, rebuild: bool = False) -> Gazetteer
            # builds the index on first use, caches it (pickle/npz) under cache_dir
            # (default: $KHARITA_CACHE_DIR or ~/.cache/kharita), loads it in <= 1 s after that
        def lookup(self, key: str) -> tuple[NameEntry, ...]     # key = normalize_key(name)
        def keys(self) -> Iterable[str]                          # every normalised key
        def automaton(self) -> ahocorasick.Automaton             # keys -> key (str), cached
        def place(self, place_id: str) -> Place                  # KeyError if unknown
        def country(self, iso2: str) -> Place | None
        def geometry(self, place_id: str) -> BaseGeometry | None # EPSG:4326, lazy, valid
        def part(self, place_id: str, direction: str) -> Place   # "<id>#north", type "part"
        def countries_of(self, place_id: str) -> tuple[str, ...] # ISO alpha-2 codes
        def curated(self) -> Iterable[Place]                     # Kharita's own places (kh:)
        def __len__(self) -> int                                 # number of places

    def get_gazetteer() -> Gazetteer  # process-wide default instance (lru_cache)
    def build_index(cache_dir: Path | None = None) -> Path     # what `kharita` calls to rebuild

Sources, ids and build: see :mod:`geo.gazetteer.build` and DESIGN.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import GazetteerError
from geo.gazetteer.build import LANG_CODES, IndexData
from geo.gazetteer.cache import (
    build_index,
    cache_path,
    default_cache_dir,
    fingerprint,
    read_pickle,
    write_pickle,
)
from geo.gazetteer.geonames import TYPES
from geo.gazetteer.regions import DIRECTIONS, part_geometry
from geo.lifetime import exempt_loaded
from geo.records import Place

__all__ = ["DIRECTIONS", "Gazetteer", "NameEntry", "build_index", "get_gazetteer"]

KIND_NAMES = ("toponym", "demonym", "trap")
#: GeoNames places and parts kept by :meth:`Gazetteer.place` (~1 KB each).
PLACE_CACHE_SIZE = 16_384
#: How "northern X" and its kin are named in each language (the web app translates with it).
PART_NAMES = {
    # French needs the article of each name ("du Mali", "de l'Algérie"): a neutral form.
    "north": ("northern {}", "{} (nord)", "شمال {}"),
    "south": ("southern {}", "{} (sud)", "جنوب {}"),
    "east": ("eastern {}", "{} (est)", "شرق {}"),
    "west": ("western {}", "{} (ouest)", "غرب {}"),
    "northeast": ("north-eastern {}", "{} (nord-est)", "شمال شرق {}"),
    "northwest": ("north-western {}", "{} (nord-ouest)", "شمال غرب {}"),
    "southeast": ("south-eastern {}", "{} (sud-est)", "جنوب شرق {}"),
    "southwest": ("south-western {}", "{} (sud-ouest)", "جنوب غرب {}"),
    "center": ("central {}", "{} (centre)", "وسط {}"),
}


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name of one place (or a trap phrase) under a normalised key."""

    place_id: str
    kind: str
    lang: str
    name: str
    ambiguous: bool = False


class Gazetteer:
    """Name index and place table, loaded from a cache built from the sources.

    Trade-offs: the 235k GeoNames places are kept as numpy columns and turned
    into :class:`Place` records on demand (fast load, ~150 MB less memory);
    geometries are loaded on the first :meth:`geometry` call and the
    Aho-Corasick automaton on the first :meth:`automaton` call, so a process
    that only looks names up never pays for them.
    """

    def __init__(self, data: IndexData, *, cache_dir: Path | None = None,
                 fp: str = "") -> None:
        self._data = data
        self._small = len(data.small_ids)
        self._cache_dir = cache_dir
        self._fp = fp
        self._automaton: ahocorasick.Automaton | None = None
        self._wkb: dict[str, bytes] | None = None
        self._shapes: dict[str, BaseGeometry | None] = {}
        self._built_place = lru_cache(maxsize=PLACE_CACHE_SIZE)(self._build_place)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, *, cache_dir: Path | None = None, rebuild: bool = False) -> Gazetteer:
        """Load the cached index, building it first if missing, stale or corrupt.

        Parameters
        ----------
        cache_dir : Path, optional
            Default ``$KHARITA_CACHE_DIR`` or ``~/.cache/kharita``.
        rebuild : bool
            Build the index even if a valid cache exists.
        """
        cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        fp = fingerprint()
        path = cache_path(cache_dir, "index", fp)
        if rebuild or not path.exists():
            build_index(cache_dir)
        try:
            data = read_pickle(path)
        except GazetteerError:
            build_index(cache_dir)  # a corrupt cache is rebuilt once, then trusted
            data = read_pickle(path)
        if not isinstance(data, IndexData):
            raise GazetteerError(f"{path} is not a Kharita gazetteer index; delete it or "
                                 f"call Gazetteer.load(rebuild=True)")
        gazetteer = cls(data, cache_dir=cache_dir, fp=fp)
        exempt_loaded()  # a million names no collector pass needs to walk again
        return gazetteer

    @property
    def cache_path(self) -> Path | None:
        """The index file this gazetteer was loaded from (None if built in memory)."""
        return cache_path(self._cache_dir, "index", self._fp) if self._cache_dir else None

    # ------------------------------------------------------------------ names
    def lookup(self, key: str) -> tuple[NameEntry, ...]:
        """Every entry whose normalised name is ``key`` (empty tuple if none)."""
        d = self._data
        row = d.key_index.get(key)
        if row is None:
            return ()
        rows = slice(int(d.offsets[row]), int(d.offsets[row + 1]))
        # One slice per column, then plain ints: cheaper than numpy scalars per entry.
        columns = (d.e_ref[rows], d.e_kind[rows], d.e_lang[rows], d.e_name[rows], d.e_flags[rows])
        rows_of = zip(*(c.tolist() for c in columns), strict=True)
        return tuple(self._entry(*fields) for fields in rows_of)

    def _entry(self, ref: int, kind: int, lang: int, name: int, flags: int) -> NameEntry:
        """The entry from its column values (see :meth:`lookup`)."""
        return NameEntry(place_id=self._place_id(ref) if ref >= 0 else "",
                         kind=KIND_NAMES[kind], lang=LANG_CODES[lang],
                         name=self._data.names[name], ambiguous=bool(flags & 1))

    def _place_id(self, ref: int) -> str:
        if ref < self._small:
            return self._data.small_ids[ref]
        return f"gn:{int(self._data.table.geonameid[ref - self._small])}"

    def keys(self) -> Iterable[str]:
        """Every normalised key of the index."""
        return self._data.key_index.keys()

    def automaton(self) -> ahocorasick.Automaton:
        """Aho-Corasick automaton over all keys (value = key), built once and cached."""
        if self._automaton is None:
            self._automaton = self._load_automaton()
        return self._automaton

    def _load_automaton(self) -> ahocorasick.Automaton:
        path = cache_path(self._cache_dir, "automaton", self._fp) if self._cache_dir else None
        if path is not None and path.exists():
            try:
                cached = read_pickle(path)
                if isinstance(cached, ahocorasick.Automaton):
                    return cached
            except GazetteerError:
                pass  # corrupt automaton cache: rebuilt below from the index
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for key in self._data.key_index:
            automaton.add_word(key, key)
        automaton.make_automaton()
        if path is not None:
            # Loading the pickle is ~2x faster than building; a read-only cache
            # only costs the next process a rebuild.
            with suppress(GazetteerError):
                write_pickle(automaton, path)
        return automaton

    # ------------------------------------------------------------------ places
    def __len__(self) -> int:
        return self._small + len(self._data.table)

    def __contains__(self, place_id: object) -> bool:
        try:
            self.place(str(place_id))
        except KeyError:
            return False
        return True

    def place(self, place_id: str) -> Place:
        """The place with this id (derived parts ``<id>#north`` included); KeyError if none."""
        found = self._data.places.get(place_id)
        if found is not None:
            return found
        # GeoNames records and parts are built on demand, and the resolver asks
        # for the same ambiguous readings again and again: keep the recent ones
        # (Place is frozen, so sharing them is safe).
        return self._built_place(place_id)

    def _build_place(self, place_id: str) -> Place:
        """A GeoNames place or a derived part, built from the tables; KeyError if none."""
        if "#" in place_id:
            base, _, direction = place_id.partition("#")
            if direction in DIRECTIONS and base in self:
                return self.part(base, direction)
        if place_id.startswith("gn:"):
            return self._gn_place(self._gn_row(place_id))
        raise KeyError(place_id)

    def _gn_row(self, place_id: str) -> int:
        try:
            row = self._data.table.row_of(int(place_id[3:]))
        except ValueError:
            raise KeyError(place_id) from None
        if row is None:
            raise KeyError(place_id)
        return row

    def _gn_place(self, row: int) -> Place:
        t = self._data.table
        country = str(t.country[row])
        a1 = int(t.admin1[row])
        names = {"en": t.name[row], **({"ar": t.name_ar[row]} if t.name_ar[row] else {})}
        names.update(self._data.gn_names.get(row, {}))
        population = int(t.population[row])
        return Place(
            id=f"gn:{int(t.geonameid[row])}", name=t.name[row], type=TYPES[t.ptype[row]],
            lat=float(t.lat[row]), lon=float(t.lon[row]), names=names, country=country,
            parent=t.admin1_ids[a1] if a1 >= 0 else self._data.country_ids.get(country),
            population=population or None, source="GeoNames cities500 (CC BY 4.0)",
        )

    def country(self, iso2: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code (case-insensitive), or None."""
        pid = self._data.country_ids.get(iso2.upper()) if iso2 else None
        return self._data.places[pid] if pid else None

    def countries_of(self, place_id: str) -> tuple[str, ...]:
        """ISO alpha-2 codes of the countries a place lies in (group members for groups)."""
        base = place_id.partition("#")[0]
        if base in self._data.region_countries:
            return self._data.region_countries[base]
        country = self.place(base).country
        return (country,) if country else ()

    def part(self, place_id: str, direction: str) -> Place:
        """A directional part of an area ("northern Mali"), id ``<id>#<direction>``.

        Geometry follows :func:`geo.gazetteer.regions.part_geometry`, unless a curated
        region declares it is that part (``part_of`` in places.yaml).
        """
        if direction not in DIRECTIONS:
            raise ValueError(f"'direction' should be one of {', '.join(DIRECTIONS)}, "
                             f"got {direction!r}")
        base = self.place(place_id)
        pid = f"{base.id}#{direction}"
        # Parts of countries and curated areas were placed when the index was
        # built; others are worked out from their geometry now.
        frame = self._data.part_frames.get(pid)
        if frame is None:
            geom = self.geometry(pid)
            if geom is not None:
                point = geom.representative_point()
                frame = (point.y, point.x, tuple(float(v) for v in geom.bounds))  # type: ignore[assignment]
        lat, lon, bbox = frame if frame is not None else (base.lat, base.lon, None)
        en, fr, ar = (t.format(n) for t, n in zip(
            PART_NAMES[direction], (base.name, base.names.get("fr", base.name),
                                     base.names.get("ar", base.name)), strict=True))
        return Place(
            id=pid, name=en, type="part", lat=lat, lon=lon, names={"en": en, "fr": fr, "ar": ar},
            country=base.country, parent=base.id, bbox=bbox, has_geometry=frame is not None,
            source=f"derived from {base.id}",
        )

    # ------------------------------------------------------------------ geometry
    def geometry(self, place_id: str) -> BaseGeometry | None:
        """EPSG:4326 shape of an area (None for point places); KeyError if unknown."""
        if place_id not in self._shapes:
            self._shapes[place_id] = self._make_geometry(place_id)
        return self._shapes[place_id]

    def _make_geometry(self, place_id: str) -> BaseGeometry | None:
        wkb = self._geometries().get(place_id)
        if wkb is not None:
            return shapely.from_wkb(wkb)
        if "#" not in place_id:
            self.place(place_id)  # KeyError for unknown ids, None for points
            return None
        override = self._data.part_overrides.get(place_id)
        if override:
            return self.geometry(override)
        base, _, direction = place_id.partition("#")
        whole = self.geometry(base)
        return part_geometry(whole, direction) if whole is not None else None

    def _geometries(self) -> dict[str, bytes]:
        if self._wkb is None:
            if self._cache_dir is None:
                raise GazetteerError("this gazetteer has no geometry cache (no cache_dir)")
            path = cache_path(self._cache_dir, "geometry", self._fp)
            self._wkb = read_pickle(path) if path.exists() else self._rebuild_geometries()
        return self._wkb

    def _rebuild_geometries(self) -> dict[str, bytes]:
        assert self._cache_dir is not None
        build_index(self._cache_dir)
        return dict(read_pickle(cache_path(self._cache_dir, "geometry", self._fp)))

    def curated(self) -> Iterable[Place]:
        """Every place Kharita defines itself (ids ``kh:``: regions, groups, towns)."""
        return (p for pid, p in self._data.places.items() if pid.startswith("kh:"))

    def areas(self) -> Iterable[str]:
        """Ids of every place with a stored geometry (countries, admin-1, curated)."""
        return self._geometries().keys()

    def gn_columns(self) -> Any:
        """The GeoNames column table (for vectorised nearest-place queries)."""
        return self._data.table


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide default gazetteer (built on first use, then cached on disk)."""
    return Gazetteer.load()
