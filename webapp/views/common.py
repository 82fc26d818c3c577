"""Pieces the page blueprints share: the id converter, map rendering, embed code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from flask import abort, current_app, render_template, url_for
from werkzeug.routing import BaseConverter

from geo.formats import FORMATS
from geo.layers import on_default_map
from webapp.access import sees_private
from webapp.assets import map_assets
from webapp.corrections import REVIEW_STATES
from webapp.i18n import N_, get_lang, term, translate
from webapp.map_builder import MapLayers, MapOptions, build_map, map_parts
from webapp.names import feature_terms
from webapp.render_cache import get_render_cache, render_key
from webapp.store import DocumentRecord, MapRecord, get_store
from webapp.timeline import LABELS as TIMELINE_LABELS

#: Labels of the map's popups and legend, by the key the map's script reads.
FEATURE_LABELS = {
    "name": N_("Name"), "layer": N_("Layer"), "confidence": N_("Confidence"),
    "precision": N_("Precision"), "evidence": N_("Evidence"), "trigger": N_("Trigger"),
    "actor": N_("Actor"), "status": N_("Status"), "strength": N_("Strength"),
    "members": N_("Members"), "document": N_("Document"), "legend": N_("Legend"),
    "target": N_("Target"), "toll": N_("Killed"), "origin": N_("From"), "date": N_("Date"),
    "inferred": N_("Inferred"), "hidden": N_("Background, denied, conditional or inferred"),
    "details": N_("Details and evidence"), "review": N_("Review"), "note": N_("Editor's note"),
    # Translators: the map's script fills {n} (a number of features, always 2 or more)
    "here": N_("{n} features here: choose one"), "reports": N_("Reports that day"),
}
#: Labels of the map's finder (search and filter box).
FINDER_LABELS = {
    "title": N_("Find and filter"), "search": N_("Search a place or a feature"),
    "all": N_("All"), "confidence": N_("Minimum confidence"),
    "share": N_("Copy a link to this view"), "copied": N_("Link copied ✓"),
    # Translators: the map's script fills {shown} and {total}
    "count": N_("{shown} of {total} events shown"), "place": N_("place"),
    "none": N_("Nothing found"), "list": N_("Features on this map, as a list"),
}
CREDITS = N_("Boundaries: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)")


class IdConverter(BaseConverter):
    """A stored id: letters, digits, ``_`` and ``-`` (no dot, so ``.geojson`` is a suffix)."""

    regex = r"[A-Za-z0-9_-]{1,64}"


def saved_view(record: MapRecord) -> dict[str, Any]:
    """Return the ``zoom`` and ``center`` render options of a map's saved view (None: unset)."""
    center, zoom = record.view.get("center"), record.view.get("zoom")
    return {
        "center": (float(center[0]), float(center[1])) if center else None,
        "zoom": int(zoom) if zoom is not None else None,
    }


def map_labels(lang: str, layer_ids: list[str],
               features: Iterable[Mapping[str, Any]] = ()) -> dict[str, str]:
    """Return the UI labels the map's popups and legend need, with the map's feature names,
    actors and statuses in ``lang`` (:mod:`webapp.names`)."""
    from webapp.styles import layer_style

    labels = {key: translate(text, lang) for key, text in FEATURE_LABELS.items()}
    labels.update({f"finder.{key}": translate(text, lang) for key, text in FINDER_LABELS.items()})
    labels.update(feature_terms(features, lang))
    labels["credits"] = translate(CREDITS, lang)
    labels.update({f"review:{state}": term("review", state, lang) for state in REVIEW_STATES})
    labels.update({key: translate(text, lang) for key, text in TIMELINE_LABELS.items()})
    labels.update({f"layer:{layer}": layer_style(layer, lang).label for layer in layer_ids})
    return labels


def render_map(
    collections: Mapping[str, Any], *, data_url: str, embed: bool = False,
    key: tuple | None = None, layers_url: Callable[[Sequence[str]], str] | None = None,
    **options: Any,
) -> dict[str, str]:
    """Build the folium map of ``collections`` and return its page parts.

    The map holds the layer ids and extents only; the browser loads the features
    from ``data_url`` (a GeoJSON download of the same layers). ``layers_url``, when
    given, answers the address of the same download for some of the layers: a map
    with events then loads them first and the places mentioned (hidden under them)
    only when they are shown (:func:`split_urls`). ``key`` names what
    ``collections`` holds (e.g. a map's id and version): the parts are then
    rendered once per key, options and language (:mod:`webapp.render_cache`).
    """
    lang = options.pop("lang", None) or get_lang()

    if key is None:
        layers = drawn_layers(collections, data_url, layers_url)
        return _map_parts(layers, embed, lang, options, collections)
    cache = get_render_cache()

    def build() -> dict[str, str]:
        # the extents read every feature: the page and its embeds measure them once
        layers = cache.fetch(render_key("drawn", *key, data_url),
                             lambda: drawn_layers(collections, data_url, layers_url))
        return _map_parts(layers, embed, lang, options, collections)

    return cache.fetch(render_key("parts", *key, data_url, embed, lang,
                                  tuple(sorted(options.items()))), build)


def drawn_layers(collections: Mapping[str, Any], data_url: str,
                 layers_url: Callable[[Sequence[str]], str] | None) -> MapLayers:
    """Return what the map draws of ``collections``: extents, addresses, hidden group."""
    extents = {layer: default_extent(collection) for layer, collection in collections.items()
               if collection.get("features")}
    url, mentions_url = split_urls(list(extents), data_url, layers_url)
    return MapLayers(url=url, mentions_url=mentions_url, extents=extents,
                     hidden=any(not on_default_map(f.get("properties") or {})
                                for layer, collection in collections.items()
                                if layer != "mentions"
                                for f in collection.get("features", [])))


