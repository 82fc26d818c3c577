"""Build the gazetteer index from the sources and curated files (see DESIGN.md).

:func:`build_index_data` assembles every place and name into an
:class:`IndexData` (what :class:`geo.gazetteer.Gazetteer` loads) and a dict of
WKB geometries (loaded only when a geometry is asked for). The name index is a
compressed-sparse-row table: ``key_index[key]`` is a row, and entries
``offsets[row]:offsets[row + 1]`` of the parallel ``e_*`` arrays are its
:class:`geo.gazetteer.NameEntry` fields. Loading a handful of numpy arrays and
string lists is an order of magnitude faster than unpickling a million
dataclass instances.

Build cost (measured): about 20 s and about 400 MB peak RSS.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.errors import GazetteerError
from geo.gazetteer.curated import (
    CuratedPlace,
    load_ambiguous,
    load_demonyms,
    load_places,
    load_traps,
    load_variants,
)
from geo.gazetteer.geonames import PlaceTable, TableBuilder, iter_geonames, row_names
from geo.gazetteer.regions import DIRECTIONS, LAND, build_geometry, part_geometry
from geo.gazetteer.sources import (
    SourceName,
    SourcePlace,
    main_bbox,
    read_admin1,
    read_countries,
)
from geo.normalize import normalize_key
from geo.records import Place

KINDS = ("toponym", "demonym", "trap")
LANG_CODES = ("ar", "fr", "en", "*")
FLAG_AMBIGUOUS = 1
#: Sovereign states first when several Natural Earth units share an ISO code (FR, AU...).
_COUNTRY_RANK = {"Sovereign country": 0, "Country": 1}
#: A region "is in" a country when at least this share of the region's area lies there.
REGION_COUNTRY_SHARE = 0.02


#: A directional part's representative point and bounds: (lat, lon, bbox).
PartFrame = tuple[float, float, tuple[float, float, float, float]]


@dataclass(slots=True)
class IndexData:
    """Everything the runtime gazetteer needs except geometries (pickled as one object)."""

    places: dict[str, Place]
    table: PlaceTable
    country_ids: dict[str, str]
    small_ids: list[str]
    key_index: dict[str, int]
    offsets: NDArray[np.int64]
    e_ref: NDArray[np.int32]
    e_kind: NDArray[np.uint8]
    e_lang: NDArray[np.uint8]
    e_flags: NDArray[np.uint8]
    e_name: NDArray[np.int32]
    names: list[str]
    gn_names: dict[int, dict[str, str]] = field(default_factory=dict)
    region_countries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    part_overrides: dict[str, str] = field(default_factory=dict)
    #: ``<id>#<direction>`` -> where its part's Place stands (see :func:`part_frames`).
    part_frames: dict[str, PartFrame] = field(default_factory=dict)


#: Names whose article French contracts with à/de (au, du, aux, des).
_FRENCH_ARTICLE = re.compile(r"^Les? (\w.+)$")


class _NameIndex:
    """Accumulates name entries as integer columns, de-duplicated at :meth:`freeze`.

    Columns of ints (not a dict of tuples) keep the 620k entries of a full
    build to a few MB, which is what holds the build under 600 MB RSS.
    """

    COLUMNS = ("key", "ref", "kind", "mask", "flag", "name")

    def __init__(self, ambiguous: Mapping[str, set[str]]) -> None:
        self.key_ids: dict[str, int] = {}
        self.name_ids: dict[str, int] = {}
        self.cols = {c: array("i") for c in self.COLUMNS}
        self.ambiguous = {normalize_key(n) for names in ambiguous.values() for n in names}

    def add(self, ref: int, name: SourceName) -> None:
        key = normalize_key(name.name)
        if len(key) < 2:
            return
        kind = KINDS.index(name.kind)
        cols = self.cols
        cols["key"].append(self.key_ids.setdefault(key, len(self.key_ids)))
        cols["ref"].append(ref)
        cols["kind"].append(kind)
        cols["mask"].append(1 << LANG_CODES.index(name.lang))
        cols["flag"].append(int(name.ambiguous or (kind == 0 and key in self.ambiguous)))
        cols["name"].append(self.name_ids.setdefault(name.name, len(self.name_ids)))
        elided = _FRENCH_ARTICLE.match(name.name) if name.lang in ("fr", "*") else None
        if elided and name.kind == "toponym":
            # "au Locle", "du Havre": French contracts the article of "Le
            # Locle" into the preposition, leaving the bare name.
            self.add(ref, SourceName(elided.group(1), "fr"))

    def freeze(self) -> dict[str, Any]:
        """The CSR arrays of :class:`IndexData`: one entry per (key, place, kind)."""
        raw = {c: np.frombuffer(self.cols[c], dtype=np.int32) for c in self.COLUMNS}
        order = np.lexsort((raw["kind"], raw["ref"], raw["key"]))  # stable: first name wins
        col = {c: a[order] for c, a in raw.items()}
        new = np.ones(len(order), dtype=bool)
        new[1:] = ((col["key"][1:] != col["key"][:-1]) | (col["ref"][1:] != col["ref"][:-1])
                   | (col["kind"][1:] != col["kind"][:-1]))
        starts = np.flatnonzero(new)
        mask = np.bitwise_or.reduceat(col["mask"], starts)
        # One language bit -> that language; several -> "*" (index 3).
        lang_of_mask = np.full(16, LANG_CODES.index("*"), dtype=np.uint8)
        lang_of_mask[[1, 2, 4, 8]] = [0, 1, 2, 3]
        counts = np.bincount(col["key"][starts], minlength=len(self.key_ids))
        return {
            "key_index": self.key_ids,
            "offsets": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            "e_ref": col["ref"][starts].copy(),
            "e_kind": col["kind"][starts].astype(np.uint8),
            "e_lang": lang_of_mask[mask],
            "e_flags": np.bitwise_or.reduceat(col["flag"], starts).astype(np.uint8),
            "e_name": col["name"][starts].copy(),
            "names": list(self.name_ids),
        }


def main_country_ids(countries: Iterable[SourcePlace]) -> dict[str, str]:
    """ISO alpha-2 -> id of the main Natural Earth unit carrying that code."""
    best: dict[str, tuple[Any, str]] = {}
    for c in countries:
        if not c.country:
            continue
        rank = (_COUNTRY_RANK.get(c.extra["ne_type"], 2), -c.extra["pop_est"])
        if c.country not in best or rank < best[c.country][0]:
            best[c.country] = (rank, c.id)
    return {iso: pid for iso, (_, pid) in best.items()}


def curated_place(entry: CuratedPlace, shapes: dict[str, BaseGeometry]) -> SourcePlace:
    """Turn a curated entry into a :class:`SourcePlace`, evaluating its geometry recipe."""
    raw = entry.raw
    names = {lang: n.name for n in reversed(entry.names) for lang in [n.lang] if lang != "*"}
    display = names.get("en") or entry.names[0].name
    geom = None
    if "geometry" in raw:
        geom = build_geometry(raw["geometry"], _resolver(shapes))
        shapes[entry.id] = geom
        point = geom.representative_point()
        lat, lon = point.y, point.x
        bbox = main_bbox(geom) if geom.geom_type.endswith("Polygon") else geom.bounds
    else:
        lat, lon = (float(v) for v in raw["point"])
        bbox = None
    return SourcePlace(
        id=entry.id, name=display, type=entry.type, lat=lat, lon=lon, names=names,
        variants=list(entry.names), country=raw.get("country"), parent=raw.get("parent"),
        population=raw.get("population"), bbox=tuple(bbox) if bbox else None,
        members=tuple(raw.get("members") or ()), geometry=geom,
        source=str(raw.get("source") or raw.get("note") or ""),
    )


def _resolver(shapes: dict[str, BaseGeometry]) -> Any:
    def resolve(pid: str) -> BaseGeometry:
        if pid == LAND and LAND not in shapes:
            # Every country once, made when a sea first asks for it.
            shapes[LAND] = unary_union([g for k, g in shapes.items() if k.startswith("iso:")])
        if pid not in shapes:
            raise GazetteerError(f"geometry recipe names unknown place {pid!r}")
        return shapes[pid]
    return resolve


def to_place(sp: SourcePlace) -> Place:
    """Freeze a :class:`SourcePlace` into the public :class:`Place` record."""
    return Place(id=sp.id, name=sp.name, type=sp.type, lat=sp.lat, lon=sp.lon,
                 names=dict(sp.names), country=sp.country, parent=sp.parent,
                 population=sp.population, bbox=sp.bbox, members=sp.members,
                 has_geometry=sp.geometry is not None, source=sp.source)


def admin1_codes(admin1: Iterable[SourcePlace]) -> dict[str, str]:
    """GeoNames admin-1 code (``"ML.03"``) -> Natural Earth admin-1 id."""
    return {a.extra["gn_a1_code"]: a.id for a in admin1 if a.extra.get("gn_a1_code")}


def region_countries(sp: SourcePlace, countries: Mapping[str, BaseGeometry]) -> tuple[str, ...]:
    """ISO codes of the countries a curated area lies in (members for groups)."""
    if sp.members:
        return sp.members
    if sp.country:
        return (sp.country,)
    geom = sp.geometry
    if geom is None:
        return ()
    if not geom.geom_type.endswith("Polygon"):
        return tuple(sorted(iso for iso, c in countries.items() if c.intersects(geom)))
    return tuple(sorted(iso for iso, c in countries.items()
                        if c.intersects(geom)
                        and c.intersection(geom).area >= REGION_COUNTRY_SHARE * geom.area))


class _Assembly:
    """State of one index build: places, GeoNames table, names, geometries."""

    def __init__(self) -> None:
        self.countries = list(read_countries())
        self.country_ids = main_country_ids(self.countries)
        self.admin1 = list(read_admin1())
        for a in self.admin1:
            a.parent = self.country_ids.get(a.country or "")
        self.shapes: dict[str, BaseGeometry] = {
            p.id: p.geometry for p in self.countries + self.admin1 if p.geometry is not None}
        self.shapes.update({f"iso:{iso}": self.shapes[cid]
                            for iso, cid in self.country_ids.items()})
        self.curated = [curated_place(c, self.shapes) for c in load_places()]
        self.small = self.countries + self.admin1 + self.curated
        self.ref = {p.id: i for i, p in enumerate(self.small)}
        self.names = _NameIndex(load_ambiguous())
        self.gn_names: dict[int, dict[str, str]] = defaultdict(dict)

    def add_geonames(self) -> PlaceTable:
        """Stream GeoNames into the table and the name index (never all in memory)."""
        builder, base = TableBuilder(), len(self.small)
        for row in iter_geonames():
            ref = base + builder.append(row)
            for lang, name in row_names(row):
                self.names.add(ref, SourceName(name, lang))
        return builder.build(admin1_codes(self.admin1))

    def add_small_names(self) -> None:
        for ref, place in enumerate(self.small):
            for name in place.variants:
                self.names.add(ref, name)

    def add_variants(self, table: PlaceTable) -> None:
        for pid, names in load_variants():
            ref = self.place_ref(pid, table)
            for name in names:
                self.names.add(ref, name)
            self._display_names(ref, names)

    def _display_names(self, ref: int, names: list[SourceName]) -> None:
        """Curated spellings become the display name where a language has none yet."""
        first = {n.lang: n.name for n in reversed(names) if n.lang in ("ar", "fr")}
        if ref < len(self.small):
            target = self.small[ref].names
            for lang, name in first.items():
                target.setdefault(lang, name)
        else:
            self.gn_names[ref - len(self.small)].update(first)

    def place_ref(self, pid: str, table: PlaceTable) -> int:
        """Index reference of a place id (GeoNames rows come after the other places)."""
        if pid in self.ref:
            return self.ref[pid]
        if pid.startswith("gn:"):
            row = table.row_of(int(pid[3:]))
            if row is not None:
                return len(self.small) + row
        raise GazetteerError(f"variants.yaml names unknown place {pid!r}")

    def add_demonyms_and_traps(self) -> None:
        for iso2, forms in load_demonyms():
            cid = self.country_ids.get(iso2)
            if cid is None:
                raise GazetteerError(f"demonyms.yaml: no country with ISO code {iso2!r}")
            for form in forms:
                self.names.add(self.ref[cid], form)
        for trap in load_traps():
            self.names.add(-1, trap)


def build_index_data() -> tuple[IndexData, dict[str, bytes]]:
    """Read every source and curated file; return the index and WKB geometries."""
    asm = _Assembly()
    table = asm.add_geonames()
    asm.add_small_names()
    asm.add_variants(table)
    asm.add_demonyms_and_traps()
    country_shapes = {iso: asm.shapes[cid] for iso, cid in asm.country_ids.items()}
    overrides = {f"{p['place']}#{p['direction']}": c.id for c in load_places()
                 for p in [c.raw.get("part_of") or {}] if p}
    data = IndexData(
        places={p.id: to_place(p) for p in asm.small}, table=table,
        country_ids=asm.country_ids, small_ids=[p.id for p in asm.small],
        gn_names=dict(asm.gn_names),
        region_countries={p.id: region_countries(p, country_shapes) for p in asm.curated},
        part_overrides=overrides, **asm.names.freeze(),
    )
    geometries = {p.id: shapely.to_wkb(p.geometry) for p in asm.small if p.geometry is not None}
    data.part_frames = part_frames([p.id for p in asm.countries + asm.curated],
                                   geometries, overrides)
    return data, geometries


def part_frames(
    ids: Iterable[str], geometries: Mapping[str, bytes], overrides: Mapping[str, str]
) -> dict[str, PartFrame]:
    """Representative point and bounds of every directional part of ``ids``
    (countries and curated areas: what "northern X" usually names).

    Working a part out takes milliseconds (a clip of the whole area), and a
    mention's Place needs only where it stands; the part's geometry itself is
    still made when asked for. Same inputs as at run time (the stored WKB),
    so the same numbers.
    """
    frames: dict[str, PartFrame] = {}
    for base in ids:
        if base not in geometries:
            continue
        whole = shapely.from_wkb(geometries[base])
        for direction in DIRECTIONS:
            pid = f"{base}#{direction}"
            override = overrides.get(pid)
            if override is not None:
                geom = shapely.from_wkb(geometries[override]) if override in geometries else None
            else:
                geom = part_geometry(whole, direction)
            if geom is None or geom.is_empty:
                continue
            point = geom.representative_point()
            bbox = tuple(float(v) for v in geom.bounds)
            frames[pid] = (point.y, point.x, bbox)  # type: ignore[assignment]
    return frames
