"""Layer features built from frames: one small recipe per frame type.

Each recipe turns a :class:`~geo.frames.Frame` into :class:`LayerFeature`
records with geometry from :mod:`geo.geometry` (EPSG:4326), or reasons why
it cannot (states without a shared border, a place without an outline).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo import geometry as geom
from geo.placegeometry import PlaceGeometries
from geo.records import PRECISION_REGION, Frame, Participant, Place, Span

#: Point geometry is kept for places at least this precise (towns, sites).
_POINT_PRECISION = 3
#: Roles a deployment is drawn at: where the forces are or are going.
_SHOWN_ROLES = frozenset({"location", "destination", "route"})


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerFeature:
    """One map feature with its provenance (DESIGN.md "Layer features").

    ``mentions`` are the spans of the place mentions the feature was drawn
    from (its frame's participants that came from the text, for the places
    it shows). They are for scoring (``kharita eval --events``), not a map
    property: :meth:`row` leaves them out, so layers and exports do not change.
    """

    layer: str
    name: str
    geometry: BaseGeometry
    confidence: float
    precision: int
    evidence: tuple[Span, ...]
    trigger: str | None = None
    actor: str | None = None
    members: tuple[str, ...] = ()
    strength: int | None = None
    status: str | None = None
    width_km: float | None = None
    date: str | None = None
    date_source: str | None = None
    places: tuple[str, ...] = ()
    terrain: str | None = None
    inferred: str | None = None
    mentions: tuple[Span, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """Return the GeoDataFrame row (properties plus ``geometry``)."""
        return {
            "layer": self.layer, "name": self.name, "confidence": round(self.confidence, 3),
            "precision": self.precision, "evidence": [e.to_dict() for e in self.evidence],
            "trigger": self.trigger, "actor": self.actor, "members": list(self.members),
            "strength": self.strength, "status": self.status, "width_km": self.width_km,
            "date": self.date, "date_source": self.date_source, "places": list(self.places),
            "terrain": self.terrain,
            "inferred": self.inferred, **self.extra, "geometry": self.geometry,
        }


Recipe = Callable[[Frame, PlaceGeometries], Iterator["LayerFeature | str"]]


def _precision(places: tuple[Participant, ...]) -> int:
    """The coarsest frame precision is a region (5) unless every place is finer."""
    values = [_place_precision(p.place) for p in places]
    return min(max(values), PRECISION_REGION) if values else PRECISION_REGION


def _place_precision(place: Place) -> int:
    return {"country": 6, "group": 6, "admin1": 4, "city": 1, "town": 1, "village": 1}.get(
        place.type, PRECISION_REGION)


def _feature(frame: Frame, shape: BaseGeometry, name: str, **extra: Any) -> LayerFeature:
    """Assemble a feature with the frame's common properties."""
    fields: dict[str, Any] = {
        "layer": frame.layer, "name": name, "geometry": shape,
        "confidence": frame.confidence, "precision": _precision(frame.places),
        "evidence": frame.evidence, "trigger": frame.trigger.text, "actor": frame.actor,
        "members": frame.members, "strength": frame.strength, "status": frame.status,
        "places": tuple(p.place.id for p in frame.places), "terrain": frame.terrain,
        "date": frame.date, "date_source": "text" if frame.date else None,
    }
    fields["extra"] = {k: v for k, v in (("target", frame.target), ("toll", frame.toll))
                       if v is not None}
    fields.update(extra)
    fields.setdefault("mentions", _mention_spans(frame.places, fields["places"]))
    return LayerFeature(**fields)


def _mention_spans(participants: tuple[Participant, ...], places: tuple[str, ...]) -> (
    tuple[Span, ...]
):
    """Spans of the participants' text mentions, for the places a feature shows.

    Coreference terms ("the country") count; stand-ins without text (a
    triangle inferred from its states) do not.
    """
    shown = set(places)
    return tuple(Span(start=p.mention.start, end=p.mention.end, text=p.mention.surface)
                 for p in participants if p.mention is not None and p.place.id in shown
                 and p.mention.end > p.mention.start)


def _names(places: tuple[Participant, ...]) -> str:
    return " / ".join(dict.fromkeys(p.place.name for p in places))


def area_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """One feature over the union of the frame's places (control, strike, sanctuary)."""
    shapes = [geoms.area(p.place) for p in frame.places]
    missing = [p.place.name for p, s in zip(frame.places, shapes, strict=True) if s is None]
    if missing:
        yield f"no outline for {', '.join(missing)}"
    shape = geom.union(shapes)
    if shape is not None:
        yield _feature(frame, shape, _names(frame.places))


