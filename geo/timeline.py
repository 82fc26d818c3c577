"""Time on map features: when an event happened, how long a state of affairs held.

Every feature of a stored report carries ``reported``, the day the report was
published (its ingest day when no date was given). An **event** (an attack, a
strike, a meeting; ``time: event`` in ``geo/data/layers.yaml``) happened on
its ``date``: the date its sentence gives, else the report's. A **state**
(``time: state``: control of a zone) holds from ``valid_from`` (its date)
until ``valid_to``, which stays empty until a later report says another actor
holds the same zone (:func:`close_states`): the zone was retaken or lost.

Features are GeoJSON feature dicts, the shape the store and every export
share, so the web layer, the OGC API and the exports filter with one rule
(:func:`overlaps`). Dates are ISO days; a month (``2013-04``) covers all its
days.

A zone is "the same" as another when the two features name a common place id
(``places``) or when one lies inside the other (:func:`_same_zones`): the army
retaking Kidal town ends a group's hold on the Kidal region drawn by an
earlier report, and the other way round. Trade-off: "inside" is read from the
drawn geometry (at least :data:`INSIDE_SHARE` of the smaller shape within the
larger), not from the gazetteer's admin hierarchy, which the features do not
carry; two areas that merely overlap (neighbouring regions) stay apart, and a
town inside a large zone (northern Mali) counts as that zone changing hands.
"""

from __future__ import annotations

import calendar
import datetime
import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

Feature = dict[str, Any]
#: How much of a smaller zone must lie inside a larger one for both to be one zone: the
#: buffer drawn around a town near a region's edge may stick out a little.
INSIDE_SHARE = 0.9


def state_layers() -> frozenset[str]:
    """Layer ids whose features are states with a validity interval (control zones)."""
    # Imported here: geo.layers loads GeoPandas (and pandas, pyarrow), which the store and
    # the command line do not need to stamp dates.
    from geo.layers import layer_specs

    return frozenset(s.id for s in layer_specs() if s.time == "state")


def stamp(properties: Mapping[str, Any], *, layer: str, reported: str) -> dict[str, Any]:
    """Return ``properties`` with ``reported`` and, on a state layer, ``valid_from``/``valid_to``.

    Parameters
    ----------
    properties : mapping
        A stored feature's properties (``date`` maybe set by the text).
    layer : str
        The feature's layer id.
    reported : str
        ISO day the report was published (or ingested).
    """
    out = dict(properties)
    out["reported"] = reported
    if layer in state_layers():
        out.setdefault("valid_from", out.get("date") or reported)
        out.setdefault("valid_to", None)
    return out


def _first_day(value: str) -> datetime.date | None:
    """The first day of an ISO day or month, ``None`` when it is neither."""
    try:
        return datetime.date.fromisoformat(value if len(value) == 10 else value + "-01")
    except (ValueError, TypeError):
        return None


def _last_day(value: str) -> datetime.date | None:
    """The last day of an ISO day or month."""
    first = _first_day(value)
    if first is None or len(value) == 10:
        return first
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def span(properties: Mapping[str, Any]) -> tuple[datetime.date | None, datetime.date | None]:
    """Return the first and last day a feature stands for (``None`` ends are open).

    A state holds from ``valid_from`` up to the day before ``valid_to``; an event
    spans its ``date`` (else ``reported``). A feature with no time at all gives
    ``(None, None)``.
    """
    if properties.get("valid_from"):
        start = _first_day(str(properties["valid_from"]))
        until = properties.get("valid_to")
        end = _first_day(str(until)) if until else None
        if end is not None:
            end = max(end - datetime.timedelta(days=1), start) if start else end
        return start, end
    when = properties.get("date") or properties.get("reported")
    if not when:
        return None, None
    return _first_day(str(when)), _last_day(str(when))


def overlaps(properties: Mapping[str, Any], start: datetime.date | None,
             end: datetime.date | None) -> bool:
    """Whether the feature's time meets the closed window ``[start, end]`` (``None``: open).

    A feature without any time never matches a window, as OGC API - Features
    asks of ``datetime``.
    """
    first, last = span(properties)
    timed = properties.get("valid_from") or properties.get("date") or properties.get("reported")
    if not timed:
        return False
    return (end is None or first is None or first <= end) and (
        start is None or last is None or start <= last)


def filter_features(features: Iterable[Feature], start: datetime.date | None,
                    end: datetime.date | None) -> list[Feature]:
    """Return the features whose time meets ``[start, end]``, in order."""
    return [f for f in features if overlaps(f.get("properties") or {}, start, end)]


