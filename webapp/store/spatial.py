"""Per-feature rows beside the layer GeoJSON, so bbox queries run in the database.

Every write of a document's layers (a new document, a correction, a restored
revision: all go through :func:`write_features`) replaces the document's rows
of the ``features`` table (:class:`~webapp.models.FeatureRow`) in the same
transaction: one row per served feature, as the read path serves it, with its
bounding box in ``minx``/``miny``/``maxx``/``maxy``.

Two ways to ask "which features meet this box", chosen once per store:

* **PostGIS** (PostgreSQL whose database has the ``postgis`` extension; an
  administrator runs ``CREATE EXTENSION postgis``, the store never does, as it
  needs a superuser): a ``geom geometry(Geometry,4326)`` column with a GiST
  index, and ``geom && box AND ST_Intersects(geom, box)``.
* **bbox columns** everywhere else (SQLite, and PostgreSQL *without* PostGIS):
  overlap of the stored boxes with the query box, under a B-tree index on
  ``(layer, minx, maxx)``. These are candidates; callers test the exact
  geometry on the few that come back. No SQLite R*Tree: its rows need integer
  keys and deletes kept in step by hand, and the box columns are enough for
  the small boxes a map or GIS client asks for.

A box crossing the antimeridian (``minx > maxx``) is asked as two boxes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry import shape
from sqlalchemy import (
    and_,
    bindparam,
    delete,
    insert,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from geo.timeline import close_states
from webapp.models import DocumentRow, FeatureRow, LayerRow
from webapp.store.pinned import live_is_published, read_behind
from webapp.store.records import LayerEntry, _visible_documents, storable, tag_features

BBox = tuple[float, float, float, float]
GEOMETRY_DDL = (
    "ALTER TABLE features ADD COLUMN IF NOT EXISTS geom geometry(Geometry, 4326)",
    "CREATE INDEX IF NOT EXISTS ix_features_geom ON features USING gist (geom)",
)
POSTGIS_INSERT = sql_text(
    "INSERT INTO features (document_id, layer, n, data, minx, miny, maxx, maxy, geom) "
    "VALUES (:document_id, :layer, :n, :data, :minx, :miny, :maxx, :maxy, "
    "ST_SetSRID(ST_GeomFromWKB(decode(:wkb, 'hex')), 4326))"
)


@dataclass(frozen=True, slots=True)
class FoundFeatures:
    """The features of one document's layer that a bbox query found, in ``n`` order.

    ``texts`` are the stored GeoJSON texts, as served: an answer that only passes them on
    (OGC items) never parses them; :attr:`features` does.
    """

    document_id: str
    created: datetime
    published: date | None
    texts: list[str]

    @property
    def features(self) -> list[dict[str, Any]]:
        """The features, parsed."""
        return [json.loads(text) for text in self.texts]


@dataclass(frozen=True, slots=True)
class BoxAnswer:
    """A layer's features in a box: live ones found, and the published revisions behind
    their live one (not in the feature rows) to read whole."""

    live: list[FoundFeatures]
    pinned: list[LayerEntry]


def has_postgis(connection: Connection) -> bool:
    """Whether the database is PostgreSQL with the ``postgis`` extension installed."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(sql_text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"))
    return found.first() is not None


def add_geometry_column(connection: Connection) -> None:
    """Give ``features`` its PostGIS geometry column and GiST index (when missing)."""
    for statement in GEOMETRY_DDL:
        connection.execute(sql_text(statement))


