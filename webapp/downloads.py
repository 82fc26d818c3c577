"""Layer downloads of documents and maps, in every export format of :mod:`geo.formats`.

GeoJSON is written straight from the stored FeatureCollections (one document,
``layer`` on every feature); the other formats go through
:func:`geo.export.export_layers`. In every format a feature names its source
beside its ``document`` id: ``document_title`` and ``source_url``
(:func:`with_sources`). ``?datetime=`` (an RFC 3339 instant or interval, as
in the OGC API) keeps the features whose own time meets it
(:func:`in_window`). The map pages load their features from the GeoJSON
download, so it answers with an ETag and revalidates cheaply; they ask for its
``?display=1`` variant (:func:`for_display`), whose outlines are simplified to what
a screen shows: a country outline at full resolution weighs hundreds of KB. On a map of
many reports (a map its feeds fill) the places mentioned are most of the features, one
per place per report: the display variant draws one per place and day
(:func:`one_mention_per_place_and_day`), which keeps what the map and its timeline show.
A map's display variant also leaves out what only a popup reads (:data:`DETAIL_PROPERTIES`:
the sources and evidence of merged events, most of its bytes); it names the address
that answers them per feature, read when a popup opens.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from flask import Response, abort, request

from geo.formats import FORMATS, MEDIA_TYPES
from geo.timeline import filter_features
from webapp.errors import RequestError
from webapp.ogc.features import features_in_bbox
from webapp.ogc.query import BBox, parse_datetime
from webapp.store import DocumentSource, feature_collection, get_store

#: ``?display=1``: outlines simplified to about 1 km, or a thousandth of their extent when
#: larger (a continent is read whole, at a zoom where a pixel is tens of km), islands smaller
#: than that dropped, and coordinates kept to about 10 m.
DISPLAY_TOLERANCE = 0.01
DISPLAY_SHARE = 1 / 1000
DISPLAY_GRID = 0.0001
#: Properties only a feature's popup (and no filter, timeline or list) reads: a map's
#: display variant leaves them out and its popups ask ``maps.details`` for them.
DETAIL_PROPERTIES = frozenset({"sources", "evidence", "trigger", "merged_ids", "tolls",
                               "contested_with", "places", "origin_key"})


def display_flag(raw: str | None) -> bool:
    """Return whether ``?display=`` asks for the map's variant; RequestError if not 0 or 1."""
    if raw in (None, "", "0"):
        return False
    if raw == "1":
        return True
    raise RequestError(f"display: expected 0 or 1, got {raw[:20]!r}")


def for_display(collections: Mapping[str, Mapping[str, Any]], *,
                details: bool = True) -> dict[str, dict[str, Any]]:
    """Return copies of ``collections`` with geometry simplified for the screen (without
    the :data:`DETAIL_PROPERTIES` unless ``details``)."""
    import shapely
    from shapely.geometry import MultiPolygon, mapping, shape

    def light(geometry: Mapping[str, Any] | None) -> Any:
        if not geometry or geometry.get("type") == "Point":
            return geometry
        full = shape(geometry)
        west, south, east, north = full.bounds
        tolerance = max(DISPLAY_TOLERANCE, max(east - west, north - south) * DISPLAY_SHARE)
        if isinstance(full, MultiPolygon) and len(full.geoms) > 1:
            kept = [part for part in full.geoms if part.area >= (2 * tolerance) ** 2]
            full = MultiPolygon(kept) if kept else full
        simple = full.simplify(tolerance, preserve_topology=True)
        return mapping(shapely.set_precision(simple, DISPLAY_GRID))

    grouped = {layer: one_mention_per_place_and_day(c) if layer == "mentions" else c
               for layer, c in collections.items()}
    def shown(props: Mapping[str, Any]) -> Mapping[str, Any]:
        return props if details else {k: v for k, v in props.items()
                                      if k not in DETAIL_PROPERTIES}

    return {layer: {**c, "features": [{**f, "geometry": light(f.get("geometry")),
                                       "properties": shown(f.get("properties") or {})}
                                      for f in c.get("features", ())]}
            for layer, c in grouped.items()}


