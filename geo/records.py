"""Typed records passed between the geoparsing stages.

Every stage boundary speaks these frozen dataclasses, never loose dicts: the
extractor yields :class:`Candidate` spans, the resolver turns them into
:class:`Mention` records carrying a :class:`Place` (or a reason for the miss),
and :func:`geo.geoparse` returns a :class:`GeoparseResult`. ``to_dict`` gives
the public JSON shape documented in DESIGN.md ("Mention" contract).

Coordinates are always WGS84 ``lat``/``lon`` fields; bounding boxes are
``(min_lon, min_lat, max_lon, max_lat)`` as in RFC 7946.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: ``toponym``: a place's name; ``demonym``: a nationality or adjective
#: pointing to its country ("malien"); ``reference``: a phrase standing for
#: places without being a place name, a part of "the country" ("شمال البلاد",
#: "le nord du pays") or a named group of states ("ECOWAS", "the field states").
MentionKind = Literal["toponym", "demonym", "reference"]
BBox = tuple[float, float, float, float]

#: UCDP ``where_prec`` scale used for ``precision``.
PRECISION_EXACT = 1
PRECISION_NEAR = 2
PRECISION_ADMIN2 = 3
PRECISION_ADMIN1 = 4
PRECISION_REGION = 5
PRECISION_COUNTRY = 6
PRECISION_INTERNATIONAL = 7


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """One gazetteer entry.

    ``id`` is stable across index rebuilds: ``ne:admin0:MLI`` (Natural Earth
    country by ADM0_A3), ``ne:admin1:<adm1_code>``, ``gn:<geonameid>``
    (GeoNames populated place) or ``kh:<slug>`` (curated by Kharita).
    Derived parts of an area ("northern Mali") use ``<id>#north``.
    """

    id: str
    name: str
    type: str
    lat: float
    lon: float
    names: Mapping[str, str] = field(default_factory=dict)
    country: str | None = None
    parent: str | None = None
    population: int | None = None
    bbox: BBox | None = None
    members: tuple[str, ...] = ()
    has_geometry: bool = False
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the public JSON shape of the place."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "names": dict(self.names),
            "type": self.type,
            "country": self.country,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "bbox": [round(v, 6) for v in self.bbox] if self.bbox else None,
        }
        if self.parent:
            out["parent"] = self.parent
        if self.population:
            out["population"] = self.population
        if self.members:
            out["members"] = list(self.members)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A span of text that matches one or more gazetteer names.

    ``start``/``end`` are ``str`` indices into the original text, so
    ``text[start:end] == surface``. ``key`` is the normalised name that
    matched and ``place_ids`` every place carrying that name (the resolver
    chooses). ``prefix`` is the Arabic proclitic/article kept inside the span
    (e.g. ``"و"`` for ``ومالي``), empty otherwise. ``ambiguous`` marks names
    that are also common words ("مالي" is also "financial").
    """

    start: int
    end: int
    surface: str
    key: str
    place_ids: tuple[str, ...]
    kind: MentionKind = "toponym"
    prefix: str = ""
    direction: str | None = None
    ambiguous: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A place mention in a text, resolved or not (public contract)."""

    start: int
    end: int
    surface: str
    kind: MentionKind
    place: Place | None
    precision: int | None
    confidence: float
    sentence: tuple[int, int]
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the public JSON shape documented in DESIGN.md."""
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "kind": self.kind,
            "place": self.place.to_dict() if self.place else None,
            "precision": self.precision,
            "confidence": round(self.confidence, 3),
            "sentence": list(self.sentence),
        }
        if self.place is None:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class GeoparseResult:
    """Everything :func:`geo.geoparse` found in one text."""

    text: str
    lang: str
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]

    @property
    def resolved(self) -> tuple[Mention, ...]:
        """Mentions that carry a place."""
        return tuple(m for m in self.mentions if m.place is not None)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"lang", "mentions"}`` in the public JSON shape."""
        return {"lang": self.lang, "mentions": [m.to_dict() for m in self.mentions]}