def each_place_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """One feature per place (risk zones: each state is a zone of its own)."""
    for p in frame.places:
        shape = geoms.area(p.place)
        if shape is None:
            yield f"no outline for {p.place.name}"
        else:
            yield _feature(frame, shape, p.place.name, places=(p.place.id,),
                           precision=_place_precision(p.place))


def point_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """A point at each place (meetings)."""
    for p in frame.places:
        yield _feature(frame, _point_of(p.place, geoms), p.place.name, places=(p.place.id,),
                       precision=min(_place_precision(p.place), 2))


def _point_of(place: Place, geoms: PlaceGeometries) -> BaseGeometry:
    """Representative point: inside the outline where there is one."""
    shape = geoms.area(place) if "#" in place.id or place.type == "tripoint" else None
    return shape.representative_point() if shape is not None else geom.point(place.lat,
                                                                               place.lon)


def deployment_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """Where the forces are or are going (location, destination, route): a point for a
    town, an area for a region or country; where they come from is the ``origin``."""
    origin = " / ".join(dict.fromkeys(p.place.name for p in frame.role("origin")))
    for p in frame.places:
        if p.role not in _SHOWN_ROLES:
            continue
        fine = _place_precision(p.place) <= _POINT_PRECISION
        shape = geom.point(p.place.lat, p.place.lon) if fine else geoms.area(p.place)
        if shape is None:
            yield f"no outline for {p.place.name}"
            continue
        label = f"{frame.strength:,} " if frame.strength else ""
        feature = _feature(frame, shape, f"{label}{frame.actor or 'forces'} – {p.place.name}",
                           places=(p.place.id,), precision=_place_precision(p.place))
        yield replace(feature, extra={**feature.extra, "origin": origin}) if origin else feature


def place_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """One feature per place: a point for a town or site, an area for a region (attacks)."""
    for p in frame.places:
        fine = _place_precision(p.place) <= _POINT_PRECISION or (
            p.mention is not None and (p.mention.precision or 6) <= _POINT_PRECISION)
        shape = _point_of(p.place, geoms) if fine else geoms.area(p.place)
        if shape is None:
            yield f"no outline for {p.place.name}"
            continue
        yield _feature(frame, shape, f"{frame.actor or frame.type} – {p.place.name}",
                       places=(p.place.id,), precision=_place_precision(p.place))


def _shared_band(geoms: PlaceGeometries, a: tuple[str, BaseGeometry],
                 b: tuple[str, BaseGeometry], width_km: float,
                 terrain: tuple[str, BaseGeometry] | None = None) -> BaseGeometry | None:
    """Return the band along the border areas ``a`` and ``b`` share (cached by key).

    ``a`` and ``b`` are ``(key, outline)``; the band reaches ``width_km`` into
    each and stays within them (and within ``terrain`` if given).
    """
    key = ("band", a[0], b[0], width_km, terrain[0] if terrain else None)
    if key not in geoms.derived:
        geoms.derived[key] = geom.corridor(a[1], b[1], width_km=width_km,
                                           terrain=terrain[1] if terrain else None)
    return geoms.derived[key]


def corridor_features(frame: Frame, geoms: PlaceGeometries,
                      width_km: float = geom.CORRIDOR_WIDTH_KM) -> Iterator[LayerFeature | str]:
    """A band along each shared border of the states in pursuit, clipped to the terrain."""
    terrain = geoms.terrain(frame.terrain) if frame.terrain else None
    if frame.terrain and terrain is None:
        yield f"no outline for terrain {frame.terrain!r}; corridors not clipped"
    clip = (frame.terrain, terrain) if frame.terrain and terrain is not None else None
    built = 0
    for a, b in combinations(sorted(frame.members), 2):
        ca, cb = geoms.country(a), geoms.country(b)
        if ca is None or cb is None:
            continue
        shape = _shared_band(geoms, (a, ca[1]), (b, cb[1]), width_km, clip)
        if shape is not None:
            built += 1
            yield _feature(frame, shape, f"{ca[0].name}–{cb[0].name} corridor", members=(a, b),
                           width_km=width_km, precision=PRECISION_REGION)
    if not built:
        yield f"no two of {', '.join(frame.members)} share a border"


def border_features(frame: Frame, geoms: PlaceGeometries,
                    width_km: float = geom.BORDER_BAND_KM) -> Iterator[LayerFeature | str]:
    """Bands along the borders named.

    Two places of different countries sharing a border ("the border between
    Algeria and Mali") get a band along that stretch only, the corridor recipe
    at :data:`geo.geometry.BORDER_BAND_KM`; with ``counterpart`` places ("Algeria
    and Tunisia closed their borders with Libya") only the stretches between a
    place and a counterpart are drawn; any other place gets its
    international borders: a region's with its neighbours, a state's whole
    border.
    """
    paired: set[str] = set()
    sides, others = frame.role("counterpart"), frame.role("area")
    pairs = ([(a, b) for a in others for b in sides] if sides and others
             else list(combinations(frame.places, 2)))
    for a, b in pairs:
        feature = _pair_band(frame, geoms, a.place, b.place, width_km)
        if feature is not None:
            paired |= {a.place.id, b.place.id}
            yield feature
    for p in frame.places:
        if p.place.id not in paired:
            yield from _own_border_band(frame, geoms, p.place, width_km)