def one_mention_per_place_and_day(collection: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``collection`` (the places mentioned) with one feature per place and day.

    The first report's feature stands for the others of its day (its popup, its source);
    ``count`` adds up their mentions and ``reports`` says how many reports they are (on
    merged features only). The day is the one the timeline reads (``reported``), so the
    map shows a place on the same days as before. The downloads keep every report's own
    feature.
    """
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    seen: Counter[tuple[Any, ...]] = Counter()  # a report's own features are never merged
    for feature in collection.get("features", ()):
        props = feature.get("properties") or {}
        place = (props.get("name"), tuple(props.get("places") or ()))
        seen[(props.get("document"), *place)] += 1
        key = (*place, props.get("reported"), seen[(props.get("document"), *place)])
        first = kept.get(key)
        if first is None:
            kept[key] = feature  # alone, it stays as stored
            continue
        if "reports" not in first["properties"]:  # a copy: the stored feature stays whole
            kept[key] = first = {**first, "properties": {**(first.get("properties") or {}),
                                                         "reports": 1}}
        merged = first["properties"]
        merged["count"] = (merged.get("count") or 1) + (props.get("count") or 1)
        merged["reports"] += 1
    return {**collection, "features": list(kept.values())}


def merged(collections: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Return per-layer FeatureCollections as one FeatureCollection."""
    features = [f for c in collections.values() for f in c.get("features", ())]
    return feature_collection(features, [c["bbox"] for c in collections.values() if c.get("bbox")])


def with_sources(collections: Mapping[str, Mapping[str, Any]],
                 sources: Mapping[str, DocumentSource]) -> dict[str, dict[str, Any]]:
    """Return copies of ``collections`` whose features carry ``document_title``, ``source_url``."""
    return {layer: {**collection, "features": [
                {**feature, "properties": with_source(feature.get("properties") or {}, sources)}
                for feature in collection.get("features", ())]}
            for layer, collection in collections.items()}


def with_source(props: Mapping[str, Any],
                sources: Mapping[str, DocumentSource]) -> dict[str, Any]:
    """Return a copy of a feature's ``props`` naming its ``document_title``, ``source_url``."""
    out = dict(props)
    source = sources.get(out.get("document", ""))
    if source is not None:
        out["document_title"], out["source_url"] = source.title, source.source_url
    return out


def in_window(collections: Mapping[str, Mapping[str, Any]],
              raw: str | None) -> dict[str, dict[str, Any]]:
    """Return the collections with only the features whose time meets ``datetime`` ``raw``.

    An event meets a window when its ``date`` falls in it, a state when it
    held during it (:func:`geo.timeline.overlaps`); ``raw`` ``None`` keeps all.
    """
    interval = parse_datetime(raw)
    if interval is None:
        return {layer: dict(c) for layer, c in collections.items()}
    return {layer: {**c, "features": filter_features(c.get("features", ()), interval.start,
                                                      interval.end)}
            for layer, c in collections.items()}


def in_box(collections: Mapping[str, Mapping[str, Any]],
           bbox: BBox | None) -> dict[str, dict[str, Any]]:
    """Return the collections with only the features meeting ``bbox`` (``None`` keeps all).

    A map's events are tested as merged across its reports, so a caller filters what
    :meth:`webapp.store.Store.map_layers` answers; each layer's ``bbox`` becomes the bounds
    of the features kept (none kept: no ``bbox``).
    """
    if bbox is None:
        return {layer: dict(c) for layer, c in collections.items()}
    out: dict[str, dict[str, Any]] = {}
    for layer, collection in collections.items():
        kept = features_in_bbox(collection.get("features", ()), bbox)
        rest = {key: value for key, value in collection.items() if key != "bbox"}
        out[layer] = {**rest, **feature_collection(
            [f.data for f in kept], [list(f.bbox) for f in kept if f.bbox is not None])}
    return out


def _document_ids(collections: Mapping[str, Mapping[str, Any]]) -> set[str]:
    return {str(f["properties"]["document"]) for c in collections.values()
            for f in c.get("features", ()) if (f.get("properties") or {}).get("document")}


def export_bytes(collections: Mapping[str, Mapping[str, Any]], fmt: str,
                 links: list[dict[str, str]] | None = None) -> bytes:
    """Return the layers in ``fmt`` (GeoJSON as stored; others through :mod:`geo.export`).

    With ``links`` (a map's display variant), the GeoJSON carries them, and each outline
    several features share once (:func:`share_geometries`).
    """
    if fmt == "geojson":
        body = merged(collections)
        if links:
            body = {**share_geometries(body), "links": links}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    import geopandas as gpd

    from geo.export import export_layers

    frames = {
        layer: gpd.GeoDataFrame.from_features(c["features"], crs="EPSG:4326")
        for layer, c in collections.items()
    }
    return export_layers(frames, fmt)


def share_geometries(body: Mapping[str, Any]) -> dict[str, Any]:
    """Return a FeatureCollection whose shapes drawn by several features are listed once.

    On a map its feeds fill, a region told report after report (a control zone, a risk
    zone) is one outline under dozens of features: 92 distinct shapes made 5.3 MB of
    the 6.2 MB the map pages loaded for 10,000 reports. Each such feature then has
    ``"geometry": null`` and ``"geometry_ref"``, an index into the body's
    ``geometries``; the map's script puts the shapes back before drawing.
    """
    keys = [json.dumps(f.get("geometry"), sort_keys=True) for f in body.get("features", ())]
    repeated = {key for key, count in Counter(keys).items() if count > 1 and key != "null"}
    index: dict[str, int] = {}
    shared: list[Any] = []
    features = []
    for feature, key in zip(body.get("features", ()), keys, strict=True):
        if key not in repeated:
            features.append(feature)
            continue
        if key not in index:
            index[key] = len(shared)
            shared.append(feature["geometry"])
        features.append({**feature, "geometry": None, "geometry_ref": index[key]})
    return {**body, "features": features, "geometries": shared}


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it is an export format, else answer 404 naming the formats."""
    if fmt not in FORMATS:
        abort(404, description=f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return fmt


def layers_body(collections: Mapping[str, Mapping[str, Any]], fmt: str, *,
                details_url: str | None = None) -> bytes:
    """Return the bytes of the layers download in ``fmt`` the request asks for (its
    ``?display=`` variant and ``?datetime=`` window; 400 if either is bad).

    With ``details_url`` (a map's), the display variant leaves the
    :data:`DETAIL_PROPERTIES` out and links there instead (``rel`` ``details``: the
    address answers ``?feature=<id>``).
    """
    check_format(fmt)
    links = None
    if display_flag(request.args.get("display")) and fmt == "geojson":
        collections = for_display(collections, details=details_url is None)
        if details_url is not None:
            links = [{"rel": "details", "href": details_url, "type": "application/json"}]
    # The caller read these collections with its own visibility: every document in them is one
    # it may see, so their sources are looked up with private=True.
    sources = get_store().document_sources(_document_ids(collections), private=True)
    timed = in_window(collections, request.args.get("datetime"))
    return export_bytes(with_sources(timed, sources), fmt, links)


def feature_details(collections: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return each feature's properties by its id (what a map's popups ask for)."""
    return {str(f["id"]): f.get("properties") or {} for c in collections.values()
            for f in c.get("features", ()) if f.get("id") is not None}


def send_body(body: bytes, fmt: str, filename: str, *, public: bool) -> Response:
    """Answer a layers download ``body`` as an attachment ``filename`` (ETag, conditional).

    ``public``: whether shared caches may keep it (never for private content).
    """
    response = Response(body, content_type=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return revalidated(response, public=public)


def revalidated(response: Response, *, public: bool) -> Response:
    """Give ``response`` an ETag that caches must check on every use (maps change; a 304
    when it matches); ``public``: whether shared caches may keep it."""
    response.add_etag()
    response.cache_control.no_cache = True
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
    response.make_conditional(request)
    return response


def send_layers(collections: Mapping[str, Mapping[str, Any]], fmt: str, filename: str, *,
                public: bool) -> Response:
    """Answer the layers as an attachment ``filename`` in ``fmt`` (:func:`layers_body`)."""
    return send_body(layers_body(collections, fmt), fmt, filename, public=public)
