"""Storage of documents, their parse results (mentions, layers) and maps.

CONTRACT (the JSON API and OGC API are written against this; keep it stable)
---------------------------------------------------------------------------
Reach the store of the running app with :func:`get_store` (like flaskr's
``get_db``); :func:`init_app` creates it once per app from the
``DATABASE_URL`` setting (default: SQLite file ``kharita.sqlite3`` in the
instance folder; ``KHARITA_DATABASE_URL=postgresql+psycopg://...`` selects
PostgreSQL). Outside Flask, ``Store("sqlite:///path.db")`` works the same.

Every method returns frozen records (never ORM objects) and every write is
one transaction: nothing is stored half-way. Both backends behave the same:
a text field holding U+0000 (which PostgreSQL cannot store) raises
:class:`UnstorableTextError` (a ``geo.errors.InputError``, so a 400) on
SQLite too, and an id holding it is simply unknown.

Ids are stable strings: documents ``d`` + 10 hex chars, maps ``m`` + 10
hex chars. A layer feature id is ``"<document_id>.<layer>.<n>"`` (n = index
of the feature in that document's layer), stable for the stored document.

Records::

    DocumentRecord(id, title, text, source_url, published: date | None,
                   lang, created: datetime, layer_counts: dict[str, int],
                   map_id: str | None,  # the document's own one-document map
                   public: bool)
    MapRecord(id, title, description, document_ids: tuple[str, ...],
              layers: tuple[str, ...]  # () = every layer of its documents
              view: dict  # optional "center" [lat, lon], "zoom" int
              public: bool, created: datetime)
    MapRecord.version -> str  # changes whenever what the map shows changes
        # (stored documents never change; a map only through its record,
        # e.g. when one of its documents is deleted): a cache key part

Visibility: documents and maps are public or private. Every read takes
``private=False``: by default a private document or map is simply not there
(``None``, left out of lists and counts, its features left out of every map
and collection); ``private=True`` reads everything. The web layer decides who
passes ``True`` (:mod:`webapp.access`); this is the one place the rule is applied.

Documents and results::

    store.add_document(*, text, title, lang, mentions, layers,
                       source_url=None, published=None,
                       map_title=None, public=True) -> DocumentRecord
        # mentions: list of DESIGN "Mention" dicts; layers: {layer_id:
        # GeoJSON FeatureCollection dict}. Empty layers are not stored.
        # map_title given: also creates the document's own map (same
        # transaction) and sets record.map_id.
        # Usually called through webapp.ingest.ingest(store, Submission(...)),
        # which validates the text and runs geo (raises geo.errors.InputError).
    store.get_document(doc_id, *, private=False) -> DocumentRecord | None
    store.list_documents(*, limit=20, offset=0, private=False) -> list[DocumentRecord]
        # newest first
    store.count_documents(*, private=False) -> int
    store.get_mentions(doc_id, *, private=False) -> list[dict]   # [] if unknown
    store.get_layers(doc_id, layers=None, *, private=False) -> dict[str, dict]
        # {layer_id: FeatureCollection}, features carry "id" and the
        # properties "document" (doc id) and "published" (ISO date or None)
    store.delete_document(doc_id) -> bool

Maps::

    store.create_map(*, title, document_ids, layers=(), view=None,
                     description="", public=True) -> MapRecord
        # raises UnknownDocumentError (a LookupError) for an unknown doc id
    store.get_map(map_id, *, private=False) -> MapRecord | None
    store.list_maps(*, limit=20, offset=0, private=False) -> list[MapRecord]
    store.count_maps(*, private=False) -> int
    store.map_layers(map_record, layers=None, *, private=False) -> dict[str, dict]
        # the map's chosen layers (or ``layers`` if given, intersected with
        # them) merged across its (visible) documents, one FeatureCollection
        # per layer
    store.map_documents(map_record, *, private=False) -> list[DocumentRecord]

Across documents (OGC collections)::

    store.layer_ids(*, private=False) -> list[str]   # every layer id with features
    store.features(layer, *, document_ids=None, private=False) -> list[dict]
        # every feature of that layer (ids and properties as above), in
        # (document created, n) order; filter bbox/datetime on top of it
    store.layer_index(layer=None, *, document_ids=None, private=False)
        -> dict[str, list[LayerEntry]]
        # (document, created, published, bbox) per stored layer, without
        # reading any GeoJSON: what OGC collections and extents need
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import create_engine, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from geo.errors import InputError
from webapp.errors import NotFoundError
from webapp.models import (
    DocumentRow,
    IdempotencyRow,
    JobRow,
    LayerRow,
    MapDocumentRow,
    MapRow,
)
from webapp.schema import create_schema

EXTENSION = "kharita.store"


class UnknownDocumentError(NotFoundError):
    """A map names a document id that is not stored."""


class UnstorableTextError(InputError):
    """A text field holds U+0000: PostgreSQL refuses it, so the store refuses it everywhere."""


def storable(value: str) -> bool:
    """Whether ``value`` can be stored or looked up (no U+0000) on every backend."""
    return "\x00" not in value


def _check_storable(**fields: str | None) -> None:
    for name, value in fields.items():
        if value and not storable(value):
            raise UnstorableTextError(
                f"{name}: contains a NUL character (U+0000), which cannot be stored; remove it"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRecord:
    """A stored document (text and metadata) with its layer feature counts."""

    id: str
    title: str
    text: str
    source_url: str | None
    published: date | None
    lang: str
    created: datetime
    layer_counts: Mapping[str, int] = field(default_factory=dict)
    map_id: str | None = None
    public: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRecord:
    """A parse job: ``queued``, ``running``, ``done`` (with its document) or ``failed``."""

    id: str
    status: str
    title: str
    document_id: str | None
    error: str | None
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class IdempotencyRecord:
    """What an earlier request with the same ``Idempotency-Key`` sent and got."""

    body_hash: str
    status: int | None  # None while that request is still running
    response: str | None
    location: str | None


def _job_record(row: JobRow) -> JobRecord:
    return JobRecord(id=row.id, status=row.status, title=row.title,
                     document_id=row.document_id, error=row.error, created=row.created,
                     updated=row.updated)


@dataclass(frozen=True, slots=True)
class LayerEntry:
    """One stored (document, layer), without its GeoJSON: what indexes and extents need."""

    document_id: str
    created: datetime
    published: date | None
    bbox: tuple[float, ...] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MapRecord:
    """A stored map: documents, chosen layers (empty = all) and view settings."""

    id: str
    title: str
    description: str
    document_ids: tuple[str, ...]
    layers: tuple[str, ...]
    view: Mapping[str, Any]
    public: bool
    created: datetime

    @property
    def version(self) -> str:
        """A digest of every field: what the map shows changes only with one of them."""
        fields = [self.id, self.title, self.description, self.document_ids, self.layers,
                  self.view, self.public, self.created.isoformat()]
        raw = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.blake2b(raw.encode("utf-8"), digest_size=8).hexdigest()


def new_id(prefix: str) -> str:
    """Return a fresh stable id such as ``d3f9a0c21b7``."""
    return prefix + secrets.token_hex(5)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _bbox(collection: Mapping[str, Any]) -> list[float] | None:
    box = collection.get("bbox")
    return [float(v) for v in box] if box else None


def _document_record(row: DocumentRow) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        title=row.title,
        text=row.text,
        source_url=row.source_url,
        published=row.published,
        lang=row.lang,
        created=row.created,
        layer_counts={layer.layer: layer.count for layer in row.layers},
        map_id=row.map_id,
        public=row.public,
    )


def _map_record(row: MapRow, private: bool) -> MapRecord:
    """The record of a map row; without ``private``, private documents are left out."""
    links = row.documents if private else [link for link in row.documents
                                           if link.document.public]
    return MapRecord(
        id=row.id,
        title=row.title,
        description=row.description,
        document_ids=tuple(link.document_id for link in links),
        layers=tuple(row.layers or ()),
        view=dict(row.view or {}),
        public=row.public,
        created=row.created,
    )


def _tagged_features(row: LayerRow) -> list[dict[str, Any]]:
    """Features of one stored layer with their stable ids and document tags."""
    published = row.document.published.isoformat() if row.document.published else None
    features = json.loads(row.geojson).get("features", [])
    for n, feature in enumerate(features):
        feature["id"] = f"{row.document_id}.{row.layer}.{n}"
        props = feature.setdefault("properties", {}) or {}
        props.setdefault("layer", row.layer)
        props["document"] = row.document_id
        props["published"] = published
        feature["properties"] = props
    return features


_MAP_DOCUMENTS = selectinload(MapRow.documents).selectinload(MapDocumentRow.document)


def _visible_documents(query: Any, private: bool) -> Any:
    """Restrict a query over documents to the public ones unless ``private``."""
    return query if private else query.where(DocumentRow.public.is_(True))


def _visible_maps(query: Any, private: bool) -> Any:
    """Restrict a query over maps to the public ones unless ``private``."""
    return query if private else query.where(MapRow.public.is_(True))


def feature_collection(features: list[Any], boxes: list[list[float]]) -> dict[str, Any]:
    """Wrap features in a FeatureCollection with the union of the layer bboxes."""
    out: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if boxes:
        out["bbox"] = [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
    return out


class Store:
    """Documents, layers and maps in one SQL database through SQLAlchemy 2.

    Layers are GeoJSON text per (document, layer) rather than spatial
    columns: the same schema runs on SQLite and PostgreSQL, pages read whole
    layers anyway, and a bbox column allows cheap pre-filtering. The price is
    that spatial queries across many documents parse JSON in Python.
    """

    def __init__(self, url: str, *, engine_options: Mapping[str, Any] | None = None) -> None:
        self.engine: Engine = create_engine(url, **dict(engine_options or {}))
        self._create_tables()
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def _create_tables(self) -> None:
        """Create missing tables and columns (:mod:`webapp.schema`)."""
        with self.engine.begin() as connection:
            create_schema(connection)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # documents -------------------------------------------------------------
    def add_document(
        self,
        *,
        text: str,
        title: str,
        lang: str,
        mentions: Sequence[Mapping[str, Any]],
        layers: Mapping[str, Mapping[str, Any]],
        source_url: str | None = None,
        published: date | None = None,
        map_title: str | None = None,
        public: bool = True,
        job_id: str | None = None,
    ) -> DocumentRecord:
        """Store a document and its parse result (and its own map) in one transaction.

        ``job_id``: the parse job this answers, marked done in the same transaction.
        """
        _check_storable(text=text, title=title, lang=lang, source_url=source_url,
                        map_title=map_title)
        stored = [
            LayerRow(
                layer=layer_id,
                geojson=json.dumps(collection, ensure_ascii=False),
                count=len(collection.get("features") or []),
                bbox=_bbox(collection),
            )
            for layer_id, collection in layers.items()
            if collection.get("features")
        ]
        row = DocumentRow(
            id=new_id("d"),
            title=title,
            text=text,
            source_url=source_url or None,
            published=published,
            lang=lang,
            mentions=json.dumps(list(mentions), ensure_ascii=False),
            created=_now(),
            layers=stored,
            public=public,
        )
        own_map = None
        if map_title is not None:
            row.map_id = new_id("m")
            own_map = MapRow(
                id=row.map_id, title=map_title, description="", layers=[], view={},
                public=public, created=row.created,
                documents=[MapDocumentRow(document_id=row.id, position=0)],
            )
        with self.session.begin() as session:
            session.add(row)
            if own_map is not None:
                session.flush()
                session.add(own_map)
            if job_id is not None:
                job = session.get(JobRow, job_id)
                if job is not None:
                    job.status, job.document_id, job.text, job.updated = (
                        "done", row.id, "", _now())
        return _document_record(row)

    # parse jobs ------------------------------------------------------------------
    def create_job(self, *, text: str, title: str = "", source_url: str | None = None,
                   published: date | None = None, lang: str | None = None,
                   public: bool = True) -> JobRecord:
        """Record a submitted text to parse (status ``queued``)."""
        _check_storable(text=text, title=title, source_url=source_url)
        now = _now()
        row = JobRow(id=new_id("j"), status="queued", text=text, title=title,
                     source_url=source_url, published=published, lang=lang, public=public,
                     created=now, updated=now)
        with self.session.begin() as session:
            session.add(row)
        return _job_record(row)

    def get_job(self, job_id: str) -> JobRecord | None:
        """Return one job, or None if the id is unknown."""
        if not storable(job_id):
            return None
        with self.session() as session:
            row = session.get(JobRow, job_id)
            return _job_record(row) if row else None

    def claim_job(self, job_id: str, *, stale_before: datetime | None = None) -> bool:
        """Mark a queued job (or one left ``running`` before ``stale_before``) as running.

        Returns whether this caller got it: two servers restarting at once never
        both parse the same job.
        """
        claimable = JobRow.status == "queued"
        if stale_before is not None:
            claimable = claimable | ((JobRow.status == "running")
                                     & (JobRow.updated < stale_before))
        query = (update(JobRow).where(JobRow.id == job_id, claimable)
                 .values(status="running", updated=_now()))
        with self.session.begin() as session:
            return bool(getattr(session.execute(query), "rowcount", 0))

    def fail_job(self, job_id: str, error: str) -> None:
        """Mark a job failed with a message the submitter can act on (the text is kept)."""
        with self.session.begin() as session:
            job = session.get(JobRow, job_id)
            if job is not None:
                job.status, job.error, job.updated = "failed", error[:2000], _now()

    def job_submission(self, job_id: str) -> dict[str, Any] | None:
        """Return what was submitted for a job: text, title, source_url, published, lang, public."""
        with self.session() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                return None
            return {"text": row.text, "title": row.title, "source_url": row.source_url,
                    "published": row.published, "lang": row.lang, "public": row.public}

    # idempotency keys of API writes ----------------------------------------------
    def reserve_key(self, key: str, endpoint: str, body_hash: str, *, expire_before: datetime
                    ) -> IdempotencyRecord | None:
        """Reserve ``key`` for a write, or return what an earlier request with it recorded.

        Returns None when the key is new (now reserved, in progress). Keys older
        than ``expire_before`` are forgotten first. Two requests racing for one key:
        the primary key lets one insert; the other gets the record in progress.
        """
        with self.session.begin() as session:
            session.execute(delete(IdempotencyRow).where(IdempotencyRow.created < expire_before))
        try:
            with self.session.begin() as session:
                session.add(IdempotencyRow(key=key, endpoint=endpoint, body_hash=body_hash,
                                           created=_now()))
            return None
        except IntegrityError:
            with self.session() as session:
                row = session.get(IdempotencyRow, (key, endpoint))
                if row is None:  # expired and deleted in between: try once more
                    return self.reserve_key(key, endpoint, body_hash,
                                            expire_before=expire_before)
                return IdempotencyRecord(body_hash=row.body_hash, status=row.status,
                                         response=row.response, location=row.location)

    def record_key(self, key: str, endpoint: str, *, status: int, response: str,
                   location: str | None) -> None:
        """Keep the answer given to the request that reserved ``key``."""
        with self.session.begin() as session:
            row = session.get(IdempotencyRow, (key, endpoint))
            if row is not None:
                row.status, row.response, row.location = status, response, location

    def release_key(self, key: str, endpoint: str) -> None:
        """Forget a reserved key whose request failed, so that a retry runs again."""
        with self.session.begin() as session:
            session.execute(delete(IdempotencyRow).where(
                IdempotencyRow.key == key, IdempotencyRow.endpoint == endpoint,
                IdempotencyRow.status.is_(None)))

    def unfinished_jobs(self, *, stale_before: datetime) -> list[str]:
        """Ids of jobs never finished: queued, or running since before ``stale_before``."""
        query = select(JobRow.id).where(
            (JobRow.status == "queued")
            | ((JobRow.status == "running") & (JobRow.updated < stale_before))
        ).order_by(JobRow.created)
        with self.session() as session:
            return list(session.scalars(query))

    def get_document(self, doc_id: str, *, private: bool = False) -> DocumentRecord | None:
        """Return one document, or None if the id is unknown (or private)."""
        if not storable(doc_id):
            return None
        query = _visible_documents(
            select(DocumentRow).options(selectinload(DocumentRow.layers))
            .where(DocumentRow.id == doc_id), private)
        with self.session() as session:
            row = session.scalars(query).first()
            return _document_record(row) if row else None

    def list_documents(
        self, *, limit: int = 20, offset: int = 0, private: bool = False
    ) -> list[DocumentRecord]:
        """Return documents, newest first."""
        query = (
            _visible_documents(select(DocumentRow), private)
            .options(selectinload(DocumentRow.layers))
            .order_by(DocumentRow.created.desc(), DocumentRow.id)
            .limit(limit)
            .offset(offset)
        )
        with self.session() as session:
            return [_document_record(row) for row in session.scalars(query)]

    def count_documents(self, *, private: bool = False) -> int:
        """Return the number of stored documents."""
        query = _visible_documents(select(func.count()).select_from(DocumentRow), private)
        with self.session() as session:
            return session.scalar(query) or 0

    def get_mentions(self, doc_id: str, *, private: bool = False) -> list[dict[str, Any]]:
        """Return the stored mentions of a document ([] if unknown)."""
        if not storable(doc_id):
            return []
        query = _visible_documents(
            select(DocumentRow.mentions).where(DocumentRow.id == doc_id), private)
        with self.session() as session:
            raw = session.scalar(query)
        return json.loads(raw) if raw else []

    def get_layers(
        self, doc_id: str, layers: Iterable[str] | None = None, *, private: bool = False
    ) -> dict[str, dict[str, Any]]:
        """Return ``{layer_id: FeatureCollection}`` for one document."""
        return self._collections([doc_id], layers, private)

    def delete_document(self, doc_id: str) -> bool:
        """Delete a document, its layers and its map memberships."""
        if not storable(doc_id):
            return False
        with self.session.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                return False
            for link in session.scalars(
                select(MapDocumentRow).where(MapDocumentRow.document_id == doc_id)
            ):
                session.delete(link)
            session.delete(row)
        return True

    # maps ------------------------------------------------------------------
    def create_map(
        self,
        *,
        title: str,
        document_ids: Sequence[str],
        layers: Sequence[str] = (),
        view: Mapping[str, Any] | None = None,
        description: str = "",
        public: bool = True,
    ) -> MapRecord:
        """Store a map over existing documents in one transaction."""
        _check_storable(title=title, description=description)
        unique = list(dict.fromkeys(document_ids))
        with self.session.begin() as session:
            known = set(session.scalars(
                select(DocumentRow.id).where(DocumentRow.id.in_(list(filter(storable, unique))))
            ))
            missing = [d for d in unique if d not in known]
            if missing:
                raise UnknownDocumentError(f"unknown document id(s): {', '.join(missing)}")
            row = MapRow(
                id=new_id("m"),
                title=title,
                description=description,
                layers=list(layers),
                view=dict(view or {}),
                public=public,
                created=_now(),
                documents=[
                    MapDocumentRow(document_id=d, position=n) for n, d in enumerate(unique)
                ],
            )
            session.add(row)
            session.flush()
            return _map_record(row, True)

    def get_map(self, map_id: str, *, private: bool = False) -> MapRecord | None:
        """Return one map, or None if the id is unknown (or private)."""
        if not storable(map_id):
            return None
        query = _visible_maps(
            select(MapRow).options(_MAP_DOCUMENTS).where(MapRow.id == map_id),
            private)
        with self.session() as session:
            row = session.scalars(query).first()
            return _map_record(row, private) if row else None

    def list_maps(
        self, *, limit: int = 20, offset: int = 0, private: bool = False
    ) -> list[MapRecord]:
        """Return maps, newest first."""
        query = _visible_maps(select(MapRow), private).options(_MAP_DOCUMENTS)
        query = query.order_by(MapRow.created.desc(), MapRow.id).limit(limit).offset(offset)
        with self.session() as session:
            return [_map_record(row, private) for row in session.scalars(query)]

    def count_maps(self, *, private: bool = False) -> int:
        """Return the number of stored maps."""
        query = _visible_maps(select(func.count()).select_from(MapRow), private)
        with self.session() as session:
            return session.scalar(query) or 0

    def map_layers(
        self, record: MapRecord, layers: Iterable[str] | None = None, *, private: bool = False
    ) -> dict[str, dict[str, Any]]:
        """Return the map's layers merged across its (visible) documents."""
        chosen = set(record.layers)
        wanted = set(layers) if layers is not None else None
        if chosen and wanted is not None:
            wanted &= chosen
        elif chosen:
            wanted = chosen
        return self._collections(record.document_ids, wanted, private)

    def map_documents(self, record: MapRecord, *, private: bool = False) -> list[DocumentRecord]:
        """Return the map's (visible) documents in the map's order."""
        ids = list(filter(storable, record.document_ids))
        query = _visible_documents(select(DocumentRow), private).where(DocumentRow.id.in_(ids))
        with self.session() as session:
            found = {row.id: _document_record(row) for row in session.scalars(
                query.options(selectinload(DocumentRow.layers)))}
        return [found[d] for d in record.document_ids if d in found]

    # across documents --------------------------------------------------------
    def layer_ids(self, *, private: bool = False) -> list[str]:
        """Return every layer id that has features in some (visible) document."""
        query = _visible_documents(select(LayerRow.layer).join(DocumentRow), private)
        with self.session() as session:
            return list(session.scalars(query.distinct().order_by(LayerRow.layer)))

    def features(
        self, layer: str, *, document_ids: Sequence[str] | None = None, private: bool = False
    ) -> list[dict[str, Any]]:
        """Return every feature of one layer across (visible) documents."""
        if not storable(layer):
            return []
        query = (
            _visible_documents(select(LayerRow).join(DocumentRow), private)
            .options(selectinload(LayerRow.document))
            .where(LayerRow.layer == layer)
            .order_by(DocumentRow.created, DocumentRow.id)
        )
        if document_ids is not None:
            query = query.where(LayerRow.document_id.in_(list(filter(storable, document_ids))))
        with self.session() as session:
            return [f for row in session.scalars(query) for f in _tagged_features(row)]

    def layer_index(
        self, layer: str | None = None, *, document_ids: Sequence[str] | None = None,
        private: bool = False,
    ) -> dict[str, list[LayerEntry]]:
        """Return ``{layer: [LayerEntry]}`` of (visible) stored layers, no GeoJSON read.

        Entries come in (document created, id) order, or in ``document_ids`` order
        when given. Core rather than ORM: OGC requests run this on every call.
        """
        query = _visible_documents(
            select(LayerRow.layer, LayerRow.document_id, DocumentRow.created,
                   DocumentRow.published, LayerRow.bbox).join(DocumentRow), private,
        ).order_by(DocumentRow.created, DocumentRow.id)
        if layer is not None:
            if not storable(layer):
                return {}
            query = query.where(LayerRow.layer == layer)
        if document_ids is not None:
            query = query.where(LayerRow.document_id.in_(list(filter(storable, document_ids))))
        grouped: dict[str, list[LayerEntry]] = {}
        with self.engine.connect() as connection:
            for name, doc, created, published, bbox in connection.execute(query):
                entry = LayerEntry(doc, created, published, tuple(bbox) if bbox else None)
                grouped.setdefault(name, []).append(entry)
        if document_ids is not None:
            order = {d: n for n, d in enumerate(document_ids)}
            for entries in grouped.values():
                entries.sort(key=lambda e: order[e.document_id])
        return grouped

    def _collections(
        self, doc_ids: Sequence[str], layers: Iterable[str] | None, private: bool
    ) -> dict[str, dict[str, Any]]:
        query = (
            _visible_documents(select(LayerRow).join(DocumentRow), private)
            .options(selectinload(LayerRow.document))
            .where(LayerRow.document_id.in_(list(filter(storable, doc_ids))))
        )
        if layers is not None:
            query = query.where(LayerRow.layer.in_(list(filter(storable, layers))))
        order = {d: n for n, d in enumerate(doc_ids)}
        merged: dict[str, list[dict[str, Any]]] = {}
        boxes: dict[str, list[list[float]]] = {}
        with self.session() as session:
            rows = sorted(session.scalars(query), key=lambda r: (order[r.document_id], r.layer))
            for row in rows:
                merged.setdefault(row.layer, []).extend(_tagged_features(row))
                if row.bbox:
                    boxes.setdefault(row.layer, []).append(row.bbox)
        return {
            layer: feature_collection(features, boxes.get(layer, []))
            for layer, features in sorted(merged.items())
        }


def default_url(app: Flask) -> str:
    """Return the SQLite URL of ``kharita.sqlite3`` in the instance folder."""
    return f"sqlite:///{Path(app.instance_path) / 'kharita.sqlite3'}"


def init_app(app: Flask) -> None:
    """Create the app's store once, from the ``DATABASE_URL`` setting."""
    url = app.config.get("DATABASE_URL") or default_url(app)
    app.extensions[EXTENSION] = Store(url)


def get_store() -> Store:
    """Return the store of the current app."""
    return current_app.extensions[EXTENSION]
