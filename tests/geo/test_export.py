"""Exports: GeoJSON, GeoPackage, KML, CSV open in GDAL (pyogrio) without warnings."""

from __future__ import annotations

import json
import logging
import warnings

import pyogrio
import pytest

from geo.errors import ExportError
from geo.export import FORMATS, export_layers, write_layers
from geo.layers import build_layers
from tests.geo.test_layers import SAHEL_EN, SAHEL_SPANS
from tests.geo.test_layers_support import annotate, natural_earth_gazetteer


@pytest.fixture(scope="module")
def layers():
    return build_layers(annotate(SAHEL_EN, "en", SAHEL_SPANS), gazetteer=natural_earth_gazetteer())


def _read_all(path, caplog):
    """Read every layer of ``path``; fail on any Python warning or GDAL log warning."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            for name, _ in pyogrio.list_layers(path):
                info = pyogrio.read_info(path, layer=name)
                out[name] = (info, pyogrio.read_dataframe(path, layer=name))
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    return out


@pytest.mark.parametrize("fmt", ["gpkg", "kml"])
def test_one_table_or_folder_per_layer(layers, fmt, tmp_path, caplog) -> None:
    path = write_layers(layers, tmp_path / f"out.{fmt}", fmt)
    read = _read_all(path, caplog)
    assert set(read) == set(layers)
    for layer_id, (info, frame) in read.items():
        assert info["features"] == len(layers[layer_id])
        assert len(frame) == len(layers[layer_id])
    if fmt == "kml":
        assert path.read_text(encoding="utf-8").count("<Folder") == len(layers)
    else:
        meetings = read["meetings"][1]
        assert json.loads(meetings.evidence.iloc[0])[0]["text"]


def test_csv_has_wkt_and_layer_column(layers, tmp_path, caplog) -> None:
    path = write_layers(layers, tmp_path / "out.csv", "csv")
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("WKT,layer,name")
    (info, frame), = _read_all(path, caplog).values()
    assert info["features"] == sum(len(f) for f in layers.values())
    assert set(frame.layer) == set(layers)


def test_geojson_bytes_and_file(layers, tmp_path, caplog) -> None:
    data = json.loads(export_layers(layers, "geojson"))
    assert data["type"] == "FeatureCollection" and "bbox" in data
    path = write_layers(layers, tmp_path / "out.geojson", "GeoJSON")
    (info, _frame), = _read_all(path, caplog).values()
    assert info["features"] == len(data["features"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_layers_returns_bytes(layers, fmt) -> None:
    data = export_layers(layers, fmt)
    assert isinstance(data, bytes) and len(data) > 100


@pytest.mark.parametrize("fmt", ["shp", "", "json", None])
def test_unknown_format_names_argument_and_choices(layers, fmt) -> None:
    with pytest.raises(ExportError, match=r"'fmt' should be one of geojson, gpkg, kml, csv"):
        export_layers(layers, fmt)


def test_layers_read_back_from_geojson_export_cleanly(layers, tmp_path, caplog) -> None:
    """Stored FeatureCollections (as the web app keeps them) export like fresh layers."""
    import geopandas as gpd

    from geo.layers import to_feature_collection

    frames = {lid: gpd.GeoDataFrame.from_features(
        to_feature_collection(layers, select=[lid])["features"], crs="EPSG:4326")
        for lid in layers}
    frames["empty"] = gpd.GeoDataFrame.from_features([], crs="EPSG:4326")
    path = write_layers(frames, tmp_path / "round.gpkg", "gpkg")
    assert set(_read_all(path, caplog)) == set(frames)
