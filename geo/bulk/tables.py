"""One partition's results as GeoParquet files, partitioned by date and country.

Datasets (one folder each under the output):

* ``mentions``: one row per place mention (resolved or not) with the document
  id, its offsets and sentence, the place and a point geometry.
* one per map layer (``control_zones``, ``attacks``...): one row per feature
  with the document id, the evidence offsets and text, and the layer
  properties. The layer builder's own ``mentions`` layer (mentions grouped by
  place) is left out: the ``mentions`` dataset holds every mention.

Files go to ``<dataset>/date=YYYY-MM/country=XX/<name>.parquet`` (Hive style),
``date`` being the month of the document's date (``undated`` without one) and
``country`` the ISO 3166-1 code of the place (of a feature's first place),
``none`` without one. The partition keys are folder names, not columns: the
layer property ``date`` (the event's date) is the column ``event_date``.

Every file of a dataset has the same columns and types (:data:`MENTION_COLUMNS`,
:data:`FEATURE_COLUMNS`), even where a partition leaves a column empty, so that
GeoPandas, DuckDB and QGIS read the folders as one table.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pyproj import CRS
from shapely.geometry import Point

from geo.bulk.sources import Item
from geo.export import evidence_columns
from geo.features import LayerFeature
from geo.records import GeoparseResult

#: Column -> pandas dtype of the ``mentions`` dataset.
MENTION_COLUMNS = {
    "doc_id": "string", "lang": "string", "published": "string", "title": "string",
    "url": "string", "start": "Int64", "end": "Int64", "surface": "string", "kind": "string",
    "place_id": "string", "place_name": "string", "place_type": "string", "lat": "float64",
    "lon": "float64", "precision": "Int64", "confidence": "float64",
    "sentence_start": "Int64", "sentence_end": "Int64", "reason": "string",
}
#: Column -> pandas dtype of the layer datasets; properties outside it go to ``extra``
#: (JSON text), lists (``members``, ``places``) are JSON text too.
FEATURE_COLUMNS = {
    "doc_id": "string", "lang": "string", "published": "string", "layer": "string",
    "name": "string", "confidence": "float64", "precision": "Int64",
    "evidence_text": "string", "evidence_start": "Int64", "evidence_end": "Int64",
    "trigger": "string", "actor": "string", "members": "string", "strength": "Int64",
    "status": "string", "width_km": "float64", "event_date": "string",
    "date_source": "string", "places": "string", "terrain": "string",
    "inferred": "string", "extra": "string",
}
#: The dataset of mentions; the other datasets are named by layer id.
MENTIONS = "mentions"
UNDATED = "undated"
#: Columns of the spilled batches holding each row's partition keys (dropped when written).
DATE_KEY, COUNTRY_KEY = "_date", "_country"
NO_COUNTRY = "none"
#: GeoParquet 1.0 file metadata: WKB geometry in EPSG:4326 (an empty ``geometry_types``
#: says any type may occur, true of every file; GeoPandas, GDAL and DuckDB read it).
GEO_METADATA = {
    "version": "1.0.0", "primary_column": "geometry",
    "columns": {"geometry": {"encoding": "WKB", "geometry_types": [],
                             "crs": CRS.from_epsg(4326).to_json_dict()}},
}
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?")


def month_of(date: str | None) -> str:
    """The ``date=`` partition of a document date (``YYYY-MM``, or ``undated``)."""
    match = _MONTH.match(date or "")
    return f"{match.group(1)}-{match.group(2)}" if match else UNDATED


def published_of(date: str | None) -> datetime.date | None:
    """A document date as a ``datetime.date`` for :func:`geo.pipeline.map_text`, or None."""
    match = _MONTH.match(date or "")
    if not match or not match.group(3):
        return None
    try:
        return datetime.date.fromisoformat(match.group(0))
    except ValueError:
        return None


class PartitionTables:
    """Rows of one partition's datasets, collected document by document.

    Rows are plain dicts until :meth:`write`, which builds one GeoDataFrame per
    dataset: cheaper than growing frames, and the caller bounds memory by
    writing every few thousand documents.
    """

    def __init__(self, countries_of: Any) -> None:
        self._countries_of = countries_of
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.counts: Counter[str] = Counter()
        self._batches = 0

    def add(self, item: Item, result: GeoparseResult,
            features: Iterable[LayerFeature]) -> None:
        """Add the mentions and layer features of one document.

        ``features`` are :func:`geo.layers.layer_features`' (their rows are what
        :func:`geo.layers.build_layers` puts in its tables): taking them before
        they become GeoDataFrames spares a frame per layer and document, built
        only to be read back row by row, which was a third of a run's time.
        """
        doc = {"doc_id": item.doc_id, "lang": result.lang, "published": item.date}
        month = month_of(item.date)
        self.counts["documents"] += 1
        for m in result.mentions:
            self._append(MENTIONS, {
                **doc, "title": item.title, "url": item.url, "start": m.start, "end": m.end,
                "surface": m.surface, "kind": m.kind,
                "place_id": m.place.id if m.place else None,
                "place_name": m.place.name if m.place else None,
                "place_type": m.place.type if m.place else None,
                "lat": m.place.lat if m.place else None, "lon": m.place.lon if m.place else None,
                "precision": m.precision, "confidence": round(m.confidence, 3),
                "sentence_start": m.sentence[0], "sentence_end": m.sentence[1],
                "reason": m.reason,
                # shapely points are (x, y): (lon, lat)
                "geometry": Point(m.place.lon, m.place.lat) if m.place else None,
                DATE_KEY: month,
                COUNTRY_KEY: self._country(m.place.id if m.place else None),
            })
        for feature in features:
            if feature.layer != MENTIONS:
                record = feature.row()
                self._append(feature.layer, {**doc, **_feature_row(record), DATE_KEY: month,
                                             COUNTRY_KEY: self._country(_first(record))})

    def _append(self, dataset: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(dataset, []).append(row)
        self.counts[dataset] += 1

    def _country(self, place_id: str | None) -> str:
        if not place_id:
            return NO_COUNTRY
        try:
            countries = self._countries_of(place_id)
        except KeyError:  # a place from outside the gazetteer (an online fallback)
            return NO_COUNTRY
        return countries[0] if countries else NO_COUNTRY

    def spill(self, folder: Path) -> None:
        """Move the collected rows to Arrow files under ``folder`` and clear them.

        One file per dataset and batch, read back by :func:`write_datasets`:
        rows leave memory every 2,000 documents, yet each ``(date,
        country)`` gets one file per partition rather than one per batch (a
        batch of reports spread over years and countries would write thousands
        of files of a few rows each).
        """
        import pyarrow as pa

        for dataset, rows in sorted(self.rows.items()):
            table = _table(rows, MENTION_COLUMNS if dataset == MENTIONS else FEATURE_COLUMNS)
            path = folder / dataset / f"{self._batches:05d}.arrow"
            path.parent.mkdir(parents=True, exist_ok=True)
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
                out.write_table(table)
        self.rows.clear()
        self._batches += 1


def write_datasets(spilled: Path, folder: Path, name: str) -> list[tuple[Path, Path]]:
    """Write the batches :meth:`PartitionTables.spill` left in ``spilled`` as GeoParquet.

    Files go straight into ``folder`` (flat: a tree of thousands of folders per
    partition cost more to make and remove than the files to write); returns
    each file with its place in the output,
    ``<dataset>/date=YYYY-MM/country=XX/<name>.parquet``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    if not spilled.is_dir():  # no rows at all: only failures, or texts naming no place
        return written
    for dataset in sorted(p.name for p in spilled.iterdir() if p.is_dir()):
        batches = [pa.ipc.open_file(pa.memory_map(str(path))).read_all()
                   for path in sorted((spilled / dataset).glob("*.arrow"))]
        table = pa.concat_tables(batches)
        keys = table.select([DATE_KEY, COUNTRY_KEY]).to_pandas()
        table = table.drop_columns([DATE_KEY, COUNTRY_KEY])
        for (month, country), at in sorted(keys.groupby([DATE_KEY, COUNTRY_KEY]).indices.items()):
            path = folder / f"{len(written):06d}.parquet"
            pq.write_table(table.take(at), path)
            place = Path(dataset, f"date={month}", f"country={country}", f"{name}.parquet")
            written.append((path, place))
    return written


