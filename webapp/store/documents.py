"""Stored documents: a text, its parse result and its own map, in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from webapp.models import DocumentRow, FeatureRow, JobRow, LayerRow, MapDocumentRow, MapRow
from webapp.store.base import StoreBase
from webapp.store.feeds import attach_document
from webapp.store.pinned import pinned_mentions, published_record
from webapp.store.records import (
    DocumentRecord,
    DocumentSource,
    _bbox,
    _check_storable,
    _document_record,
    _now,
    _visible_documents,
    new_id,
    storable,
)
from webapp.store.spatial import write_features


class DocumentStore(StoreBase):
    """Add, read, list and delete documents."""

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
            session.flush()
            write_features(session, row, layers, postgis=self.postgis)
            if own_map is not None:
                session.add(own_map)
            if job_id is not None:
                job = session.get(JobRow, job_id)
                if job is not None:
                    job.status, job.document_id, job.text, job.updated = (
                        "done", row.id, "", _now())
                    if job.map_id:  # a report of an API batch: onto the map it was sent to
                        session.flush()
                        attach_document(session, job.map_id, row.id)
        return _document_record(row)

    def get_document(self, doc_id: str, *, private: bool = False) -> DocumentRecord | None:
        """Return one document, or None if the id is unknown (or private)."""
        if not storable(doc_id):
            return None
        query = _visible_documents(
            select(DocumentRow).options(selectinload(DocumentRow.layers))
            .where(DocumentRow.id == doc_id), private)
        with self.session() as session:
            row = session.scalars(query).first()
            return self._as_read(session, _document_record(row), private) if row else None

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
            return [self._as_read(session, _document_record(row), private)
                    for row in session.scalars(query)]

    def document_sources(
        self, doc_ids: Iterable[str], *, private: bool = False
    ) -> dict[str, DocumentSource]:
        """Return ``{id: DocumentSource}`` for the (visible) known ids, in one query."""
        ids = sorted(set(filter(storable, doc_ids)))
        if not ids:
            return {}
        query = _visible_documents(
            select(DocumentRow.id, DocumentRow.title, DocumentRow.source_url)
            .where(DocumentRow.id.in_(ids)), private)
        with self.session() as session:
            return {row.id: DocumentSource(id=row.id, title=row.title,
                                           source_url=row.source_url)
                    for row in session.execute(query)}

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
            pinned = pinned_mentions(session, doc_id) if raw and not private else None
        if pinned is not None:
            return pinned
        return json.loads(raw) if raw else []

    def get_layers(
        self, doc_id: str, layers: Iterable[str] | None = None, *, private: bool = False
    ) -> dict[str, dict[str, Any]]:
        """Return ``{layer_id: FeatureCollection}`` for one document."""
        return self._collections([doc_id], layers, private)

    @staticmethod
    def _as_read(session: Session, record: DocumentRecord, private: bool) -> DocumentRecord:
        """``record`` as the caller reads it: at its published revision for the public."""
        return record if private else published_record(session, record)

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
            session.execute(delete(FeatureRow).where(FeatureRow.document_id == doc_id))
            session.delete(row)
        return True
