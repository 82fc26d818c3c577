"""The map builder: offline assets, one FeatureGroup per layer, no feature in the source."""

from __future__ import annotations

import json
import re

import pytest
from jinja2 import Template

from webapp.map_builder import MapAssets, MapLayers, MapOptions, build_map, inert_json, map_parts

ASSETS = MapAssets(js=[("leaflet", "/assets/leaflet/leaflet.js")],
                   css=[("leaflet_css", "/assets/leaflet/leaflet.css")],
                   countries_url="/basemap/countries.geojson")
LAYERS = MapLayers(url="/maps/m1.geojson", extents={
    "mentions": [1.41, 18.44, 1.41, 18.44], "control_zones": [-4.0, 15.0, 4.0, 20.0]})


def render(layers: MapLayers = LAYERS, **options) -> str:
    parts = map_parts(build_map(layers, assets=ASSETS, options=MapOptions(**options)))
    return parts["header"] + parts["html"] + parts["script"]


def test_no_remote_urls():
    html = render()
    assert not re.findall(r"https?://", html), "the map must not reference remote assets"
    assert "bootstrap" not in html and "awesome" not in html.lower()


def test_one_feature_group_per_layer_loaded_from_the_url_and_control_last():
    script = map_parts(build_map(LAYERS, assets=ASSETS, options=MapOptions()))["script"]
    assert script.count("L.featureGroup(") == 2
    assert script.count("kharita.loadLayers(") == 1 and '"/maps/m1.geojson"' in script
    assert script.rstrip().endswith(");") and script.rfind("L.control.layers(") > script.rfind(
        "kharita.addLegend("
    )


def test_areas_are_added_before_points_and_the_view_fits_the_events():
    script = render(MapLayers(url="/d.geojson", extents={
        "meetings": [2.11, 13.51, 2.11, 13.51], "risk_zones": [0.0, 10.0, 4.0, 15.0],
        "mentions": [100.0, -40.0, 120.0, -30.0]}))
    # the places mentioned under the event layers, then areas, then points
    order = [script.index(f'"{layer}": feature_group') for layer in
             ("mentions", "risk_zones", "meetings")]
    assert order == sorted(order)
    assert "[[10.0, 0.0], [15.0, 4.0]]" in script  # the far-away mention does not frame it


def test_no_layers_no_groups():
    html = render(MapLayers(url="/d.geojson", extents={}))
    assert "L.featureGroup(" not in html and "kharita.addLegend(" not in html
    assert "kharita.loadLayers(" not in html


def test_tiles_only_when_asked():
    assert "L.tileLayer(" not in render()
    assert "L.tileLayer(" in render(tiles="OpenStreetMap.Mapnik")


# --- nothing the map writes can become markup or a template tag ---------------------------------
HOSTILE = ["{{ 7*191 }}", "{% if %}", "{# x", "</script><script>alert(1)</script>",
           '<img src=x onerror="alert(1)">', "${7*191}", "<%= 7*191 %>", "'\"&"]


@pytest.mark.parametrize("payload", HOSTILE)
def test_inert_json_round_trips_and_has_no_markup(payload):
    value = {"label": payload, "list": [payload, {"k": payload}], "n": 1.5, "none": None}
    text = inert_json(value)
    assert json.loads(text) == value
    assert not re.search(r"\{[{%#]|[<>&']", text)
    assert Template(text).render() == text  # a template engine sees plain text


@pytest.mark.parametrize("payload", HOSTILE)
def test_labels_cannot_open_a_template_or_close_the_script(payload):
    html = render(labels={"legend": payload, "name": payload})
    # 7*191 evaluated would stand alone; folium's random element ids may hold the digits
    assert payload not in html and not re.search(r"(?<![\w.])1337(?![\w.])", html)


def test_the_places_mentioned_start_hidden_beside_events_only():
    with_events = render()
    assert '"shown": false' in with_events  # the legend entry of the mentions
    alone = render(MapLayers(url="/d.geojson", extents={"mentions": [1.0, 2.0, 1.0, 2.0]}))
    assert '"shown": false' not in alone and '"shown": true' in alone


def test_hidden_features_get_a_group_of_their_own_off_by_default():
    script = render(MapLayers(url="/d.geojson", extents=LAYERS.extents, hidden=True),
                    labels={"hidden": "Background"})
    assert script.count("L.featureGroup(") == 3
    assert '"past"' in script and '"negated"' in script  # the rule reaches the browser
    plain = render(MapLayers(url="/d.geojson", extents=LAYERS.extents))
    assert plain.count("L.featureGroup(") == 2


def test_flows_end_in_an_arrow():
    script = render(MapLayers(url="/d.geojson", extents={"displacement": [0, 10, 5, 15]}))
    assert '"arrow": true' in script


def test_the_first_view_ignores_background_features():
    from webapp.views.common import default_extent

    def feature(lon: float, status: str, inferred: str | None = None) -> dict:
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, 15.0]},
                "properties": {"status": status, "inferred": inferred}}

    collection = {"features": [feature(-1.0, "reported"), feature(70.0, "past"),
                               feature(45.0, "reported", "destination: neighbours")]}
    assert default_extent(collection) == [-1.0, 15.0, -1.0, 15.0]
    assert default_extent({"features": [feature(70.0, "negated")]}) is None
