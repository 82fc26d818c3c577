"""Geometry of places for layers: areas, countries, terrains, neighbours.

:class:`PlaceGeometries` wraps any gazetteer answering the small
:class:`PlaceSource` protocol (``place``, ``country``, ``geometry``; ``part``
and ``lookup`` are used when present) and caches what layers ask for, so a
second build of the same text costs almost nothing. Everything is EPSG:4326.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import pycountry
from shapely.geometry.base import BaseGeometry

from geo import geometry as geom
from geo.lexicon import lexicon
from geo.normalize import normalize_key
from geo.records import Place

if TYPE_CHECKING:
    from geo.gazetteer import NameEntry

#: Point places drawn with their surroundings; ``offset`` is a point a text describes by a
#: distance and a direction from a named place (geo.frames.context.offset_mention).
_SETTLEMENTS = frozenset({"city", "town", "village", "populated_place", "offset"})


class PlaceSource(Protocol):
    """What layers need from a gazetteer (geo.gazetteer.Gazetteer answers it)."""

    def place(self, place_id: str) -> Place: ...

    def country(self, iso2: str) -> Place | None: ...

    def geometry(self, place_id: str) -> BaseGeometry | None: ...

    def lookup(self, key: str) -> tuple[NameEntry, ...]: ...


class PlaceGeometries:
    """Cached geometry lookups over a :class:`PlaceSource`.

    Trade-off: caches grow with the places asked for (a few hundred at most
    for a gazetteer of countries and regions) and are never evicted; build
    one per gazetteer and keep it (:func:`geo.layers.build_layers` does).
    """

    def __init__(self, source: PlaceSource) -> None:
        self.source = source
        self._areas: dict[str, BaseGeometry | None] = {}
        self._countries: dict[str, tuple[Place, BaseGeometry] | None] = {}
        self._terrains: dict[str, BaseGeometry | None] = {}
        self._neighbours: dict[str, tuple[Place, ...]] = {}
        self.derived: dict[Any, BaseGeometry | None] = {}  # corridors, tripoints... by key

    def country(self, iso2: str) -> tuple[Place, BaseGeometry] | None:
        """Return the country place and outline of an ISO alpha-2 code."""
        if iso2 not in self._countries:
            place = self.source.country(iso2)
            shape = self._geometry(place.id) if place is not None else None
            self._countries[iso2] = (place, shape) if place is not None and shape else None
        return self._countries[iso2]

    def area(self, place: Place) -> BaseGeometry | None:
        """Return the outline of ``place`` (derived parts, tripoints and groups too)."""
        if place.id not in self._areas:
            self._areas[place.id] = geom.repair(self._area(place))
        return self._areas[place.id]

    def _area(self, place: Place) -> BaseGeometry | None:
        if place.type == "tripoint":
            states = [self.country(c) for c in place.members]
            if any(s is None for s in states):
                return None
            return geom.tripoint_zone([s[1] for s in states if s is not None])
        shape = self._geometry(place.id)
        if shape is None and "#" in place.id:
            base, direction = place.id.split("#", 1)
            shape = self._part(base, direction)
        if shape is None and place.members:
            shape = geom.union(c[1] if c else None for c in map(self.country, place.members))
        if shape is None and place.type in _SETTLEMENTS:  # a town is a point: take its surroundings
            shape = geom.buffer_km(geom.point(place.lat, place.lon), geom.SETTLEMENT_RADIUS_KM)
        return shape

    def _part(self, base: str, direction: str) -> BaseGeometry | None:
        """Return a directional part, from the gazetteer's own recipe when it has one."""
        part = getattr(self.source, "part", None)
        if part is not None:
            try:
                derived = part(base, direction)
                shape = self._geometry(derived.id) if derived is not None else None
                if shape is not None:
                    return shape
            except (KeyError, ValueError):
                pass
        whole = self._geometry(base)
        return geom.directional_part(whole, direction) if whole is not None else None

    def _geometry(self, place_id: str) -> BaseGeometry | None:
        try:
            return self.source.geometry(place_id)
        except KeyError:
            return None

    def terrain(self, kind: str) -> BaseGeometry | None:
        """Return the outline of a terrain kind ("desert" -> the Sahara), if known."""
        if kind not in self._terrains:
            names = lexicon("terrain").get(kind, {}).get("places", [])
            self._terrains[kind] = next(
                (g for g in (self._named(n) for n in names) if g is not None), None)
        return self._terrains[kind]

    def _named(self, name: str) -> BaseGeometry | None:
        """Return the geometry of the first place the gazetteer knows by ``name``."""
        lookup = getattr(self.source, "lookup", None)
        if lookup is None:
            return None
        for entry in lookup(normalize_key(name)):
            if getattr(entry, "kind", "") == "toponym" and entry.place_id:
                shape = self._geometry(entry.place_id)
                if shape is not None:
                    return geom.repair(shape)
        return None

    def neighbours(self, area: BaseGeometry, exclude: Iterable[str] = ()) -> tuple[Place, ...]:
        """Return the countries bordering ``area`` (within about 1 km)."""
        key = f"{area.wkb_hex[:64]}:{area.bounds}"
        if key not in self._neighbours:
            near = area.buffer(geom.SNAP_DEG * 2)
            found = [c for c in map(self.country, _all_codes())
                     if c is not None and c[1].intersects(near) and not c[1].contains(area)]
            self._neighbours[key] = tuple(place for place, _ in found)
        skip = set(exclude)
        return tuple(p for p in self._neighbours[key] if p.country not in skip)


def _all_codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code (pycountry ships the list offline)."""
    return [c.alpha_2 for c in pycountry.countries]