def close_states(features: Iterable[Feature]) -> list[Feature]:
    """Return the features with each state closed by the next report of another actor.

    For features of a state layer that are the same zone (:func:`_same_zones`),
    taken in order of ``valid_from``: when a later one names a different
    ``actor``, every earlier one still open gets ``valid_to`` = its
    ``valid_from`` and ``closed_by`` = its id. Reports on the same day are left
    open side by side (a contradiction, not a change), and so are states
    :mod:`geo.merge` found ``contested`` with each other. Other features are
    returned unchanged; nothing is modified in place.
    """
    out = [dict(f, properties=dict(f.get("properties") or {})) for f in features]
    states = state_layers()
    timed = sorted((f for f in out if f["properties"].get("layer") in states
                    and f["properties"].get("valid_from")),
                   key=lambda f: str(f["properties"]["valid_from"]))
    for n, earlier_ones in _same_zones(timed).items():
        _close(timed[n], [timed[k] for k in sorted(earlier_ones)])
    return out


def _close(later: Feature, earlier_ones: list[Feature]) -> None:
    """Close the open earlier states of ``later``'s zone (in place)."""
    new = later["properties"]
    for earlier in earlier_ones:
        old = earlier["properties"]
        if old.get("valid_to") or old.get("actor") == new.get("actor") or (
                earlier.get("id") in (new.get("contested_with") or ())):
            continue  # a contradiction (geo.merge) is no change of hands
        if str(old["valid_from"]) < str(new["valid_from"]):
            old["valid_to"] = new["valid_from"]
            old["closed_by"] = later.get("id")


def _same_zones(timed: list[Feature]) -> dict[int, set[int]]:
    """For each state (by position in time order), the earlier states of its zone.

    Two states are one zone when they name a common place id, or when one lies
    inside the other: at least :data:`INSIDE_SHARE` of the smaller shape within
    the larger (a town inside a region). Candidates come from an STR tree of the
    shapes queried with each shape's point on surface, so only shapes that hold
    another's point are measured and a map of many zones stays fast.
    """
    earlier: dict[int, set[int]] = {n: set() for n in range(len(timed))}
    by_place: dict[str, list[int]] = {}
    for n, feature in enumerate(timed):
        props = feature["properties"]
        for place in props.get("places") or ():
            key = f"{props['layer']}|{place}"
            earlier[n].update(by_place.get(key, ()))
            by_place.setdefault(key, []).append(n)
    for group, others in _inside_pairs(timed).items():
        for n in group:
            earlier[n].update(k for k in others if k < n)
    return earlier


def _inside_pairs(timed: list[Feature]) -> dict[tuple[int, ...], set[int]]:
    """For each group of states of one layer drawn with the same geometry (by position),
    the states of that layer inside its shape or holding it, the group's own included.

    A map its feeds fill tells the same zone again and again (a region's outline, a
    town's box): shapes are compared once per distinct geometry, so the cost follows
    the distinct shapes, not the square of the reports.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for n, feature in enumerate(timed):
        geometry = feature.get("geometry")
        if geometry:
            key = (feature["properties"]["layer"], json.dumps(geometry, sort_keys=True))
            groups.setdefault(key, []).append(n)
    keys, shapes = [], []
    for key, members in groups.items():
        if (shape := _shape(timed[members[0]])) is not None:
            keys.append(key)
            shapes.append(shape)
    # the same area is one zone; two reports at the same point are not (a town's events)
    found = {tuple(groups[key]): set(groups[key]) if shape.area > 0 else set()
             for key, shape in zip(keys, shapes, strict=True)}
    if not shapes:
        return found
    drawn = np.array(shapes, dtype=object)
    inner, outer = shapely.STRtree(drawn).query(shapely.point_on_surface(drawn),
                                                 predicate="within")
    for small, large in zip(*_inside(drawn, inner, outer), strict=True):
        one, two = keys[small], keys[large]
        if one[0] == two[0]:
            found[tuple(groups[one])].update(groups[two])
            found[tuple(groups[two])].update(groups[one])
    return found


def _inside(drawn: np.ndarray, inner: np.ndarray, outer: np.ndarray
            ) -> tuple[list[int], list[int]]:
    """The pairs of ``(inner, outer)`` (``inner``'s point on surface lies in ``outer``) where
    the smaller shape is mostly inside the larger one; a point inside counts."""
    areas = shapely.area(drawn)
    keep = (inner != outer) & (areas[outer] > 0) & (areas[inner] <= areas[outer])
    inner, outer = inner[keep], outer[keep]
    shared = shapely.area(shapely.intersection(drawn[outer], drawn[inner]))
    ok = (areas[inner] == 0) | (shared >= INSIDE_SHARE * areas[inner])
    return inner[ok].tolist(), outer[ok].tolist()


def _shape(feature: Feature) -> BaseGeometry | None:
    geometry = feature.get("geometry")
    if not geometry:
        return None
    found = shapely.geometry.shape(geometry)
    return None if found.is_empty else found


