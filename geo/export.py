"""Write layers as GeoJSON, GeoPackage, KML or CSV (through geopandas/pyogrio).

* ``geojson``: one RFC 7946 FeatureCollection (:func:`geo.layers.to_feature_collection`).
* ``gpkg``: one table per layer, named by layer id, declaring the geometry
  type of its features (:func:`geometry_type`).
* ``kml``: one folder per layer (GDAL's LIBKML driver writes each layer as a
  ``Folder``; the plain KML driver is used where LIBKML is missing).
* ``csv``: every layer in one table with a ``layer`` column and the geometry
  as WKT in a ``WKT`` column.

In the formats without nested values, ``evidence`` becomes three readable
columns (:func:`evidence_columns`), the numbers of :data:`INTEGER_COLUMNS` and
:data:`REAL_COLUMNS` are numeric columns even where a layer leaves them empty,
and the other list and mapping properties (``members``, ``places``) are JSON
text. Every output opens in GDAL without warnings; the tests read them back
with pyogrio.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import ExportError
from geo.formats import FORMATS
from geo.layers import layer_ids, rfc7946, to_feature_collection

_SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}

#: Properties written as integer columns. Declared, not guessed: pandas turns an
#: integer column with gaps into floats, and a column a layer leaves empty has no type.
INTEGER_COLUMNS = ("precision", "strength", "toll", "count", "evidence_start", "evidence_end")
#: Properties written as real columns.
REAL_COLUMNS = ("confidence", "width_km")
#: What joins the texts of a feature's evidence spans in ``evidence_text``.
EVIDENCE_JOIN = " … "
_MULTI = {"Point": "MultiPoint", "LineString": "MultiLineString", "Polygon": "MultiPolygon"}


def _check_format(fmt: str) -> str:
    """Return ``fmt`` lower-cased or raise :class:`ExportError` naming the choices."""
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise ExportError(f"'fmt' should be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt.lower()


def geometry_type(shapes: Iterable[Any]) -> str:
    """Return the one geometry type a layer of ``shapes`` declares.

    Parameters
    ----------
    shapes : iterable of shapely geometries (None and empty ones are skipped)

    Returns
    -------
    str
        The type all shapes share (``"Polygon"``); the ``Multi*`` type when
        they mix single and multi parts of one kind (``"MultiPolygon"``);
        otherwise (points beside polygons, or no shapes) ``"Unknown"``, which
        GDAL writes as the generic ``GEOMETRY``.
    """
    kinds = {g.geom_type for g in shapes if g is not None and not g.is_empty}
    if len(kinds) == 1:
        return kinds.pop()
    multi = {_MULTI.get(kind, kind) for kind in kinds}
    if len(multi) == 1 and multi <= set(_MULTI.values()):
        return multi.pop()
    return "Unknown"


def evidence_columns(values: Iterable[Any]) -> dict[str, list[Any]]:
    """Return ``evidence_text``, ``evidence_start`` and ``evidence_end`` for evidence lists.

    Parameters
    ----------
    values : iterable
        One ``evidence`` value per feature: a list of ``{"start", "end",
        "text"}`` spans; anything else (None, NaN) counts as no evidence.

    Returns
    -------
    dict of str to list
        The span texts joined by :data:`EVIDENCE_JOIN`, and the character range
        from the first span's start to the last span's end; None without spans.
    """
    texts: list[Any] = []
    starts: list[Any] = []
    ends: list[Any] = []
    for value in values:
        spans = [s for s in value if isinstance(s, Mapping)] if isinstance(
            value, (list, tuple)) else []
        texts.append(EVIDENCE_JOIN.join(str(s.get("text") or "") for s in spans) or None)
        starts.append(min((s["start"] for s in spans if s.get("start") is not None),
                          default=None))
        ends.append(max((s["end"] for s in spans if s.get("end") is not None), default=None))
    return {"evidence_text": texts, "evidence_start": starts, "evidence_end": ends}


def _with_evidence_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` with ``evidence`` replaced, in place, by :func:`evidence_columns`."""
    if "evidence" not in frame.columns:
        return frame
    at = list(frame.columns).index("evidence")
    out = frame.drop(columns="evidence")
    for offset, (name, column) in enumerate(evidence_columns(frame["evidence"]).items()):
        out.insert(at + offset, name, pd.Series(column, index=frame.index, dtype="object"))
    out["evidence_text"] = out["evidence_text"].astype("string")
    return out


def _numeric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cast the declared number columns (nullable integers, floats) or raise ExportError."""
    for column, dtype in [*((c, "Int64") for c in INTEGER_COLUMNS),
                          *((c, "float64") for c in REAL_COLUMNS)]:
        if column not in frame.columns:
            continue
        try:
            frame[column] = pd.to_numeric(frame[column].astype("object")).astype(dtype)
        except (ValueError, TypeError) as exc:
            raise ExportError(f"property {column!r} should hold numbers, got "
                              f"{frame[column].dropna().tolist()[:3]!r}: {exc}") from exc
    return frame


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy with evidence columns, typed numbers, other nested values as JSON
    text, and geometry on the 1e-6 grid."""
    out = _numeric(_with_evidence_columns(frame.copy()))
    for column in out.columns:
        if column == out.geometry.name or column in INTEGER_COLUMNS + REAL_COLUMNS:
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
        flat = _flat(frame)
        kind = geometry_type(flat.geometry)
        pyogrio.write_dataframe(flat, path, layer=layer_id, driver=driver, append=i > 0,
                                geometry_type=kind, promote_to_multi=kind.startswith("Multi"),
                                layer_options=options)


def _with_layer(frame: gpd.GeoDataFrame, layer_id: str) -> gpd.GeoDataFrame:
    """Return ``frame`` with its ``layer`` column (first when added): rows say their layer."""
    out = frame.copy()
    if "layer" in out.columns:
        out["layer"] = layer_id
    else:
        out.insert(0, "layer", layer_id)
    return out


def _write_csv(layers: Mapping[str, gpd.GeoDataFrame], path: Path) -> None:
    """All layers in one CSV, geometry as WKT."""
    frames = [_flat(_with_layer(frame, layer_id)) for layer_id, frame in _ordered(layers)]
    table = pd.concat(frames, ignore_index=True) if frames else gpd.GeoDataFrame()
    # A column one layer lacks is filled with NaN by concat: cast the numbers again.
    table = _numeric(gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326"))
    pyogrio.write_dataframe(table, path, driver="CSV", layer_options={"GEOMETRY": "AS_WKT"})


def export_layers(layers: Mapping[str, gpd.GeoDataFrame], fmt: str) -> bytes:
    """Return ``layers`` serialised in format ``fmt`` (see :func:`write_layers`)."""
    fmt = _check_format(fmt)
    if fmt == "geojson":
        return json.dumps(to_feature_collection(layers), ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="kharita-") as tmp:
        target = Path(tmp) / f"layers{_SUFFIX[fmt]}"
        return write_layers(layers, target, fmt).read_bytes()
