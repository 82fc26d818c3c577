"""The one folium map builder: layer ids in, a Leaflet map out, fully offline.

:func:`build_map` makes one ``FeatureGroup`` per layer, adds the offline
vector basemap, the legend and safe tooltips/popups, and adds
``LayerControl`` last. :func:`map_parts` returns the header/html/script parts
a page template embeds (folium's Flask pattern).

**User text never reaches a template.** branca compiles the rendered script of
every element again as a Jinja template, so anything a report says would be
evaluated on the server if it were part of the map's source. The map therefore
carries no feature at all: :class:`LayerData` tells ``static/kharita-map.js``
where to fetch the features (a GeoJSON URL of this server) and which group each
layer goes to, and the browser puts feature text on the page with
``textContent`` only. What the builder does write into the script (layer ids,
titles, colours, UI labels, URLs) is Kharita's own, and is serialised by
:func:`inert_json`, which escapes every brace and angle bracket so that no
value can open a template tag or close the ``<script>`` element.

Offline: folium's stock assets point to CDNs (and to bootstrap and awesome
markers, which we do not use), so :func:`build_map` replaces the map's
``default_js``/``default_css`` with the locally served URLs it is given.
Points are circle markers, so no icon font or marker image is needed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Environment

from geo.layers import HIDDEN_STATUSES
from webapp.styles import LayerStyle, layer_style
from webapp.timeline import LABELS as TIMELINE_LABELS

#: Characters :func:`inert_json` writes as ``\\uXXXX`` escapes: braces (template tags),
#: angle brackets and ampersands (``</script>``, ``<!--``), quotes for attributes.
_INERT = str.maketrans({c: f"\\u{ord(c):04x}" for c in "{}<>&'"})


MENTIONS = "mentions"
#: Data credits every map shows (GeoNames' CC BY 4.0 requires it); Leaflet adds its own.
CREDITS = "Boundaries: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)"


def inert_json(value: Any) -> str:
    """Return ``value`` as JSON that no template engine or HTML parser reads as markup.

    Strings are escaped inside their quotes; the braces of objects are always
    followed by a quote or a closing brace, so ``{{``, ``{%`` and ``{#`` never occur.
    """
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).translate(_INERT)
    if isinstance(value, Mapping):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ", ".join(f"{inert_json(k)}: {inert_json(v)}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inert_json(v) for v in value) + "]"
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    raise TypeError(f"inert_json: cannot serialise {type(value).__name__}")


_TEMPLATES = Environment(autoescape=False)
_TEMPLATES.filters["inert"] = inert_json


def _template(source: str):
    return _TEMPLATES.from_string(source)


@dataclass(frozen=True, slots=True, kw_only=True)
class MapAssets:
    """Locally served URLs the map needs (built with ``url_for`` by the caller)."""

    js: Sequence[tuple[str, str]]
    css: Sequence[tuple[str, str]]
    countries_url: str
    admin1_url: str | None = None
    labels_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MapLayers:
    """What a map draws: its non-empty layers, their extents, and where the features are.

    ``url`` answers one GeoJSON FeatureCollection whose features carry a ``layer``
    property; ``extents`` maps each layer id to its ``[west, south, east, north]``
    box (None when unknown).
    """

    url: str
    extents: Mapping[str, Sequence[float] | None]
    hidden: bool = False  # some features are off the default map (background, inferred...)
    #: When set, ``url`` answers every layer but the places mentioned, which the browser
    #: fetches from here only when they are shown: on a map many reports fill they are most
    #: of the data, and they start hidden under the events.
    mentions_url: str | None = None

    @property
    def layer_ids(self) -> list[str]:
        """The layers in drawing order: the places mentioned under every event layer, then
        areas, lines and points (the layers file's ``order``)."""
        return sorted(self.extents, key=lambda layer: (layer != MENTIONS,
                                                       layer_style(layer).order, layer))

    @property
    def has_events(self) -> bool:
        """Whether any layer besides the places mentioned is drawn."""
        return any(layer != MENTIONS for layer in self.extents)


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

    _template = _template(
        """{% macro script(this, kwargs) %}
kharita.addBasemap({{ this._parent.get_name() }}, {{ this.countries_url|inert }},
                   {{ this.admin1_url|inert }}, {{ this.credits|inert }});
kharita.addLabels({{ this._parent.get_name() }}, {{ this.labels_url|inert }},
                  {{ this.lang|inert }});
{% endmacro %}"""
    )

    def __init__(self, assets: MapAssets, credits: str, lang: str) -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.countries_url = assets.countries_url
        self.admin1_url = assets.admin1_url
        self.labels_url = assets.labels_url
        self.credits = credits
        self.lang = lang


class LayerData(MacroElement):
    """Fetches the features in the browser and adds each layer to its ``FeatureGroup``.

    Popups and tooltips are built there with ``textContent`` (never HTML).
    """

    _template = _template(
        """{% macro script(this, kwargs) %}
kharita.loadLayers({{ this._parent.get_name() }}, {{ this.url|inert }}, {
{%- for layer_id, group in this.groups %}
  {{ layer_id|inert }}: {{ group.get_name() }}{{ "," if not loop.last }}
{%- endfor %}
}, {{ this.styles|inert }}, {{ this.labels|inert }},
{{ this.hidden.get_name() if this.hidden else "null" }}, {{ this.hidden_statuses|inert }},
{{ this.mentions_url|inert }});
{% endmacro %}"""
    )

    def __init__(self, url: str, groups: Sequence[tuple[str, folium.FeatureGroup]],
                 styles: Mapping[str, Any], labels: Mapping[str, str],
                 hidden: folium.FeatureGroup | None = None,
                 mentions_url: str | None = None) -> None:
        super().__init__()
        self._name = "LayerData"
        self.url = url
        self.mentions_url = mentions_url
        self.groups = list(groups)
        self.styles = dict(styles)
        self.labels = dict(labels)
        self.hidden = hidden
        self.hidden_statuses = sorted(HIDDEN_STATUSES)


class Legend(MacroElement):
    """A Leaflet control listing each drawn layer with its colour."""

    _template = _template(
        """{% macro script(this, kwargs) %}
kharita.addLegend({{ this._parent.get_name() }}, {{ this.entries|inert }},
                  {{ this.title|inert }});
{% endmacro %}"""
    )

    def __init__(self, entries: Sequence[Mapping[str, Any]], title: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.entries = list(entries)
        self.title = title


class Timeline(MacroElement):
    """Starts the timeline control (``static/kharita-timeline.js``) once features are loaded."""

    _template = _template(
        """{% macro script(this, kwargs) %}
kharita.addTimeline({{ this._parent.get_name() }}, {{ this.labels|inert }});
{% endmacro %}"""
    )

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "Timeline"
        self.labels = {k: v for k, v in labels.items() if k in TIMELINE_LABELS}


class PaintMark(MacroElement):
    """Records ``kharita:first-map-paint`` in the Performance API after the first frame."""

    _template = _template(
        """{% macro script(this, kwargs) %}
kharita.markPaint({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PaintMark"


def _browser_style(style: LayerStyle) -> dict[str, Any]:
    """Leaflet options of one layer: paths, and circle markers for points."""
    return {
        "path": style.path_options(),
        "point": {**style.path_options(), **style.marker_options(), "weight": 1.5,
                  "radius": style.radius},
        "arrow": style.arrow,
    }


def union_bounds(boxes: Sequence[Sequence[float] | None]) -> list[list[float]] | None:
    """Return Leaflet ``[[south, west], [north, east]]`` around ``[w, s, e, n]`` boxes."""
    found = [[float(v) for v in b] for b in boxes if b is not None and len(b) == 4]
    found = [b for b in found if all(v == v for v in b)]  # no NaN
    if not found:
        return None
    return [
        [min(b[1] for b in found), min(b[0] for b in found)],
        [max(b[3] for b in found), max(b[2] for b in found)],
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


def frame_bounds(layers: MapLayers) -> list[list[float]] | None:
    """Where the map opens: the event layers, or the mentions when there is nothing else.

    A stray far-away mention would otherwise zoom the map out to the whole world.
    """
    events = [box for layer, box in layers.extents.items() if layer != "mentions"]
    return union_bounds(events) or union_bounds(list(layers.extents.values()))


def build_map(layers: MapLayers, *, assets: MapAssets, options: MapOptions) -> folium.Map:
    """Return a folium map with one (empty) FeatureGroup per layer of ``layers``.

    The browser fills the groups from ``layers.url``; nothing of the features is
    part of the map's source.
    """
    bounds = frame_bounds(layers)
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
    credits = options.labels.get("credits", CREDITS)
    OfflineBasemap(assets, credits, options.lang).add_to(fmap)
    _add_tiles(fmap, options.tiles)
    groups, styles, entries = [], {}, []
    for layer_id in layers.layer_ids:
        style = layer_style(layer_id, options.lang)
        # the places mentioned start hidden when events are drawn: the events are the map
        shown = layer_id != MENTIONS or not layers.has_events
        group = folium.FeatureGroup(name=style.label, overlay=True, control=True, show=shown)
        group.add_to(fmap)
        groups.append((layer_id, group))
        styles[layer_id] = _browser_style(style)
        entries.append({"id": layer_id, "label": style.label, "color": style.color,
                        "stroke": style.stroke, "shown": shown})
    if groups:
        # Background, denied, conditional and inferred features: a group of their own,
        # off by default (geo.layers.on_default_map decides, in the browser too).
        hidden = None
        if layers.hidden:
            hidden = folium.FeatureGroup(name=options.labels.get("hidden", "Background"),
                                         overlay=True, control=True, show=False)
            hidden.add_to(fmap)
        LayerData(layers.url, groups, styles, options.labels, hidden,
                  layers.mentions_url).add_to(fmap)
        Timeline(options.labels).add_to(fmap)
    if bounds and options.center is None and options.zoom is None:
        fmap.fit_bounds(bounds, max_zoom=7, padding=(12, 12))
    if options.legend and entries:
        Legend(entries, options.labels.get("legend", "Legend")).add_to(fmap)
    PaintMark().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)  # last, so it lists every layer
    return fmap


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """Return the ``header``, ``html`` and ``script`` parts to embed in a page."""
    root: Any = fmap.get_root()  # a branca Figure: header, html and script elements
    root.render()
    return {
        "name": fmap.get_name(),
        "header": root.header.render(),
        "html": root.html.render(),
        "script": root.script.render(),
    }
