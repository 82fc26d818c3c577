"""The one folium map builder: layers in, a Leaflet map out, fully offline.

:func:`build_map` makes one ``FeatureGroup`` per layer (the GeoJSON or
GeoDataFrame goes straight to ``folium.GeoJson``), adds the offline vector
basemap, the legend and safe tooltips/popups, and adds ``LayerControl`` last.
:func:`map_parts` returns the header/html/script parts a page template embeds
(folium's Flask pattern).

Offline: folium's stock assets point to CDNs (and to bootstrap and awesome
markers, which we do not use), so :func:`build_map` replaces the map's
``default_js``/``default_css`` with the locally served URLs it is given.
Points are circle markers, so no icon font or marker image is needed.

Escaping: feature text reaches the browser only as JSON (folium's
``tojson``) and is put into the page with ``textContent`` by
``static/kharita-map.js``; it is never parsed as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from webapp.styles import LayerStyle, layer_style


@dataclass(frozen=True, slots=True, kw_only=True)
class MapAssets:
    """Locally served URLs the map needs (built with ``url_for`` by the caller)."""

    js: Sequence[tuple[str, str]]
    css: Sequence[tuple[str, str]]
    countries_url: str
    admin1_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MapOptions:
    """What a page or an embed asks of the map (validated by the caller)."""

    lang: str = "en"
    legend: bool = True
    zoom: int | None = None
    center: tuple[float, float] | None = None
    gesture_handling: bool = False
    tiles: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)


class OfflineBasemap(MacroElement):
    """Country (and first-level) outlines fetched from this server, below every layer."""

    _template = Template(
        """{% macro script(this, kwargs) %}
kharita.addBasemap({{ this._parent.get_name() }}, {{ this.countries_url|tojson }},
                   {{ this.admin1_url|tojson }});
{% endmacro %}"""
    )

    def __init__(self, countries_url: str, admin1_url: str | None) -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.countries_url = countries_url
        self.admin1_url = admin1_url


class FeatureInfo(MacroElement):
    """Tooltip and popup of a GeoJson layer, built with ``textContent`` (never HTML)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
kharita.bindFeatureInfo({{ this._parent.get_name() }}, {{ this.labels|tojson }});
{% endmacro %}"""
    )

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "FeatureInfo"
        self.labels = dict(labels)


class Legend(MacroElement):
    """A Leaflet control listing each drawn layer with its colour."""

    _template = Template(
        """{% macro script(this, kwargs) %}
kharita.addLegend({{ this._parent.get_name() }}, {{ this.entries|tojson }},
                  {{ this.title|tojson }});
{% endmacro %}"""
    )

    def __init__(self, entries: Sequence[Mapping[str, str]], title: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.entries = list(entries)
        self.title = title


class PaintMark(MacroElement):
    """Records ``kharita:first-map-paint`` in the Performance API after the first frame."""

    _template = Template(
        """{% macro script(this, kwargs) %}
kharita.markPaint({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PaintMark"


def _ordered(layer_ids: Sequence[str]) -> list[str]:
    """Areas first, points last (the layers file's ``order``), so points stay clickable."""
    return sorted(layer_ids, key=lambda layer: (layer_style(layer).order, layer))


def _style_function(style: LayerStyle):
    path = style.path_options()
    point = {**path, "fillOpacity": 0.85, "weight": 1.5}  # small markers need solid fill

    def styler(feature: Mapping[str, Any]) -> dict[str, Any]:
        geometry = feature.get("geometry") or {}
        return point if geometry.get("type") in ("Point", "MultiPoint") else path

    return styler


def _add_layer(fmap: folium.Map, layer_id: str, data: Any, style: LayerStyle, labels) -> None:
    group = folium.FeatureGroup(name=style.label, overlay=True, control=True)
    geojson = folium.GeoJson(
        data,
        name=style.label,
        style_function=_style_function(style),
        marker=folium.CircleMarker(radius=style.radius, **style.marker_options()),
        control=False,
    )
    FeatureInfo(labels).add_to(geojson)
    geojson.add_to(group)
    group.add_to(fmap)


def _bounds(collections: Mapping[str, Any]) -> list[list[float]] | None:
    boxes = []
    for data in collections.values():
        box = data.total_bounds if hasattr(data, "total_bounds") else data.get("bbox")
        if box is not None and len(box) == 4 and all(v == v for v in box):
            boxes.append([float(v) for v in box])
    if not boxes:
        return None
    return [
        [min(b[1] for b in boxes), min(b[0] for b in boxes)],
        [max(b[3] for b in boxes), max(b[2] for b in boxes)],
    ]


def _start_center(options: MapOptions, bounds: list[list[float]] | None) -> tuple[float, float]:
    """The asked center; else the middle of the data (a zoom alone keeps it in view)."""
    if options.center is not None:
        return options.center
    if bounds:
        (south, west), (north, east) = bounds
        return (south + north) / 2, (west + east) / 2
    return 17.0, 0.0


def _add_tiles(fmap: folium.Map, tiles: str) -> None:
    if tiles:
        folium.TileLayer(tiles, name=tiles, overlay=False, control=True).add_to(fmap)


def build_map(
    collections: Mapping[str, Any], *, assets: MapAssets, options: MapOptions
) -> folium.Map:
    """Return a folium map with one FeatureGroup per layer of ``collections``.

    ``collections`` maps layer ids to GeoDataFrames (EPSG:4326) or GeoJSON
    FeatureCollection dicts; empty layers are skipped.
    """
    # Frame the events; mentions alone only when there is nothing else (a stray far-away
    # mention would otherwise zoom the map out to the whole world).
    events = {k: v for k, v in collections.items() if k != "mentions"}
    bounds = _bounds(events) or _bounds(collections)
    fmap = folium.Map(
        location=list(_start_center(options, bounds)),
        zoom_start=options.zoom if options.zoom is not None else 4,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        gestureHandling=options.gesture_handling,
    )
    fmap.default_js = list(assets.js)
    fmap.default_css = list(assets.css)
    OfflineBasemap(assets.countries_url, assets.admin1_url).add_to(fmap)
    _add_tiles(fmap, options.tiles)
    entries = []
    for layer_id in _ordered(list(collections)):
        data = collections[layer_id]
        if not len(data.get("features", ()) if isinstance(data, Mapping) else data):
            continue
        style = layer_style(layer_id, options.lang)
        _add_layer(fmap, layer_id, data, style, options.labels)
        entries.append({"id": layer_id, "label": style.label, "color": style.color})
    if bounds and options.center is None and options.zoom is None:
        fmap.fit_bounds(bounds, max_zoom=7, padding=(12, 12))
    if options.legend and entries:
        Legend(entries, options.labels.get("legend", "Legend")).add_to(fmap)
    PaintMark().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)  # last, so it lists every layer
    return fmap


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """Return the ``header``, ``html`` and ``script`` parts to embed in a page."""
    root = fmap.get_root()
    root.render()
    return {
        "name": fmap.get_name(),
        "header": root.header.render(),
        "html": root.html.render(),
        "script": root.script.render(),
    }
