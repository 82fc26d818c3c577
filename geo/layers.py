"""Map layers from a geoparsed text: one GeoDataFrame per layer id.

:func:`build_layers` turns mentions and event frames into GeoDataFrames in
EPSG:4326 with the layer ids and properties of DESIGN.md; the layer ids,
titles, styles and legend text come from ``geo/data/layers.yaml``
(:func:`layer_specs`). :func:`to_feature_collection` writes one RFC 7946
FeatureCollection for the web map, the CLI and the API.

Skipped frames and features are data, not exceptions: every build attaches
``attrs["skipped"]`` to the ``mentions`` layer, a list of
``{"type", "reason", "trigger", "evidence"}`` (frames that could not be
completed and features that could not be drawn, e.g. a pursuit naming one
state, or states without a shared border).

Dates: a frame feature's ``date`` is the explicit date of its sentence
(``date_source: "text"``), else the document's ``published`` date when one is
given (``date_source: "published"``), else empty. Mention features carry no
date: a place being named is not an event.

Geometries are made valid and simplified to
:data:`geo.geometry.WEB_TOLERANCE_DEG` (about 1.1 km) before they leave.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any
from weakref import WeakKeyDictionary

import geopandas as gpd
import numpy as np
import shapely
import yaml

from geo import geometry as geom
from geo.errors import LayerError
from geo.features import RECIPES, LayerFeature
from geo.frames import extract_frames
from geo.frames.find import BACKGROUND_STATUSES
from geo.placegeometry import PlaceGeometries, PlaceSource
from geo.records import PRECISION_REGION, Frame, Frames, GeoparseResult, Mention, Span

CRS = "EPSG:4326"
#: Columns every layer has, in this order (``geometry`` last).
COLUMNS = ("layer", "name", "confidence", "precision", "evidence", "trigger", "actor",
           "members", "strength", "status", "width_km", "date", "date_source", "places", "terrain",
           "inferred")
#: Mentions of places at this precision or coarser than a town, but finer than a
#: country, are drawn as outlines (regions, parts, border areas); others as points.
_AREA_PRECISIONS = frozenset({4, PRECISION_REGION})
#: Event statuses the default map does not draw as current events (geo.frames).
HIDDEN_STATUSES = BACKGROUND_STATUSES
_CACHES: WeakKeyDictionary[Any, PlaceGeometries] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerSpec:
    """One layer of ``geo/data/layers.yaml``: id, titles, style, legend text, kind of time."""

    id: str
    order: int
    geometry: str
    title: Mapping[str, str]
    description: str
    style: Mapping[str, Any]
    time: str = "event"


@lru_cache(maxsize=1)
def layer_specs() -> tuple[LayerSpec, ...]:
    """Return the layer specifications in drawing order (checked, cached)."""
    path = resources.files("geo") / "data" / "layers.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    specs = []
    for entry in raw.get("layers", []) if isinstance(raw, dict) else []:
        missing = {"id", "order", "geometry", "title", "description", "style"} - set(entry)
        if missing or set(entry["title"]) != {"ar", "fr", "en"} or (
                entry.get("time", "event") not in ("event", "state")):
            raise LayerError(f"layers.yaml: layer {entry.get('id')!r} needs id, order, "
                             f"geometry, title (ar, fr, en), description, style "
                             f"(time: event or state); missing {sorted(missing)}")
        specs.append(LayerSpec(**entry))
    if "mentions" not in {s.id for s in specs}:
        raise LayerError("layers.yaml: the 'mentions' layer is required")
    return tuple(sorted(specs, key=lambda s: s.order))


def layer_ids() -> tuple[str, ...]:
    """Return every layer id, in drawing order."""
    return tuple(s.id for s in layer_specs())


def on_default_map(properties: Mapping[str, Any]) -> bool:
    """Whether a feature with these properties is drawn on the default map.

    Inferred features (a destination the text does not name) and events whose
    ``status`` is in :data:`HIDDEN_STATUSES` are not; everything else is. One
    rule for the web map and ``kharita eval --events``.

    Parameters
    ----------
    properties : mapping
        A feature's properties: a GeoDataFrame row, a GeoJSON ``properties``
        object or :meth:`geo.features.LayerFeature.row`.
    """
    inferred = properties.get("inferred")
    if inferred is not None and inferred == inferred and inferred not in ("", False):
        return False  # NaN (a pandas gap) is no value: inferred == inferred is False
    return properties.get("status") not in HIDDEN_STATUSES


def _geometries(gazetteer: PlaceSource | None) -> PlaceGeometries:
    """Return the cached geometry helper of ``gazetteer`` (the default one if None)."""
    if gazetteer is None:
        from geo.gazetteer import get_gazetteer

        gazetteer = get_gazetteer()
    try:
        cache = _CACHES.get(gazetteer)
        if cache is None:
            cache = _CACHES[gazetteer] = PlaceGeometries(gazetteer)
    except TypeError:  # not weak-referenceable (slots without __weakref__): no cache
        cache = PlaceGeometries(gazetteer)
    return cache


def build_layers(result: GeoparseResult, *, gazetteer: PlaceSource | None = None,
                 frames: Frames | Iterable[Frame] | None = None,
                 layers: Iterable[str] | None = None,
                 published: datetime.date | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Build the map layers of a geoparsed text.

    Parameters
    ----------
    result : GeoparseResult
        The output of :func:`geo.geoparse`.
    gazetteer : PlaceSource, optional
        Where outlines come from; the default gazetteer if omitted.
    frames : Frames or iterable of Frame, optional
        Frames to draw; found with :func:`geo.frames.extract_frames` if omitted.
    layers : iterable of str, optional
        Layer ids to build (``mentions`` is always built).
    published : datetime.date, optional
        The document's date, used as the ``date`` of frame features whose
        sentence names no date (with ``date_source: "published"``).

    Returns
    -------
    dict of str to GeoDataFrame
        ``mentions`` always, every other layer id of DESIGN.md only when it has
        features; EPSG:4326. ``layers["mentions"].attrs["skipped"]`` lists
        what could not be built and why.

    Raises
    ------
    LayerError
        If ``layers`` names an unknown layer id or ``published`` is not a date.
    """
    features, skipped = layer_features(result, gazetteer=gazetteer, frames=frames,
                                       layers=layers, published=published)
    out = _frames_by_layer(features, _wanted(layers))
    out["mentions"].attrs["skipped"] = skipped
    return out


