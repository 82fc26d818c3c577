"""Map downloads: content types, file names, and files GDAL can open."""

from __future__ import annotations

import json

import pyogrio
import pytest

TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv; charset=utf-8",
}


@pytest.mark.parametrize("fmt", list(TYPES))
def test_download(client, stored, tmp_path, fmt):
    response = client.get(f"/maps/{stored.map_id}.{fmt}")
    assert response.status_code == 200
    assert response.content_type == TYPES[fmt]
    name = f"kharita-stored-map-{stored.map_id}.{fmt}"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    path = tmp_path / name
    path.write_bytes(response.data)
    layers = {str(row[0]) for row in pyogrio.list_layers(path)}
    assert layers
    if fmt == "gpkg":
        assert layers == {"mentions", "control_zones"}
    total = sum(len(pyogrio.read_dataframe(path, layer=layer)) for layer in layers)
    assert total == 2


def test_geojson_download_is_one_collection(client, stored):
    body = json.loads(client.get(f"/maps/{stored.map_id}.geojson").data)
    assert body["type"] == "FeatureCollection"
    assert body["bbox"] == [-4.0, 15.0, 4.0, 20.0]
    assert [f["properties"]["layer"] for f in body["features"]] == ["control_zones", "mentions"]
    assert all(f["id"].startswith(stored.id) for f in body["features"])


def test_download_selected_layers(client, stored):
    body = json.loads(client.get(f"/maps/{stored.map_id}.geojson?layers=mentions").data)
    assert [f["properties"]["layer"] for f in body["features"]] == ["mentions"]