def feature_rows(document_id: str, layer: str,
                 features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows of one layer's served features: GeoJSON text, box, and WKB for PostGIS."""
    rows = []
    for n, feature in enumerate(features):  # n: the order the layer serves them in
        raw = feature.get("geometry")
        geometry = shape(raw) if raw else None
        empty = geometry is None or geometry.is_empty
        minx, miny, maxx, maxy = (None,) * 4 if empty else geometry.bounds  # type: ignore[union-attr]
        rows.append({
            "document_id": document_id, "layer": layer,
            "n": n,
            "data": json.dumps(feature, ensure_ascii=False, separators=(",", ":")),
            "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy,
            "wkb": None if empty else shapely.to_wkb(geometry, hex=True),
        })
    return rows


def served_features(document: DocumentRow, layer: str,
                    collection: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A layer's features as a one-document read serves them: tagged, states closed."""
    fresh = json.loads(json.dumps(list(collection.get("features") or [])))  # tagging mutates
    return close_states(tag_features(fresh, document_id=document.id, layer=layer,
                                     published=document.published, created=document.created))


def write_features(session: Session, document: DocumentRow,
                   layers: Mapping[str, Mapping[str, Any]], *, postgis: bool) -> None:
    """Replace the document's feature rows by those of ``layers`` (inside the caller's
    transaction, so the rows never disagree with the layer GeoJSON)."""
    session.execute(delete(FeatureRow).where(FeatureRow.document_id == document.id))
    rows = [row for layer, collection in sorted(layers.items())
            for row in feature_rows(document.id, layer,
                                    served_features(document, layer, collection))]
    insert_rows(session, rows, postgis=postgis)


def insert_rows(session: Session | Connection, rows: list[dict[str, Any]], *,
                postgis: bool) -> None:
    """Insert prepared feature rows (with the geometry column on PostGIS)."""
    if not rows:
        return
    if postgis:
        session.execute(POSTGIS_INSERT, rows)
    else:
        session.execute(insert(FeatureRow), [{k: v for k, v in row.items() if k != "wkb"}
                                             for row in rows])


def rebuild_features(session: Session, *, postgis: bool) -> int:
    """Write the feature rows of every stored document from its layers; return how many.

    What a database made before the ``features`` table needs once.
    """
    count = 0
    for document in session.scalars(select(DocumentRow)):
        layers = {row.layer: json.loads(row.geojson) for row in document.layers}
        write_features(session, document, layers, postgis=postgis)
        count += sum(len(c.get("features") or []) for c in layers.values())
    return count


def fill_features(connection: Connection, *, postgis: bool) -> int:
    """Write the feature rows of a database made before the ``features`` table (once:
    when layers are stored but no feature row is); return how many features."""
    has_layers = connection.execute(select(LayerRow.document_id).limit(1)).first() is not None
    has_rows = connection.execute(select(FeatureRow.document_id).limit(1)).first() is not None
    if not has_layers or has_rows:
        return 0
    with Session(bind=connection) as session:
        count = rebuild_features(session, postgis=postgis)
        session.flush()
    return count


def _boxes(bbox: BBox) -> list[BBox]:
    """The query box, as two boxes when it crosses the antimeridian."""
    minx, miny, maxx, maxy = bbox
    if minx <= maxx:
        return [bbox]
    return [(minx, miny, 180.0, maxy), (-180.0, miny, maxx, maxy)]


def _box_params(bbox: BBox) -> dict[str, float]:
    """The values of the parameters :func:`_meets` names, for ``bbox``."""
    return {f"{name}_{k}": value for k, box in enumerate(_boxes(bbox))
            for name, value in zip(("x0", "y0", "x1", "y1"), box, strict=True)}


def _meets(postgis: bool, boxes: int) -> Any:
    """A feature meets one of ``boxes`` boxes given as parameters ``x0_<k>``... (PostGIS:
    exactly; box columns: its box overlaps)."""
    if postgis:
        envelopes = [f"ST_MakeEnvelope(:x0_{k}, :y0_{k}, :x1_{k}, :y1_{k}, 4326)"
                     for k in range(boxes)]
        return or_(*(sql_text(f"(features.geom && {e} AND ST_Intersects(features.geom, {e}))")
                     for e in envelopes))
    return or_(*(and_(FeatureRow.maxx >= bindparam(f"x0_{k}"),
                      FeatureRow.minx <= bindparam(f"x1_{k}"),
                      FeatureRow.maxy >= bindparam(f"y0_{k}"),
                      FeatureRow.miny <= bindparam(f"y1_{k}")) for k in range(boxes)))


@functools.cache
def _live_in_box(postgis: bool, private: bool, boxes: int) -> Any:
    """The unordered SELECT of (document id, created, published, n, feature text) of the
    (visible, live) features of layer ``:layer`` meeting the ``boxes`` boxes. Built once per
    shape: constructing it cost more than running it."""
    return live_is_published(_visible_documents(
        select(FeatureRow.document_id, DocumentRow.created, DocumentRow.published,
               FeatureRow.n, FeatureRow.data).join(DocumentRow), private), private
    ).where(FeatureRow.layer == bindparam("layer"), _meets(postgis, boxes))


def bbox_query(layer: str, bbox: BBox, *, postgis: bool, document_ids: Sequence[str] | None,
               private: bool) -> tuple[Any, dict[str, Any]]:
    """The SELECT of (document id, created, published, n, feature text) of a layer's
    (visible, live) features in ``bbox``, in (document created, document id, n) order, and
    its parameters."""
    query = _live_in_box(postgis, private, len(_boxes(bbox))).order_by(
        DocumentRow.created, FeatureRow.document_id, FeatureRow.n)
    if document_ids is not None:
        query = query.where(FeatureRow.document_id.in_(list(filter(storable, document_ids))))
    return query, {"layer": layer, **_box_params(bbox)}


def answer_query(layer: str, bbox: BBox, *, postgis: bool,
                 private: bool) -> tuple[Any, dict[str, Any]]:
    """:func:`bbox_query` over every document, followed (``private`` off) by one row per
    public document read at a published revision behind its live one, whose ``n`` is -1
    and text NULL: one statement, one round trip, where most requests find no such row."""
    return (_answer_statement(postgis, private, len(_boxes(bbox))),
            {"layer": layer, **_box_params(bbox)})


@functools.cache
def _answer_statement(postgis: bool, private: bool, boxes: int) -> Any:
    live = _live_in_box(postgis, private, boxes)
    if private:
        return live.order_by(DocumentRow.created, FeatureRow.document_id, FeatureRow.n)
    behind = read_behind(select(DocumentRow.id, DocumentRow.created, DocumentRow.published,
                                literal_column("-1"), literal_column("NULL")))
    both = union_all(live, behind)
    columns = both.selected_columns
    return both.order_by(columns.created, columns.document_id, columns.n)


def group_found(rows: Any) -> list[FoundFeatures]:
    """Group ordered (document id, created, published, n, text) rows by document."""
    found: list[FoundFeatures] = []
    for document_id, created, published, _n, data in rows:
        if not found or found[-1].document_id != document_id:
            found.append(FoundFeatures(document_id, created, published, []))
        found[-1].texts.append(data)
    return found