def layer_features(result: GeoparseResult, *, gazetteer: PlaceSource | None = None,
                   frames: Frames | Iterable[Frame] | None = None,
                   layers: Iterable[str] | None = None,
                   published: datetime.date | None = None) -> (
    tuple[list[LayerFeature], list[dict[str, Any]]]
):
    """Return the features :func:`build_layers` draws, before they become tables.

    Same parameters and errors as :func:`build_layers`. The features are in
    drawing order within each layer, their geometry simplified as on the map;
    unlike the table rows they keep :attr:`LayerFeature.mentions`, the spans
    of the place mentions each was drawn from. The second item lists what
    was skipped and why (``attrs["skipped"]`` of the tables).
    """
    wanted = _wanted(layers)
    fallback_date = _published(published)
    geoms = _geometries(gazetteer)
    found = (extract_frames(result, published=_day_of(published), gazetteer=geoms.source)
             if frames is None else frames)
    skipped = [s.to_dict() for s in found.skipped] if isinstance(found, Frames) else []
    frame_list = found.found if isinstance(found, Frames) else tuple(found)
    features = _mention_features(result.resolved, geoms)
    for frame in frame_list:
        if frame.layer not in wanted:
            continue
        for item in RECIPES[frame.type](frame, geoms):
            if isinstance(item, str):
                skipped.append(_skip_entry(frame, item))
            elif item.date is None and fallback_date is not None:
                features.append(replace(item, date=fallback_date, date_source="published"))
            else:
                features.append(item)
    return [_for_web(f) for f in features], skipped


def _for_web(feature: LayerFeature) -> LayerFeature:
    """The feature with its geometry simplified for web maps (kept if nothing is left)."""
    shape = geom.simplify_for_web(feature.geometry)
    return feature if shape is None or shape is feature.geometry else replace(
        feature, geometry=shape)


def _wanted(layers: Iterable[str] | None) -> frozenset[str]:
    known = layer_ids()
    if layers is None:
        return frozenset(known)
    chosen = frozenset(layers) | {"mentions"}
    unknown = sorted(chosen - set(known))
    if unknown:
        raise LayerError(f"'layers' has unknown layer ids {unknown}; known: {', '.join(known)}")
    return chosen