def map_data_url(map_id: str) -> Callable[[Sequence[str]], str]:
    """Return the address of a map's display GeoJSON for some of its layers."""
    return lambda layers: url_for("maps.download", map_id=map_id, fmt="geojson", display=1,
                                  layers=",".join(layers))


def split_urls(drawn: Sequence[str], data_url: str,
               layers_url: Callable[[Sequence[str]], str] | None) -> tuple[str, str | None]:
    """Return where the browser loads the map's features first, and the places mentioned.

    With events and places mentioned both ``drawn`` (and ``layers_url``), the first
    address answers the events alone: the places mentioned start hidden, and on a map
    many reports fill they are most of the data (tens of MB for 10,000 reports).
    Otherwise everything comes from ``data_url`` at once.
    """
    events = [layer for layer in drawn if layer != "mentions"]
    if layers_url is None or not events or "mentions" not in drawn:
        return data_url, None
    return layers_url(events), layers_url(["mentions"])


def default_extent(collection: Mapping[str, Any]) -> list[float] | None:
    """The ``[west, south, east, north]`` box of the features the default map draws.

    Background, denied, conditional and inferred features (:func:`geo.layers.on_default_map`)
    are drawn in a group that is off by default: they must not pull the first view out
    (a side remark about drones in Pakistan in a report on Mali).
    """
    box = _union(geometry_bounds(f["geometry"]) for f in collection.get("features", [])
                 if f.get("geometry") and on_default_map(f.get("properties") or {}))
    return list(box) if box is not None else None


Box = tuple[float, float, float, float]


def _union(boxes: Iterable[Box | None]) -> Box | None:
    """The box around ``boxes`` (None ones left out; None when none is left)."""
    kept = [b for b in boxes if b is not None]
    if not kept:
        return None
    return (float(min(b[0] for b in kept)), float(min(b[1] for b in kept)),
            float(max(b[2] for b in kept)), float(max(b[3] for b in kept)))


def geometry_bounds(geometry: Mapping[str, Any]) -> Box | None:
    """The ``(west, south, east, north)`` of a GeoJSON geometry, read from its coordinates.

    One numpy array per geometry instead of a shapely shape: on a map of 10,000 reports
    building the shapes (millions of vertices of region outlines told report after report)
    took a minute of the first page after each change. None for a geometry without points.
    """
    parts = geometry.get("geometries")
    if parts is not None:  # a GeometryCollection
        return _union(map(geometry_bounds, parts))
    return _union(_list_bounds(positions)
                  for positions in _position_lists(geometry.get("coordinates") or []))


def _list_bounds(positions: Sequence[Sequence[float]]) -> Box:
    points = np.asarray(positions, dtype=float)[:, :2]  # heights aside
    (west, south), (east, north) = points.min(axis=0), points.max(axis=0)
    return west, south, east, north


def _position_lists(coordinates: Any) -> Iterator[Sequence[Sequence[float]]]:
    """The lists of positions (rings, lines, a point alone) in nested GeoJSON coordinates."""
    if not coordinates:
        return
    if isinstance(coordinates[0], int | float):  # one position: a point
        yield [coordinates]
    elif coordinates[0] and isinstance(coordinates[0][0], int | float):
        yield coordinates
    else:
        for part in coordinates:
            yield from _position_lists(part)


def _map_parts(layers: MapLayers, embed: bool, lang: str, options: dict,
               collections: Mapping[str, Any]):
    config = current_app.config
    fmap = build_map(
        layers,
        assets=map_assets(gesture_handling=embed, admin1=bool(config["BASEMAP_ADMIN1"])),
        options=MapOptions(
            lang=lang,
            gesture_handling=embed,
            tiles=config["TILES"] or "",
            labels=map_labels(lang, list(layers.extents), (
                f.get("properties") or {} for c in collections.values()
                for f in c.get("features", []))),
            **options,
        ),
    )
    return map_parts(fmap)


def get_document_or_404(doc_id: str) -> DocumentRecord:
    """Return a stored document or answer 404."""
    record = get_store().get_document(doc_id, private=sees_private())
    if record is None:
        abort(404, description=f"No document with id {doc_id!r}; check the link.")
    return record


def get_map_or_404(map_id: str) -> MapRecord:
    """Return a stored map or answer 404."""
    record = get_store().get_map(map_id, private=sees_private())
    if record is None:
        abort(404, description=f"No map with id {map_id!r}; check the link.")
    return record


def slug(title: str, fallback: str) -> str:
    """Return an ASCII file-name part for ``title`` (``fallback`` if none is left)."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
    return words[:60].strip("-") or fallback


def embed_code(record: MapRecord, height: int | None = None, **query: str) -> str:
    """Return the responsive embed snippet (iframe + postMessage height) of a map."""
    src = url_for("embeds.embed", map_id=record.id, _external=True, **query)
    origin = url_for("home.index", _external=True).rstrip("/")
    return render_template(
        "embed_snippet.html",
        src=src,
        origin=origin,
        map_id=record.id,
        title=record.title,
        height=height or current_app.config["EMBED_HEIGHT"],
    ).strip()


def oembed_href(record: MapRecord) -> str:
    """Return the oEmbed discovery URL of a map."""
    page = url_for("maps.show", map_id=record.id, _external=True)
    return url_for("embeds.oembed", url=page, format="json", _external=True)


def download_links(record: MapRecord) -> list[tuple[str, str]]:
    """Return ``(format, url)`` for every download of a map."""
    return [(fmt, url_for("maps.download", map_id=record.id, fmt=fmt)) for fmt in FORMATS]
