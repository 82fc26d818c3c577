"""Publishing: a draft is a document or map whose ``public`` flag is off.

Drafts reuse the visibility rule of :mod:`webapp.store` (``public`` plus the
``private=`` argument of every read), so a draft is absent wherever a private
thing is: pages, downloads, embeds, oEmbed, API and OGC. Publishing turns the
flag on, unpublishing off, each in one transaction. Publishing also pins the
revision the public reads (:mod:`webapp.store.pinned`): editors' later
corrections stay unseen outside until someone publishes again.

A document and its own map are one thing to a reader: they are published and
unpublished together. Publishing a map also publishes the documents it shows
(a published map of draft documents would be empty); unpublishing a map leaves
its documents as they are, as other maps may show them.
"""

from __future__ import annotations

from sqlalchemy import select, update

from webapp.models import DocumentRow, MapDocumentRow, MapRow
from webapp.store.base import StoreBase
from webapp.store.records import (
    DocumentRecord,
    MapRecord,
    _document_record,
    _map_record,
    _now,
    storable,
)


class PublishingStore(StoreBase):
    """Publish and unpublish documents and maps."""

    def set_document_public(self, doc_id: str, public: bool, *, by: str | None = None
                            ) -> DocumentRecord | None:
        """Publish (or unpublish) a document and its own map; None if the id is unknown.

        ``by`` is who publishes: the map page tells editors who published the
        revision the public reads, and when.
        """
        if not storable(doc_id):
            return None
        with self.session.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                return None
            row.public = public
            row.published_revision = row.revision if public else None
            if public:
                row.published_at, row.published_by = _now(), by
            if row.map_id:
                session.execute(update(MapRow).where(MapRow.id == row.map_id)
                                .values(public=public))
            return _document_record(row)

    def set_map_public(self, map_id: str, public: bool, *, by: str | None = None
                       ) -> MapRecord | None:
        """Publish (with its documents, by ``by``) or unpublish a map; None if the id is
        unknown."""
        if not storable(map_id):
            return None
        with self.session.begin() as session:
            row = session.get(MapRow, map_id)
            if row is None:
                return None
            row.public = public
            if public:
                members = select(MapDocumentRow.document_id).where(
                    MapDocumentRow.map_id == map_id)
                session.execute(update(DocumentRow).where(DocumentRow.id.in_(members))
                                .values(public=True, published_revision=DocumentRow.revision,
                                        published_at=_now(), published_by=by))
            return _map_record(row, True)