def _published(value: datetime.date | None) -> str | None:
    """Return the ISO day of ``published`` (a date or datetime), checked."""
    if value is None:
        return None
    if not isinstance(value, datetime.date):
        raise LayerError(f"'published' should be a datetime.date or None, "
                         f"got {type(value).__name__}")
    day = value.date() if isinstance(value, datetime.datetime) else value
    return day.isoformat()


def _day_of(value: datetime.date | None) -> datetime.date | None:
    """The day of a date or datetime (``None`` stays ``None``)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _skip_entry(frame: Frame, reason: str) -> dict[str, Any]:
    return {"type": frame.type, "reason": reason, "trigger": frame.trigger.to_dict(),
            "evidence": [e.to_dict() for e in frame.evidence]}


def _mention_features(mentions: Iterable[Mention], geoms: PlaceGeometries) -> list[LayerFeature]:
    """One feature per place mentioned, carrying every mention as evidence."""
    by_place: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.place is not None:
            by_place.setdefault(m.place.id, []).append(m)
    out = []
    for group in by_place.values():
        first, place = group[0], group[0].place
        assert place is not None
        shape = geoms.area(place) if first.precision in _AREA_PRECISIONS else None
        spans = tuple(Span(start=m.start, end=m.end, text=m.surface) for m in group)
        out.append(LayerFeature(
            layer="mentions", name=place.name,
            geometry=shape if shape is not None else geom.point(place.lat, place.lon),
            confidence=max(m.confidence for m in group),
            precision=first.precision or PRECISION_REGION,
            evidence=spans, mentions=spans, trigger=first.surface, places=(place.id,),
            extra={"kind": first.kind, "count": len(group)},
        ))
    return out


def _frames_by_layer(features: list[LayerFeature], wanted: frozenset[str]) -> (
    dict[str, gpd.GeoDataFrame]
):
    """Group features into one GeoDataFrame per non-empty layer."""
    out: dict[str, gpd.GeoDataFrame] = {}
    for layer_id in layer_ids():
        rows = [f.row() for f in features if f.layer == layer_id]
        if layer_id != "mentions" and (not rows or layer_id not in wanted):
            continue
        columns = [*COLUMNS, *sorted({k for r in rows for k in r} - {*COLUMNS, "geometry"})]
        out[layer_id] = gpd.GeoDataFrame(rows, columns=[*columns, "geometry"],
                                         geometry="geometry", crs=CRS)
    return out


def _clean(value: Any) -> Any:
    """Return ``value`` as plain JSON (numpy scalars, NaN, tuples)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN from pandas for a missing number
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def rfc7946(shape: Any) -> Any:
    """Return ``shape`` valid on a 1e-6 degree grid, polygons counter-clockwise."""
    snapped = shapely.set_precision(shape, 1e-6)
    snapped = shapely.transform(snapped, lambda xy: np.round(xy, 6))
    return shapely.orient_polygons(snapped)


def to_feature_collection(layers: Mapping[str, gpd.GeoDataFrame], *,
                          select: Iterable[str] | None = None) -> dict[str, Any]:
    """Return all (or ``select``-ed) layers as one RFC 7946 FeatureCollection.

    Every feature carries ``layer``; coordinates are lon/lat with at most six
    decimals, polygons follow the right-hand rule, and the collection has a
    ``bbox``. Layers are written in drawing order.
    """
    chosen = list(layers) if select is None else [s for s in select if s in layers]
    order = {lid: i for i, lid in enumerate(layer_ids())}
    features: list[dict[str, Any]] = []
    shapes = []
    for layer_id in sorted(chosen, key=lambda lid: order.get(lid, len(order))):
        frame = layers[layer_id]
        props = [c for c in frame.columns if c != frame.geometry.name]
        for shape, values in zip(frame.geometry, frame[props].itertuples(index=False),
                                 strict=True):
            if shape is None or shape.is_empty:
                continue
            shape = rfc7946(shape)
            shapes.append(shape)
            properties = {k: _clean(v) for k, v in zip(props, values, strict=True)}
            properties["layer"] = layer_id
            features.append({"type": "Feature", "geometry": shapely.geometry.mapping(shape),
                             "properties": properties})
    out: dict[str, Any] = {"type": "FeatureCollection", "features": _listify(features)}
    if shapes:
        out["bbox"] = [round(float(v), 6) for v in shapely.total_bounds(shapes)]
    return out


def _listify(value: Any) -> Any:
    """Turn the tuples of ``shapely.geometry.mapping`` into JSON lists."""
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value
