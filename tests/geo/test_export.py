"""Exports: GeoJSON, GeoPackage, KML, CSV open in GDAL (pyogrio) without warnings."""

from __future__ import annotations

import json
import logging
import warnings

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from geo.errors import ExportError
from geo.export import FORMATS, export_layers, geometry_type, write_layers
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
        assert "evidence" not in meetings.columns
        assert meetings.evidence_text.iloc[0] == layers["meetings"].evidence.iloc[0][0]["text"]
        for layer_id, (info, _frame) in read.items():
            assert info["geometry_type"] == geometry_type(layers[layer_id].geometry)


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


# --- tiny inline layers: geometry types, numeric columns, evidence columns --------------------
KIDAL, GAO = {"start": 0, "end": 5, "text": "Kidal"}, {"start": 10, "end": 13, "text": "Gao"}
SQUARE = Polygon([(0, 15), (1, 15), (1, 16), (0, 16), (0, 15)])
TWO_SQUARES = MultiPolygon([Polygon([(2, 15), (3, 15), (3, 16), (2, 16), (2, 15)]),
                            Polygon([(4, 15), (5, 15), (5, 16), (4, 16), (4, 15)])])


def _layer(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@pytest.fixture
def inline():
    """Four layers: points, polygons beside multipolygons, a line, points beside a polygon."""
    def row(name, shape, evidence, **extra):
        return {"name": name, "confidence": 0.8, "precision": 1, "evidence": evidence,
                "strength": None, "width_km": None, **extra, "geometry": shape}
    return {
        "meetings": _layer([row("Kidal", Point(1.41, 18.44), [KIDAL])]),
        "deployments": _layer([row("north", SQUARE, [KIDAL], strength=300, width_km=20.5),
                               row("east", TWO_SQUARES, [GAO])]),
        "displacement": _layer([row("Kidal → Gao", LineString([(1.41, 18.44), (-0.04, 16.27)]),
                                    [KIDAL, GAO])]),
        "attacks": _layer([row("Gao", Point(-0.04, 16.27), [GAO], toll=24, count=2),
                           row("Mali", SQUARE, [], toll=None, count=1)]),
    }


INLINE_TYPES = {"meetings": "Point", "deployments": "MultiPolygon",
                "displacement": "LineString", "attacks": "Unknown"}
INTEGERS = ("precision", "strength", "evidence_start", "evidence_end")
REALS = ("confidence", "width_km")


@pytest.mark.parametrize(("shapes", "expected"), [
    ([Point(0, 0)], "Point"),
    ([SQUARE, SQUARE], "Polygon"),
    ([SQUARE, TWO_SQUARES], "MultiPolygon"),
    ([LineString([(0, 0), (1, 1)]), None, Point()], "LineString"),
    ([Point(0, 0), SQUARE], "Unknown"),
    ([], "Unknown"),
])
def test_geometry_type(shapes, expected) -> None:
    assert geometry_type(shapes) == expected


def test_gpkg_declares_geometry_and_number_types(inline, tmp_path, caplog) -> None:
    read = _read_all(write_layers(inline, tmp_path / "typed.gpkg", "gpkg"), caplog)
    assert {lid: info["geometry_type"] for lid, (info, _) in read.items()} == INLINE_TYPES
    assert set(read["deployments"][1].geom_type) == {"MultiPolygon"}
    for layer_id, (info, frame) in read.items():
        ogr = dict(zip(info["fields"], info["ogr_types"], strict=True))
        extra = ("toll", "count") if layer_id == "attacks" else ()
        for column in INTEGERS + extra:
            assert ogr[column] in ("OFTInteger", "OFTInteger64"), (layer_id, column)
        for column in REALS:
            assert ogr[column] == "OFTReal", (layer_id, column)
        assert pd.api.types.is_numeric_dtype(frame.strength)
    deployments = read["deployments"][1].set_index("name")
    assert deployments.loc["north", "strength"] == 300
    assert deployments.loc["north", "width_km"] == 20.5
    assert read["attacks"][1].toll.iloc[0] == 24


def test_gpkg_evidence_is_readable_columns(inline, tmp_path, caplog) -> None:
    read = _read_all(write_layers(inline, tmp_path / "evidence.gpkg", "gpkg"), caplog)
    for _info, frame in read.values():
        assert "evidence" not in frame.columns
    line = read["displacement"][1].iloc[0]
    assert line.evidence_text == "Kidal … Gao"
    assert (line.evidence_start, line.evidence_end) == (0, 13)
    attacks = read["attacks"][1].set_index("name")
    assert (attacks.loc["Gao", "evidence_text"], attacks.loc["Gao", "evidence_start"]) == (
        "Gao", 10)
    # the feature without evidence: empty columns, not "[]"
    assert pd.isna(attacks.loc["Mali", "evidence_text"])
    assert pd.isna(attacks.loc["Mali", "evidence_start"])
    assert pd.isna(attacks.loc["Mali", "evidence_end"])


def test_csv_has_numbers_and_evidence_columns(inline, tmp_path, caplog) -> None:
    path = write_layers(inline, tmp_path / "typed.csv", "csv")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:3] == ["WKT", "layer", "name"]
    assert "evidence" not in header
    assert {"evidence_text", "evidence_start", "evidence_end", "toll"} <= set(header)
    info = pyogrio.read_info(path, AUTODETECT_TYPE="YES")
    ogr = dict(zip(info["fields"], info["ogr_types"], strict=True))
    for column in (*INTEGERS, *REALS, "toll", "count"):
        assert ogr[column] in ("OFTInteger", "OFTInteger64", "OFTReal"), column
    frame = pd.read_csv(path)
    assert frame.strength.dropna().tolist() == [300]  # an integer, not "300.0"
    assert "300.0" not in path.read_text(encoding="utf-8")
    rows = frame.set_index("name")
    assert rows.loc["Kidal → Gao", "evidence_text"] == "Kidal … Gao"
    assert pd.isna(rows.loc["Mali", "evidence_text"])
    assert rows.loc["Mali", "WKT"].startswith("POLYGON")


def test_numbers_that_are_not_numbers_are_an_export_error(inline) -> None:
    inline["deployments"]["strength"] = ["a few hundred", None]
    with pytest.raises(ExportError, match=r"property 'strength' should hold numbers"):
        export_layers(inline, "gpkg")
