"""Layers across documents: what OGC collections and extents read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from webapp.models import DocumentRow, LayerRow
from webapp.store.base import StoreBase
from webapp.store.pinned import live_is_published, pinned_layers
from webapp.store.records import (
    LayerEntry,
    StoredLayer,
    _tagged_features,
    _visible_documents,
    storable,
)
from webapp.store.spatial import (
    BBox,
    BoxAnswer,
    FoundFeatures,
    answer_query,
    bbox_query,
    group_found,
)


class LayerStore(StoreBase):
    """Layer ids, features and the (document, layer) index across documents."""

    def layer_ids(self, *, private: bool = False) -> list[str]:
        """Return every layer id that has features in some (visible) document."""
        query = live_is_published(
            _visible_documents(select(LayerRow.layer).join(DocumentRow), private), private)
        with self.session() as session:
            names = set(session.scalars(query.distinct()))
            if not private:
                names.update(pinned.layer for pinned in pinned_layers(session))
        return sorted(names)

    def has_layer(self, layer: str, *, private: bool = False) -> bool:
        """Whether some (visible) document has features in ``layer``: one indexed lookup,
        where :meth:`layer_ids` reads every stored layer."""
        if not storable(layer):
            return False
        query = live_is_published(_visible_documents(
            select(LayerRow.document_id).join(DocumentRow).where(LayerRow.layer == layer),
            private), private).limit(1)
        with self.reader.connect() as connection:
            if connection.execute(query).first() is not None:
                return True
        if private:
            return False
        with self.session() as session:
            return bool(pinned_layers(session, layers=[layer]))

    def features(
        self, layer: str, *, document_ids: Sequence[str] | None = None, private: bool = False
    ) -> list[dict[str, Any]]:
        """Return every feature of one layer across (visible) documents."""
        if not storable(layer):
            return []
        query = (
            live_is_published(_visible_documents(select(LayerRow).join(DocumentRow), private),
                              private)
            .options(selectinload(LayerRow.document))
            .where(LayerRow.layer == layer)
        )
        if document_ids is not None:
            query = query.where(LayerRow.document_id.in_(list(filter(storable, document_ids))))
        with self.session() as session:
            rows: list[StoredLayer] = list(session.scalars(query))
            if not private:
                rows += pinned_layers(session, doc_ids=document_ids, layers=[layer])
            rows.sort(key=lambda r: (r.document.created, r.document_id))
            return [f for row in rows for f in _tagged_features(row)]

    def answer_bbox(self, layer: str, bbox: BBox, *, private: bool = False) -> BoxAnswer:
        """Return :meth:`features_in_bbox` over every document, with the entries of the
        published revisions behind their live one (``private`` off).

        One statement (:func:`~webapp.store.spatial.answer_query`) outside a transaction:
        what every OGC ``items?bbox=`` on a layer runs. The snapshots of the published
        revisions are read only when some document is behind.
        """
        if not storable(layer):
            return BoxAnswer([], [])
        query, params = answer_query(layer, bbox, postgis=self.postgis, private=private)
        with self.reader.connect() as connection:
            rows = connection.execute(query, params).all()
        behind = [row.document_id for row in rows if row.n < 0]
        live = group_found(row for row in rows if row.n >= 0)
        if not behind:
            return BoxAnswer(live, [])
        with self.session() as session:
            return BoxAnswer(live, [e for _, e in _pinned_entries(session, layer, behind)])

    def features_in_bbox(
        self, layer: str, bbox: BBox, *, document_ids: Sequence[str] | None = None,
        private: bool = False,
    ) -> list[FoundFeatures]:
        """Return the features of one layer meeting ``bbox``, per document in (created, id)
        order, from the feature rows of documents read live (:mod:`webapp.store.spatial`).

        On PostGIS the answer is exact; elsewhere it holds every feature whose box
        overlaps, for the caller to test exactly (a few, for a small box).
        """
        if not storable(layer):
            return []
        query, params = bbox_query(layer, bbox, postgis=self.postgis,
                                   document_ids=document_ids, private=private)
        with self.reader.connect() as connection:
            return group_found(connection.execute(query, params))

    def layer_index(
        self, layer: str | None = None, *, document_ids: Sequence[str] | None = None,
        private: bool = False,
    ) -> dict[str, list[LayerEntry]]:
        """Return ``{layer: [LayerEntry]}`` of (visible) stored layers, no GeoJSON read.

        Entries come in (document created, id) order, or in ``document_ids`` order
        when given. Core rather than ORM: OGC requests run this on every call.
        """
        query = live_is_published(_visible_documents(
            select(LayerRow.layer, LayerRow.document_id, DocumentRow.created,
                   DocumentRow.published, LayerRow.bbox, DocumentRow.revision)
            .join(DocumentRow), private,
        ), private).order_by(DocumentRow.created, DocumentRow.id)
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
        if not private:
            self._add_pinned_entries(grouped, layer, document_ids)
        if document_ids is not None:
            order = {d: n for n, d in enumerate(document_ids)}
            for entries in grouped.values():
                entries.sort(key=lambda e: order[e.document_id])
        return grouped

    def _add_pinned_entries(self, grouped: dict[str, list[LayerEntry]], layer: str | None,
                            document_ids: Sequence[str] | None) -> None:
        """Add the entries of published revisions behind their live ones, keeping the order."""
        with self.session() as session:
            found = _pinned_entries(session, layer, document_ids)
        for name, entry in found:
            grouped.setdefault(name, []).append(entry)
        if found:
            for entries in grouped.values():
                entries.sort(key=lambda e: (e.created, e.document_id))


def _pinned_entries(session: Session, layer: str | None,
                    document_ids: Sequence[str] | None) -> list[tuple[str, LayerEntry]]:
    """(layer, entry) of each published revision's layer behind its live one."""
    found = pinned_layers(session, doc_ids=document_ids,
                          layers=[layer] if layer is not None else None)
    return [(pinned.layer, LayerEntry(
        pinned.document.id, pinned.document.created, pinned.document.published,
        tuple(pinned.bbox) if pinned.bbox else None, pinned.document.published_revision or 0,
        pinned=True)) for pinned in found]
