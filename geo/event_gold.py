"""Gold event documents (``eval/events/*.jsonl``): read, check, locate anchors.

One JSON document per line, as ``eval/events/GUIDELINE.md`` describes::

    {"id", "lang", "text", "published"?, "toponyms": [{"start", "end", "name",
     "lat", "lon", "type", "country"}], "events": [{"layer", "anchors",
     "origin"?, "actor"?, "status", "evidence": [start, end], ...}],
     "datelines"?: [[start, end]], "organisations"?: [[start, end, "name"]]}

Every check failure is an :class:`~geo.errors.InputError` naming the file,
the line and the field (``gold.jsonl:3: 'events[0].anchors[1].toponym' ...``).
Anchors become :class:`Anchor` records with their shape in EPSG:4326:

* ``{"toponym": i}``: the point of toponym ``i`` (which needs coordinates); a
  toponym of type ``country`` is its country's outline (its point is only "a
  point inside the area");
* ``{"country": "ML"}``: the country's outline from the gazetteer;
* ``{"border": ["DZ", "ML"]}``: the land border line the two countries share;
* ``{"point": [lat, lon], "radius_km": 50}``: a point reached within its radius.

An anchor also carries the largest area a matched feature may have before it
is "too coarse" (see :mod:`geo.evaluate_events`), or ``None`` when not judged.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from shapely.geometry.base import BaseGeometry

from geo import geometry as geom
from geo.errors import InputError
from geo.evaluate import read_numbered_gold
from geo.layers import layer_ids
from geo.records import Place

#: Statuses of GUIDELINE.md. Targets are expected on the default map.
TARGET_STATUSES = frozenset({"reported", "ongoing", "planned", "agreed"})
#: Background events: a feature drawn for one is neither right nor wrong.
IGNORABLE_STATUSES = frozenset({"past"})
STATUSES = TARGET_STATUSES | IGNORABLE_STATUSES | {"negated", "hypothetical"}
#: A feature matches an anchor within this distance (point anchors: their radius).
MATCH_KM = 50.0
#: Too coarse: a feature over this many times the area of the place it matched...
COARSE_FACTOR = 20.0
#: ...or over this many km² when it matched a town, camp, site or second-level unit.
COARSE_SMALL_PLACE_KM2 = 2_000_000.0
_SMALL_TYPES = frozenset({"town", "camp", "site", "admin2"})
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class UnitSource(Protocol):
    """What reading gold needs from a gazetteer (geo.gazetteer.Gazetteer answers it)."""

    def place(self, place_id: str) -> Place: ...

    def country(self, iso2: str) -> Place | None: ...

    def geometry(self, place_id: str) -> BaseGeometry | None: ...

    def areas(self) -> Iterable[str]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    """Where a gold event is, how close a feature must come, how big it may be."""

    kind: str
    shape: BaseGeometry
    reach_km: float = MATCH_KM
    coarse_km2: float | None = None
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldEvent:
    """One gold event: its layer, status, anchors (destination) and origin."""

    layer: str
    status: str
    anchors: tuple[Anchor, ...]
    origin: tuple[Anchor, ...] = ()
    actor: str | None = None
    evidence: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldDocument:
    """One checked gold document; ``where`` is ``file:line`` for messages."""

    id: str
    lang: str
    text: str
    events: tuple[GoldEvent, ...]
    published: datetime.date | None = None
    datelines: tuple[tuple[int, int], ...] = ()
    organisations: tuple[tuple[int, int], ...] = ()
    where: str = ""


def read_event_gold(path: str | Path, gazetteer: UnitSource) -> Iterator[GoldDocument]:
    """Yield the checked documents of a gold events file.

    Parameters
    ----------
    path : str or Path
        A JSON-lines file (lines end at ``"\\n"`` only).
    gazetteer : UnitSource
        Country outlines and first-level units, usually :func:`geo.gazetteer.get_gazetteer`.

    Raises
    ------
    InputError
        For an unreadable file or any document that fails a check.
    """
    units = UnitIndex(gazetteer)
    for line, raw in read_numbered_gold(path):
        yield check_document(raw, units, where=f"{path}:{line}")


class UnitIndex:
    """Country and first-level unit outlines of a gazetteer, found by code or by point.

    Trade-off: the bounding boxes of every country and first-level unit are
    listed on the first point query (a few thousand records) and kept; build
    one per gazetteer for a whole gold set (:func:`read_event_gold` does).
    """

    def __init__(self, gazetteer: UnitSource) -> None:
        self.gazetteer = gazetteer
        self._index: list[tuple[Place, tuple[float, float, float, float]]] | None = None

    def country(self, iso2: str) -> BaseGeometry | None:
        place = self.gazetteer.country(iso2) if iso2 else None
        return self.gazetteer.geometry(place.id) if place is not None else None

    def containing(self, lat: float, lon: float, kind: str, iso2: str | None) -> (
        BaseGeometry | None
    ):
        """The outline of the unit of ``kind`` (``country``/``admin1``) holding the point."""
        point = geom.point(lat, lon)
        for place, (x0, y0, x1, y1) in self._units():
            if place.type != kind or (iso2 and place.country != iso2):
                continue
            if x0 <= lon <= x1 and y0 <= lat <= y1:
                shape = self.gazetteer.geometry(place.id)
                if shape is not None and shape.covers(point):
                    return shape
        return None

    def _units(self) -> list[tuple[Place, tuple[float, float, float, float]]]:
        if self._index is None:
            places = (self.gazetteer.place(pid) for pid in self.gazetteer.areas())
            self._index = [(p, p.bbox) for p in places
                           if p.type in ("country", "admin1") and p.bbox is not None]
        return self._index


def check_document(raw: Mapping[str, Any], units: UnitIndex | UnitSource, *,
                   where: str) -> GoldDocument:
    """Check one decoded gold document and return it with located anchors.

    ``where`` (``file:line``) starts every error message.
    """
    units = units if isinstance(units, UnitIndex) else UnitIndex(units)
    check = _Checker(raw, where)
    doc_id = check.string(raw, "id")
    lang = check.string(raw, "lang")
    text = check.string(raw, "text")
    toponyms = check.items(raw, "toponyms", required=False)
    for i, t in enumerate(toponyms):
        check.named_span(t, f"toponyms[{i}]", text)
    events = tuple(check.event(e, f"events[{i}]", toponyms, units)
                   for i, e in enumerate(check.items(raw, "events")))
    return GoldDocument(
        id=doc_id, lang=lang, text=text, events=events, where=where,
        published=check.published(raw.get("published")),
        datelines=check.spans(raw, "datelines", text),
        organisations=check.spans(raw, "organisations", text),
    )


class _Checker:
    """Field checks of one document; every failure names ``where`` and the field."""

    def __init__(self, raw: Mapping[str, Any], where: str) -> None:
        self.raw = raw
        self.where = where

    def fail(self, field: str, problem: str) -> InputError:
        return InputError(f"{self.where}: '{field}' {problem}")

    def string(self, obj: Mapping[str, Any], field: str, label: str | None = None) -> str:
        value = obj.get(field)
        if not isinstance(value, str) or not value:
            got = "is missing" if field not in obj else f"is {value!r}"
            raise self.fail(label or field, f"{got}; give a non-empty string")
        return value

    def items(self, obj: Mapping[str, Any], field: str, *, required: bool = True,
              label: str | None = None) -> list[Any]:
        value = obj.get(field, None if required else [])
        if not isinstance(value, list):
            got = "is missing" if field not in obj else f"is {value!r}"
            raise self.fail(label or field, f"{got}; give a list")
        return value

    def offsets(self, start: Any, end: Any, field: str, text: str) -> tuple[int, int]:
        ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
        if not ok or not 0 <= start < end <= len(text):
            raise self.fail(field, f"is [{start!r}, {end!r}], outside the text (0-{len(text)}); "
                                   "give Python str offsets with start < end")
        return start, end

    def named_span(self, obj: Any, field: str, text: str) -> None:
        if not isinstance(obj, dict):
            raise self.fail(field, f"is {obj!r}; give an object with start, end and name")
        start, end = self.offsets(obj.get("start"), obj.get("end"), field, text)
        if text[start:end] != obj.get("name"):
            raise self.fail(f"{field}.name", f"is {obj.get('name')!r} but text[{start}:{end}] "
                                             f"is {text[start:end]!r}; fix the offsets or name")

    def spans(self, raw: Mapping[str, Any], field: str, text: str) -> tuple[tuple[int, int], ...]:
        out = []
        for i, span in enumerate(self.items(raw, field, required=False)):
            label = f"{field}[{i}]"
            if not isinstance(span, list) or len(span) not in (2, 3):
                raise self.fail(label, f"is {span!r}; give [start, end] or [start, end, name]")
            out.append(self.offsets(span[0], span[1], label, text))
            if len(span) == 3 and text[span[0]:span[1]] != span[2]:
                raise self.fail(label, f"names {span[2]!r} but text[{span[0]}:{span[1]}] is "
                                       f"{text[span[0]:span[1]]!r}; fix the offsets or name")
        return tuple(out)

    def published(self, value: Any) -> datetime.date | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise self.fail("published", f"is {value!r}; give YYYY-MM-DD, YYYY-MM or YYYY")
        try:
            return datetime.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            raise self.fail("published", f"is {value!r}, not a calendar day") from None

    def event(self, obj: Any, field: str, toponyms: Sequence[Any], units: UnitIndex) -> GoldEvent:
        if not isinstance(obj, dict):
            raise self.fail(field, f"is {obj!r}; give an event object")
        layers = [lid for lid in layer_ids() if lid != "mentions"]
        if obj.get("layer") not in layers:
            raise self.fail(f"{field}.layer", f"is {obj.get('layer')!r}; give one of "
                                              f"{', '.join(layers)}")
        if obj.get("status") not in STATUSES:
            raise self.fail(f"{field}.status", f"is {obj.get('status')!r}; give one of "
                                               f"{', '.join(sorted(STATUSES))}")
        evidence = obj.get("evidence")
        if not isinstance(evidence, list) or len(evidence) != 2:
            raise self.fail(f"{field}.evidence", f"is {evidence!r}; give [start, end]")
        text = self.raw["text"]
        span = self.offsets(evidence[0], evidence[1], f"{field}.evidence", text)
        anchors = [self.anchor(a, f"{field}.anchors[{i}]", toponyms, units)
                   for i, a in enumerate(self.items(obj, "anchors", label=f"{field}.anchors"))]
        if not anchors:
            raise self.fail(f"{field}.anchors", "is empty; give at least one anchor")
        origin = [self.anchor(a, f"{field}.origin[{i}]", toponyms, units) for i, a in
                  enumerate(self.items(obj, "origin", required=False, label=f"{field}.origin"))]
        actor = obj.get("actor")
        return GoldEvent(layer=obj["layer"], status=obj["status"], anchors=tuple(anchors),
                         origin=tuple(origin), evidence=span,
                         actor=actor if isinstance(actor, str) else None)

    def anchor(self, obj: Any, field: str, toponyms: Sequence[Any], units: UnitIndex) -> Anchor:
        forms = ('{"toponym": i}, {"country": "ML"}, {"border": ["DZ", "ML"]} or '
                 '{"point": [lat, lon], "radius_km": km}')
        kinds = [k for k in ("toponym", "country", "border", "point")
                 if isinstance(obj, dict) and k in obj]
        if len(kinds) != 1:
            raise self.fail(field, f"is {obj!r}; give one of {forms}")
        kind = kinds[0]
        build = {"toponym": self._toponym, "country": self._country, "border": self._border,
                 "point": self._point}[kind]
        return build(obj, f"{field}.{kind}", toponyms, units)

    def _toponym(self, obj: Mapping[str, Any], field: str, toponyms: Sequence[Any],
                 units: UnitIndex) -> Anchor:
        i = obj["toponym"]
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(toponyms):
            raise self.fail(field, f"is {i!r}, but the document has {len(toponyms)} toponym(s); "
                                   "give a 0-based index into 'toponyms'")
        t = toponyms[i]
        lat, lon = t.get("lat"), t.get("lon")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            raise self.fail(field, f"is {i}, toponym {t.get('name')!r} without coordinates; "
                                   "give it lat/lon or use a point anchor")
        point = self._located(field, lat, lon)
        # A country's lat/lon is "a point inside the area" (GUIDELINE.md): the place is
        # the whole country, as for a {"country": ...} anchor. A flow ending anywhere in
        # Mauritania reaches "Mauritania", wherever the annotator put its point.
        outline = (units.country(t["country"]) if t.get("type") == "country"
                   and isinstance(t.get("country"), str) else None)
        return Anchor(kind="toponym", shape=point if outline is None else outline,
                      coarse_km2=_coarse_limit(t, units), label=str(t.get("name", i)))

    def _country(self, obj: Mapping[str, Any], field: str, toponyms: Sequence[Any],
                 units: UnitIndex) -> Anchor:
        code = obj["country"]
        shape = units.country(code) if isinstance(code, str) else None
        if shape is None:
            raise self.fail(field, f"is {code!r}, not a country the gazetteer knows; give an "
                                   "ISO 3166-1 alpha-2 code")
        return Anchor(kind="country", shape=shape, coarse_km2=COARSE_FACTOR * geom.area_km2(shape),
                      label=code)

    def _border(self, obj: Mapping[str, Any], field: str, toponyms: Sequence[Any],
                units: UnitIndex) -> Anchor:
        pair = obj["border"]
        shapes = ([units.country(c) if isinstance(c, str) else None for c in pair]
                  if isinstance(pair, list) and len(pair) == 2 else [None])
        if any(s is None for s in shapes):
            raise self.fail(field, f"is {pair!r}; give two ISO alpha-2 codes the gazetteer knows")
        line = geom.shared_border(shapes[0], shapes[1])
        if line is None:
            raise self.fail(field, f"is {pair!r}, two countries without a shared land border; "
                                   "anchor each country instead")
        return Anchor(kind="border", shape=line, label="-".join(pair))

    def _point(self, obj: Mapping[str, Any], field: str, toponyms: Sequence[Any],
               units: UnitIndex) -> Anchor:
        value, radius = obj["point"], obj.get("radius_km", MATCH_KM)
        numbers = isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        if not numbers:
            raise self.fail(field, f"is {value!r}; give [lat, lon] in decimal degrees")
        if not isinstance(radius, int | float) or isinstance(radius, bool) or radius <= 0:
            raise self.fail(field.replace(".point", ".radius_km"),
                            f"is {radius!r}; give a positive number of kilometres")
        return Anchor(kind="point", shape=self._located(field, *value), reach_km=float(radius),
                      label=f"{value[0]},{value[1]}")

    def _located(self, field: str, lat: float, lon: float) -> BaseGeometry:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise self.fail(field, f"is at lat {lat}, lon {lon}; give WGS84 degrees (lat first)")
        return geom.point(lat, lon)


def _coarse_limit(toponym: Mapping[str, Any], units: UnitIndex) -> float | None:
    """Largest area (km²) a feature matching this toponym may have; None: not judged."""
    kind, code = toponym.get("type"), toponym.get("country")
    code = code if isinstance(code, str) and code else None
    if kind in _SMALL_TYPES:
        return COARSE_SMALL_PLACE_KM2
    if kind not in ("country", "admin1"):
        return None
    shape = units.country(code) if kind == "country" and code else None
    if shape is None:
        shape = units.containing(float(toponym["lat"]), float(toponym["lon"]), kind, code)
    return COARSE_FACTOR * geom.area_km2(shape) if shape is not None else None