def _pair_band(frame: Frame, geoms: PlaceGeometries, a: Place, b: Place,
               width_km: float) -> LayerFeature | None:
    """The band along the stretch of border two places of different countries share."""
    if not (a.country and b.country) or a.country == b.country:
        return None
    sa, sb = geoms.area(a), geoms.area(b)
    if sa is None or sb is None:
        return None
    shape = _shared_band(geoms, (a.id, sa), (b.id, sb), width_km)
    if shape is None:
        return None
    return _feature(frame, shape, f"{a.name}–{b.name} border", places=(a.id, b.id),
                    members=(a.country, b.country), width_km=width_km,
                    precision=PRECISION_REGION)


def _own_border_band(frame: Frame, geoms: PlaceGeometries, place: Place,
                     width_km: float) -> Iterator[LayerFeature | str]:
    """The band along a place's international borders (whoever is across them)."""
    shape = geoms.area(place)
    home = geoms.country(place.country) if place.country else None
    if shape is None or home is None:
        yield f"no outline for {place.name}"
        return
    line = (geom.border_with_neighbours(shape, home[1]) if place.type != "country"
            else shape.boundary)
    zone = geom.band(line, width_km) if line is not None else None
    if zone is None:
        yield f"{place.name} has no international border"
        return
    yield _feature(frame, zone, f"borders of {place.name}", places=(place.id,),
                   width_km=width_km, precision=PRECISION_REGION)


def displacement_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """Flow lines from each origin to each destination (neighbouring states if unnamed)."""
    origins = [p.place for p in frame.role("origin")]
    targets = [p.place for p in frame.role("destination")]
    inferred = None
    if origins and not targets:
        shape = geom.union(geoms.area(o) for o in origins)
        codes = {o.country for o in origins if o.country}
        targets = list(geoms.neighbours(shape, exclude=codes)) if shape is not None else []
        inferred = "destination: neighbouring states (not named in the text)"
    if not origins:  # people in Niger, Burkina Faso and Mauritania: one area each
        yield from each_place_features(frame, geoms)
        return
    for o in origins:
        start = _point_of(o, geoms)
        for t in targets:
            if not inferred and _around(t, start, geoms):
                yield f"{o.name} lies within {t.name}: the setting, not a destination"
                continue
            line = geom.flow_line(start, _point_of(t, geoms))
            if line is not None:
                yield _feature(frame, line, f"{o.name} → {t.name}", places=(o.id, t.id),
                               inferred=inferred, confidence=frame.confidence * (
                                   0.6 if inferred else 1.0))


#: Place types that span several states: a region, a desert, a group of states.
_SETTINGS = frozenset({"region", "desert", "group"})


def _around(place: Place, point: BaseGeometry, geoms: PlaceGeometries) -> bool:
    """Whether ``place`` is a region wider than a state that holds ``point``: "Malian
    refugees in the Sahel region" stay within the Sahel, which sets the scene, not where
    they went (a move within a state, "to other parts of Borno", is a move)."""
    if place.type not in _SETTINGS:
        return False
    shape = geoms.area(place)
    return shape is not None and shape.covers(point)


def coalition_features(frame: Frame, geoms: PlaceGeometries) -> Iterator[LayerFeature | str]:
    """The union of the member states.

    A named group ("G5 Sahel", "Alliance of Sahel States") is the coalition's name, not a
    place it is drawn at (the Sahel band is not its extent): the feature comes from no
    place mention.
    """
    states = [geoms.country(c) for c in frame.members]
    shape = geom.union(s[1] if s else None for s in states)
    if shape is None:
        yield f"no outline for members {', '.join(frame.members)}"
        return
    groups = [p.place.name for p in frame.role("group")]
    name = groups[0] if groups else " + ".join(s[0].name for s in states if s)
    yield _feature(frame, shape, name, precision=6, mentions=())


RECIPES: dict[str, Recipe] = {
    "control": area_features,
    "strike": place_features,
    "sanctuary": area_features,
    "risk": area_features,
    "meeting": point_features,
    "deployment": deployment_features,
    "pursuit": corridor_features,
    "border_security": border_features,
    "displacement": displacement_features,
    "coalition": coalition_features,
    "attack": place_features,
}
