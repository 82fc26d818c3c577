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


# Frames: the event stage's records (geo.frames finds them, geo.layers draws them).

@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A stretch of the input text (``text[start:end] == text``)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"start", "end", "text"}`` (the evidence shape of DESIGN.md)."""
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant:
    """A place bound to a frame in a role.

    ``mention`` is the text mention it came from, ``None`` when it was
    inferred (``via`` says how: ``coreference``, ``member`` of a group,
    ``relative`` clause attachment, ``triangle``).
    """

    role: str
    place: Place
    mention: Mention | None = None
    via: str = "mention"
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary."""
        out: dict[str, Any] = {"role": self.role, "place": self.place.id,
                               "name": self.place.name, "via": self.via}
        if self.mention is not None:
            out["span"] = [self.mention.start, self.mention.end]
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """One event frame with its participants and provenance.

    ``members`` are ISO alpha-2 codes of the states involved (pursuit,
    coalition, tripoints); ``qualifiers`` carry extents the text names
    without a place, e.g. ``neighbours`` ("the neighbouring states").
    ``date`` is the explicit date of its sentence nearest to the trigger
    (ISO 8601, ``YYYY-MM-DD`` or ``YYYY-MM``), ``None`` when the text gives none.
    ``target`` is who was attacked or struck and ``toll`` the number of people
    killed, where the text says (attacks, strikes).
    """

    type: str
    layer: str
    places: tuple[Participant, ...]
    trigger: Span
    evidence: tuple[Span, ...]
    confidence: float
    actor: str | None = None
    members: tuple[str, ...] = ()
    strength: int | None = None
    terrain: str | None = None
    status: str = "reported"
    qualifiers: tuple[str, ...] = ()
    date: str | None = None
    target: str | None = None
    toll: int | None = None
    sentence: int = 0  # the last sentence it draws on (merging follows on from it)

    def role(self, name: str) -> tuple[Participant, ...]:
        """Return the participants bound in role ``name``."""
        return tuple(p for p in self.places if p.role == name)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable view (CLI ``--frames`` and tests)."""
        return {
            "type": self.type, "layer": self.layer,
            "places": [p.to_dict() for p in self.places],
            "actor": self.actor, "members": list(self.members), "strength": self.strength,
            "terrain": self.terrain, "status": self.status,
            "qualifiers": list(self.qualifiers), "date": self.date,
            "target": self.target, "toll": self.toll,
            "confidence": round(self.confidence, 3),
            "trigger": self.trigger.to_dict(), "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedFrame:
    """A trigger whose frame could not be completed, and why."""

    type: str
    trigger: Span
    evidence: tuple[Span, ...]
    reason: str
    sentence: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable view."""
        return {"type": self.type, "reason": self.reason, "trigger": self.trigger.to_dict(),
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True, kw_only=True)
class Frames:
    """Frames found in a text and triggers skipped with a reason."""

    found: tuple[Frame, ...]
    skipped: tuple[SkippedFrame, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Partial:
    """A frame missing a required participant; it may continue an earlier frame."""

    frame: Frame
    skipped: SkippedFrame
