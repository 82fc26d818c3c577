"""Map downloads: content types, file names, files GDAL can open, and what they say."""

from __future__ import annotations

import json

import pandas as pd
import pyogrio
import pytest

from tests.webapp.conftest import sample_result
from tests.webapp.stored import collection, point, triangle
from webapp.store import get_store

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


# --- what a download says: geometry and number types, evidence, the source of each feature ---
SOURCES = {"Sahel report": "https://example.org/sahel", "Second report": None}


@pytest.fixture
def sourced(app):
    """A map over two documents (one with a source URL); its mentions mix points and a polygon,
    and the polygon mention has no evidence."""
    _, layers = sample_result()
    zone = triangle()
    bare = {**zone, "properties": {**zone["properties"], "layer": "mentions", "name": "zone"}}
    with app.app_context():
        store = get_store()
        first = store.add_document(text="Kidal", title="Sahel report", lang="en", mentions=[],
                                   layers=layers, source_url=SOURCES["Sahel report"])
        second = store.add_document(
            text="Gao", title="Second report", lang="en", mentions=[],
            layers={"mentions": collection(point("Gao", -0.04, 16.27), bare)})
        record = store.create_map(title="Sources", document_ids=[first.id, second.id])
    return {"map": record.id, "first": first.id, "second": second.id}


def _layers(client, url, tmp_path) -> dict:
    """Download ``url`` and read every layer back: {layer: (read_info, frame)}."""
    response = client.get(url)
    assert response.status_code == 200
    path = tmp_path / url.rsplit("/", 1)[1]
    path.write_bytes(response.data)
    return {name: (pyogrio.read_info(path, layer=name), pyogrio.read_dataframe(path, layer=name))
            for name, _ in pyogrio.list_layers(path)}


def test_geojson_features_name_their_source(client, sourced):
    body = json.loads(client.get(f"/maps/{sourced['map']}.geojson").data)
    assert len(body["features"]) == 4
    for feature in body["features"]:
        props = feature["properties"]
        title = "Sahel report" if props["document"] == sourced["first"] else "Second report"
        assert (props["document_title"], props["source_url"]) == (title, SOURCES[title])


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "csv"])
def test_downloads_name_their_source(client, sourced, tmp_path, fmt):
    read = _layers(client, f"/maps/{sourced['map']}.{fmt}", tmp_path)
    frame = pd.concat([frame for _, frame in read.values()], ignore_index=True)
    assert len(frame) == 4
    for row in frame.itertuples():
        title = "Sahel report" if row.document == sourced["first"] else "Second report"
        assert row.document_title == title
        url = None if pd.isna(row.source_url) or row.source_url == "" else row.source_url
        assert url == SOURCES[title]


def test_document_download_names_its_source(client, sourced, tmp_path):
    read = _layers(client, f"/documents/{sourced['first']}.gpkg", tmp_path)
    for _info, frame in read.values():
        assert set(frame.document_title) == {"Sahel report"}
        assert set(frame.source_url) == {"https://example.org/sahel"}


def test_gpkg_download_types_and_evidence(client, sourced, tmp_path):
    read = _layers(client, f"/maps/{sourced['map']}.gpkg", tmp_path)
    assert {name: info["geometry_type"] for name, (info, _) in read.items()} == {
        "control_zones": "Polygon", "mentions": "Unknown"}  # mentions mix points and a polygon
    for info, frame in read.values():
        ogr = dict(zip(info["fields"], info["ogr_types"], strict=True))
        assert ogr["confidence"] == "OFTReal"
        assert ogr["precision"] in ("OFTInteger", "OFTInteger64")
        assert ogr["evidence_start"] in ("OFTInteger", "OFTInteger64")
        assert ogr["document_title"] == ogr["source_url"] == "OFTString"
        assert "evidence" not in frame.columns
    mentions = read["mentions"][1].set_index("name")
    assert mentions.loc["Gao", "evidence_text"] == "Gao"
    assert (mentions.loc["Gao", "evidence_start"], mentions.loc["Gao", "evidence_end"]) == (0, 3)
    assert pd.isna(mentions.loc["zone", "evidence_text"])  # no evidence: empty, not "[]"
    assert mentions.loc["Kidal", "evidence_text"].startswith("Armed groups")
