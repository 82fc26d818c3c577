"""Layers across documents: what OGC collections and extents read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.models import DocumentRow, LayerRow
from webapp.store.base import StoreBase
from webapp.store.records import (
    LayerEntry,
    _tagged_features,
    _visible_documents,
    storable,
)


class LayerStore(StoreBase):
    """Layer ids, features and the (document, layer) index across documents."""

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
                   DocumentRow.published, LayerRow.bbox, DocumentRow.revision)
            .join(DocumentRow), private,
        ).order_by(DocumentRow.created, DocumentRow.id)
        if layer is not None:
            if not storable(layer):
                return {}
            query = query.where(LayerRow.layer == layer)
        if document_ids is not None:
            query = query.where(LayerRow.document_id.in_(list(filter(storable, document_ids))))
        grouped: dict[str, list[LayerEntry]] = {}
        with self.engine.connect() as connection:
            for name, doc, created, published, bbox, revision in connection.execute(query):
                entry = LayerEntry(doc, created, published, tuple(bbox) if bbox else None,
                                   revision or 0)
                grouped.setdefault(name, []).append(entry)
        if document_ids is not None:
            order = {d: n for n, d in enumerate(document_ids)}
            for entries in grouped.values():
                entries.sort(key=lambda e: order[e.document_id])
        return grouped
