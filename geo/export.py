"""Write layers as GeoJSON, GeoPackage, KML or CSV (through geopandas/pyogrio).

* ``geojson``: one RFC 7946 FeatureCollection (:func:`geo.layers.to_feature_collection`).
* ``gpkg``: one table per layer, named by layer id.
* ``kml``: one folder per layer (GDAL's LIBKML driver writes each layer as a
  ``Folder``; the plain KML driver is used where LIBKML is missing).
* ``csv``: every layer in one table with a ``layer`` column and the geometry
  as WKT in a ``WKT`` column.

List and mapping properties (``evidence``, ``members``, ``places``) are
written as JSON text in the formats without nested values. Every output opens
in GDAL without warnings; the tests read them back with pyogrio.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import ExportError
from geo.formats import FORMATS
from geo.layers import layer_ids, rfc7946, to_feature_collection

_SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}


def _check_format(fmt: str) -> str:
    """Return ``fmt`` lower-cased or raise :class:`ExportError` naming the choices."""
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise ExportError(f"'fmt' should be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt.lower()


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy with nested values as JSON text and geometry on the 1e-6 grid."""
    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        values = out[column].tolist()
        if any(isinstance(v, (list, tuple, dict)) for v in values):
            out[column] = [json.dumps(v, ensure_ascii=False) for v in values]
        elif all(v is None for v in values):  # typeless columns make GDAL guess; say text
            out[column] = pd.Series([None] * len(out), index=out.index, dtype="object")
            out[column] = out[column].astype("string")
    out[out.geometry.name] = [rfc7946(g) for g in out.geometry]
    return out


def _ordered(layers: Mapping[str, gpd.GeoDataFrame]) -> list[tuple[str, gpd.GeoDataFrame]]:
    order = {lid: i for i, lid in enumerate(layer_ids())}
    return sorted(layers.items(), key=lambda kv: order.get(kv[0], len(order)))


def _kml_driver() -> str:
    return "LIBKML" if "LIBKML" in pyogrio.list_drivers(write=True) else "KML"


def write_layers(layers: Mapping[str, gpd.GeoDataFrame], path: str | Path, fmt: str) -> Path:
    """Write ``layers`` to ``path`` in format ``fmt``.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        As returned by :func:`geo.layers.build_layers` (EPSG:4326).
    path : str or Path
        Output file; replaced if it exists.
    fmt : str
        ``geojson``, ``gpkg``, ``kml`` or ``csv``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ExportError
        For an unknown ``fmt`` or when GDAL cannot write the file.
    """
    fmt, path = _check_format(fmt), Path(path)
    if path.exists():
        path.unlink()
    try:
        if fmt == "geojson":
            path.write_text(json.dumps(to_feature_collection(layers), ensure_ascii=False),
                            encoding="utf-8")
        elif fmt == "csv":
            _write_csv(layers, path)
        else:
            _write_multi(layers, path, "GPKG" if fmt == "gpkg" else _kml_driver())
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ExportError(f"cannot write {fmt} to {path}: {exc}") from exc
    return path


def _write_multi(layers: Mapping[str, gpd.GeoDataFrame], path: Path, driver: str) -> None:
    """One layer (GeoPackage table, KML folder) per layer id."""
    # LIBKML writes a layer as a nested Document unless told to make it a Folder.
    options = {"FOLDER": "YES"} if driver == "LIBKML" else None
    for i, (layer_id, frame) in enumerate(_ordered(layers)):
        pyogrio.write_dataframe(_flat(frame), path, layer=layer_id, driver=driver,
                                append=i > 0, geometry_type="Unknown", layer_options=options)


def _write_csv(layers: Mapping[str, gpd.GeoDataFrame], path: Path) -> None:
    """All layers in one CSV, geometry as WKT."""
    frames = [_flat(frame) for _, frame in _ordered(layers)]
    table = pd.concat(frames, ignore_index=True) if frames else gpd.GeoDataFrame()
    table = gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")
    pyogrio.write_dataframe(table, path, driver="CSV", layer_options={"GEOMETRY": "AS_WKT"})


def export_layers(layers: Mapping[str, gpd.GeoDataFrame], fmt: str) -> bytes:
    """Return ``layers`` serialised in format ``fmt`` (see :func:`write_layers`)."""
    fmt = _check_format(fmt)
    if fmt == "geojson":
        return json.dumps(to_feature_collection(layers), ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="kharita-") as tmp:
        target = Path(tmp) / f"layers{_SUFFIX[fmt]}"
        return write_layers(layers, target, fmt).read_bytes()
