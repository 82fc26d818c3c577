"""The map builder: offline assets, one FeatureGroup per layer, escaped text."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from tests.webapp.conftest import sample_result
from webapp.maps import MapAssets, MapOptions, build_map, map_parts

ASSETS = MapAssets(js=[("leaflet", "/assets/leaflet/leaflet.js")],
                   css=[("leaflet_css", "/assets/leaflet/leaflet.css")],
                   countries_url="/basemap/countries.geojson")


def render(collections, **options) -> str:
    parts = map_parts(build_map(collections, assets=ASSETS, options=MapOptions(**options)))
    return parts["header"] + parts["html"] + parts["script"]


def test_no_remote_urls():
    html = render(sample_result()[1])
    assert not re.findall(r"https?://", html), "the map must not reference remote assets"
    assert "bootstrap" not in html and "awesome" not in html.lower()


def test_one_feature_group_per_layer_and_control_last():
    script = map_parts(build_map(sample_result()[1], assets=ASSETS, options=MapOptions()))["script"]
    assert script.count("L.featureGroup(") == 2
    assert script.rstrip().endswith(");") and script.rfind("L.control.layers(") > script.rfind(
        "kharita.addLegend("
    )


def test_geodataframes_go_straight_to_geojson():
    frames = {
        "meetings": gpd.GeoDataFrame({"name": ["Niamey"], "layer": ["meetings"]},
                                     geometry=[Point(2.11, 13.51)], crs="EPSG:4326"),
        "risk_zones": gpd.GeoDataFrame({"name": ["zone"], "layer": ["risk_zones"]},
                                       geometry=[box(0, 10, 4, 15)], crs="EPSG:4326"),
    }
    html = render(frames)
    assert html.count("L.featureGroup(") == 2 and "Niamey" in html
    assert "[[10.0, 0.0], [15.0, 4.11]]" in html or "fitBounds" in html


def test_empty_layers_skipped():
    html = render({"mentions": {"type": "FeatureCollection", "features": []}})
    assert "L.featureGroup(" not in html and "kharita.addLegend(" not in html


PAYLOADS = ['<img src=x onerror="alert(1)">', "</script><script>alert(1)</script>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_feature_text_cannot_break_out(payload):
    layers = sample_result()[1]
    layers["mentions"]["features"][0]["properties"]["name"] = payload
    layers["mentions"]["features"][0]["properties"]["evidence"][0]["text"] = payload
    html = render(layers)
    assert payload not in html and "</script><script>" not in html
    assert "\\u003cimg" in html or "\\u003c/script\\u003e" in html


def test_tiles_only_when_asked():
    assert "L.tileLayer(" not in render(sample_result()[1])
    assert "L.tileLayer(" in render(sample_result()[1], tiles="OpenStreetMap.Mapnik")