def _first(record: Mapping[str, Any]) -> str | None:
    places = record.get("places")
    return places[0] if isinstance(places, (list, tuple)) and places else None


def _feature_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A layer feature's row: evidence as offsets and text, lists as JSON, the rest in
    ``extra``."""
    row = {k: v[0] for k, v in evidence_columns([record.get("evidence")]).items()}
    row["event_date"] = record.get("date")
    extra = {}
    for key, value in record.items():
        if key in ("evidence", "date", "geometry"):
            continue
        if key in FEATURE_COLUMNS:
            row[key] = json.dumps(value, ensure_ascii=False) if isinstance(
                value, (list, tuple)) else value
        else:
            extra[key] = value
    row["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    row["geometry"] = record.get("geometry")
    return row


def _table(rows: list[dict[str, Any]], columns: Mapping[str, str]) -> Any:
    """A GeoParquet table of ``rows`` with exactly ``columns`` (typed), the geometry and
    the partition keys (:data:`DATE_KEY`, :data:`COUNTRY_KEY`).

    Built with Arrow directly rather than a GeoDataFrame per partition: a partition
    of a large corpus writes thousands of small files, and GeoPandas' per-call cost
    was most of the run.
    """
    import pandas as pd
    import pyarrow as pa
    import shapely

    table = pd.DataFrame.from_records(rows)
    data = {}
    for column, dtype in columns.items():
        values = table[column] if column in table else pd.Series([None] * len(table))
        if dtype == "string":
            values = values.astype("object").where(values.notna(), None)
            values = values.map(lambda v: v if v is None or isinstance(v, str) else str(v))
        data[column] = pd.array(values.tolist(), dtype=dtype)
    arrow = pa.Table.from_pandas(pd.DataFrame(data), preserve_index=False)
    geometry = shapely.to_wkb(pd.array(table["geometry"].tolist(), dtype=object))
    arrow = arrow.append_column("geometry", pa.array(geometry, type=pa.binary()))
    for key in (DATE_KEY, COUNTRY_KEY):
        arrow = arrow.append_column(key, pa.array(table[key].tolist(), type=pa.string()))
    return arrow.replace_schema_metadata({**(arrow.schema.metadata or {}),
                                          b"geo": json.dumps(GEO_METADATA).encode()})
