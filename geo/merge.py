"""One event reported by several sources becomes one feature; contradictions stay visible.

On a map combining reports, the same attack told by two outlets is two
features. :func:`merge_features` joins features of the same layer, from
different reports, whose places lie within ``distance_km`` of each other,
whose days lie within ``window_days`` of the first report of the event, and
whose actors are compatible (the same, or one unnamed). The merged feature
keeps the best-located member's geometry and properties and adds:

* ``sources``: ``{"title", "url", "date", "document", "id"}`` per member report;
* ``first_reported``/``last_reported``: the earliest and latest report day;
* ``corroboration``: the number of independent sources (distinct web hosts;
  reports without an address count as their own source);
* ``confidence``: ``1 - prod(1 - c)`` over the best confidence of each
  independent source, so it rises with corroboration (``confidence_single``
  keeps the best member's own) and repeats from one outlet add nothing.

Contradictions are never resolved: members of an attack whose tolls differ
keep each toll in their ``sources`` entry, ``tolls`` lists them, ``toll`` is
emptied and ``contested`` is true; two actors said to hold the same zone
within the window stay two features, each ``contested`` with
``contested_with`` naming the other (:func:`geo.timeline.close_states` then
leaves both open).

Features are GeoJSON feature dicts (the store's shape) with ``layer``,
``document`` and ``reported`` properties; nothing is modified in place. The
places mentioned (``mentions``) are not events and pass through unchanged.

Trade-off: a uniform grid of ``distance_km`` cells is the spatial index, and
features are taken in day order, each joining the first open event it
matches, compared with that event's first feature, not chained through its
members: daily clashes in one town reported by different outlets stay
separate events once they are ``window_days`` apart. Cost is linear in the
features times the events open in the neighbouring cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from geo.geometry import flat_shape
from geo.timeline import state_layers

Feature = dict[str, Any]
#: Defaults: places this close (km) and days this near are one event.
DISTANCE_KM = 25.0
WINDOW_DAYS = 3
_KM_PER_DEGREE = 111.32
_UNMERGED = frozenset({"mentions"})


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeRule:
    """How near two reports' features must be, in km and days, to tell one event.

    A deployment sets it once (the web app's ``MERGE_DISTANCE_KM`` and
    ``MERGE_WINDOW_DAYS`` settings) and passes it to every merge, so a map's page,
    downloads and OGC answers agree.
    """

    distance_km: float = DISTANCE_KM
    window_days: int = WINDOW_DAYS


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a report came from: its title and address (``url`` may be empty)."""

    title: str
    url: str | None = None


@dataclass(slots=True)
class _Event:
    """Features found to be one event; compared through its first member."""

    first: int
    lon: float
    lat: float
    day: int
    actor: str
    members: list[int] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Item:
    """What matching needs of one feature."""

    index: int
    layer: str
    lon: float
    lat: float
    day: int
    actor: str
    document: str


def merge_features(features: Iterable[Feature], sources: Mapping[str, Source], *,
                   distance_km: float = DISTANCE_KM,
                   window_days: int = WINDOW_DAYS) -> list[Feature]:
    """Return the features with each event reported by several sources merged into one.

    Parameters
    ----------
    features : iterable of dict
        GeoJSON features of a map's layers (any layers, any order).
    sources : mapping of str to Source
        Title and address of each report, by document id.
    distance_km : float
        How far apart two reports may place one event.
    window_days : int
        How many days after an event's first report another may still tell it.

    Returns
    -------
    list of dict
        Merged events, in the order of their first member, then every feature
        that was not an event (places mentioned, features without a place or day).
    """
    if distance_km <= 0 or window_days < 0:
        raise ValueError(f"'distance_km' should be > 0 and 'window_days' >= 0, "
                         f"got {distance_km!r} and {window_days!r}")
    features = list(features)
    items = [i for i in (_item(n, f) for n, f in enumerate(features)) if i is not None]
    events, contests = _cluster(items, distance_km, window_days)
    timed = {i.index for i in items}
    merged = [_merged(features, e, sources) for e in events]
    _flag_contests(merged, contests)
    return merged + [f for n, f in enumerate(features) if n not in timed]


def _item(n: int, feature: Feature) -> _Item | None:
    """The matching key of an event feature, ``None`` for anything else."""
    props = feature.get("properties") or {}
    layer, geometry = props.get("layer"), feature.get("geometry")
    day = _day(props.get("valid_from") or props.get("date") or props.get("reported"))
    if layer in _UNMERGED or not layer or not geometry or day is None:
        return None
    lon, lat = _center(geometry)
    return _Item(n, str(layer), lon, lat, day, _actor(props.get("actor")),
                 str(props.get("document") or f"#{n}"))


def _day(value: Any) -> int | None:
    """Day number of an ISO day or month (its first day)."""
    if not value:
        return None
    text = str(value)
    try:
        return date.fromisoformat(text if len(text) == 10 else text[:7] + "-01").toordinal()
    except ValueError:
        return None


def _actor(value: Any) -> str:
    return " ".join(str(value).casefold().split()) if value else ""


def _center(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """Longitude and latitude of a geometry's middle (points as they are)."""
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
        return float(lon), float(lat)
    middle = flat_shape(geometry).centroid  # GeoJSON is lon/lat: x is the longitude
    return float(middle.x), float(middle.y)


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class _Grid:
    """Open events by (layer, cell) of ``distance_km`` square: the spatial index."""

    def __init__(self, distance_km: float) -> None:
        self.cell = distance_km / _KM_PER_DEGREE
        self.cells: dict[tuple[str, int, int], list[_Event]] = {}

    def key(self, item: _Item) -> tuple[str, int, int]:
        return item.layer, math.floor(item.lon / self.cell), math.floor(item.lat / self.cell)

    def near(self, item: _Item, since: int) -> Iterator[_Event]:
        """Events started on or after ``since`` in the cells around ``item``.

        A cell spans fewer kilometres of longitude away from the equator, so
        more cells are looked at east and west there.
        """
        layer, gx, gy = self.key(item)
        reach = math.ceil(1 / max(math.cos(math.radians(item.lat)), 0.1))
        for dx in range(-reach, reach + 1):
            for dy in (-1, 0, 1):
                yield from self._open((layer, gx + dx, gy + dy), since)

    def add(self, item: _Item, event: _Event) -> None:
        self.cells.setdefault(self.key(item), []).append(event)

    def _open(self, key: tuple[str, int, int], since: int) -> list[_Event]:
        """The events of one cell started on or after ``since`` (older ones dropped:
        items come in day order, so they will never match again)."""
        found = self.cells.get(key)
        if not found:
            return []
        old = 0
        while old < len(found) and found[old].day < since:
            old += 1
        if old:
            del found[:old]
        return found


def _cluster(items: list[_Item], distance_km: float, window_days: int) -> (
    tuple[list[_Event], list[tuple[int, int]]]
):
    """Group items into events in day order; also return contested (event, event) pairs."""
    grid, states = _Grid(distance_km), state_layers()
    events: list[_Event] = []
    contests: list[tuple[int, int]] = []
    position: dict[int, int] = {}
    for item in sorted(items, key=lambda i: (i.day, i.index)):
        joined, rivals = _match(grid, item, distance_km, window_days, item.layer in states)
        if joined is None:
            joined = _Event(item.index, item.lon, item.lat, item.day, item.actor)
            position[item.index] = len(events)
            events.append(joined)
            grid.add(item, joined)
        joined.members.append(item.index)
        joined.documents.add(item.document)
        joined.actor = joined.actor or item.actor
        contests += [(position[r.first], position[joined.first]) for r in rivals]
    return events, contests


def _match(grid: _Grid, item: _Item, distance_km: float, window_days: int,
           state: bool) -> tuple[_Event | None, list[_Event]]:
    """The first open event ``item`` tells, and (for states) the rival claims near it."""
    joined, rivals = None, []
    for event in grid.near(item, item.day - window_days):
        if item.document in event.documents or _km(
                event.lon, event.lat, item.lon, item.lat) > distance_km:
            continue
        if not event.actor or not item.actor or event.actor == item.actor:
            joined = joined or event
        elif state:
            rivals.append(event)
    return joined, rivals


def _outlet(source: Source | None, document: str) -> str:
    """Who published a report: its web host, else the report itself."""
    host = urlsplit(source.url).hostname if source and source.url else None
    return host.removeprefix("www.") if host else f"document:{document}"


def _merged(features: list[Feature], event: _Event, sources: Mapping[str, Source]) -> Feature:
    """One feature for an event: its best-located member, with sources and confidence."""
    members = [features[n] for n in event.members]
    props = [m.get("properties") or {} for m in members]
    best = min(range(len(members)), key=lambda k: (
        props[k].get("precision") or 9, -(props[k].get("confidence") or 0)))
    out = dict(members[best], properties=dict(props[best]))
    merged = out["properties"]
    by_outlet: dict[str, float] = {}
    for p in props:
        document = str(p.get("document") or "")
        outlet = _outlet(sources.get(document), document)
        by_outlet[outlet] = max(by_outlet.get(outlet, 0.0), float(p.get("confidence") or 0))
    days = sorted(str(p["reported"]) for p in props if p.get("reported"))
    merged.update(sources=[_source_entry(m, sources) for m in members],
                  corroboration=len(by_outlet), first_reported=days[0] if days else None,
                  last_reported=days[-1] if days else None,
                  confidence_single=merged.get("confidence"),
                  confidence=_combined(by_outlet.values()), contested=False)
    if len(members) > 1:
        merged["merged_ids"] = [m.get("id") for m in members]
    tolls = sorted({p["toll"] for p in props if p.get("toll") is not None})
    if len(tolls) > 1:
        merged.update(toll=None, tolls=tolls, contested=True)
    return out


def _source_entry(member: Feature, sources: Mapping[str, Source]) -> dict[str, Any]:
    """What the popup and exports say of one report telling an event."""
    p = member.get("properties") or {}
    document = str(p.get("document") or "")
    source = sources.get(document)
    entry = {"title": source.title if source else "", "url": source.url if source else None,
             "date": p.get("reported"), "document": document, "id": member.get("id")}
    if p.get("toll") is not None:
        entry["toll"] = p["toll"]
    return entry


def _combined(confidences: Iterable[float]) -> float:
    """``1 - prod(1 - c)``: independent sources each leave less room for doubt (< 1)."""
    doubt = 1.0
    for c in confidences:
        doubt *= 1.0 - min(max(c, 0.0), 0.99)
    return round(1.0 - doubt, 3)


def _flag_contests(merged: list[Feature], contests: list[tuple[int, int]]) -> None:
    """Mark both sides of each contradiction ``contested``, naming the other (in place).

    ``contests`` holds pairs of positions in ``merged`` (which follows the events' order).
    """
    for a, b in contests:
        for one, other in ((a, b), (b, a)):
            props = merged[one]["properties"]
            props["contested"] = True
            rival = merged[other].get("id")
            props.setdefault("contested_with", [])
            if rival not in props["contested_with"]:
                props["contested_with"].append(rival)
