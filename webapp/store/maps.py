"""Stored maps: named combinations of documents, layers and a view."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.models import DocumentRow, MapDocumentRow, MapRow
from webapp.store.base import StoreBase
from webapp.store.pinned import published_record
from webapp.store.records import (
    _MAP_DOCUMENTS,
    MAP_LINK_COLUMNS,
    DocumentEntry,
    DocumentPage,
    DocumentRecord,
    MapLink,
    MapRecord,
    UnknownDocumentError,
    _check_storable,
    _document_record,
    _map_record,
    _now,
    _visible_documents,
    _visible_maps,
    new_id,
    storable,
)

#: Maps of this many documents keep their merged layers (geo.merge) per version: merging
#: thousands of reports takes seconds, and the page and its GeoJSON ask for them in turn.
MERGED_CACHE_FROM = 50


class MergedCache:
    """The merged layers of the last few large maps, by (map, version, layers, private).

    Answers are shared, so callers must not change them (they copy what they change).
    Two entries: one large map may hold tens of megabytes of features.
    """

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self._data: OrderedDict[tuple, dict[str, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def fetch(self, key: tuple, build: Callable[[], dict[str, dict[str, Any]]]
              ) -> dict[str, dict[str, Any]]:
        """Return the cached answer for ``key``, building it (once) when missing."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        found = build()
        with self._lock:
            self._data[key] = found
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return found


class MapStore(StoreBase):
    """Create, read and list maps, and read their layers."""

    _merged_cache: MergedCache

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
        query = _visible_maps(select(MapRow).where(MapRow.id == map_id), private)
        # one plain query for the documents: every page and download reads the map first,
        # and a map its feeds fill has thousands (the ORM took half a second over them)
        links = (select(*MAP_LINK_COLUMNS)
                 .join(DocumentRow, DocumentRow.id == MapDocumentRow.document_id)
                 .where(MapDocumentRow.map_id == map_id).order_by(MapDocumentRow.position))
        with self.session() as session:
            row = session.scalars(query).first()
            if row is None:
                return None
            return _map_record(row, private, [MapLink(*found)
                                              for found in session.execute(links)])

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
        if len(record.document_ids) < MERGED_CACHE_FROM:
            return self._collections(record.document_ids, wanted, private)
        key = (record.id, record.version, frozenset(wanted) if wanted is not None else None,
               private)
        return self._merged_cache.fetch(
            key, lambda: self._collections(record.document_ids, wanted, private))

    def map_documents(self, record: MapRecord, *, private: bool = False) -> list[DocumentRecord]:
        """Return the map's (visible) documents in the map's order."""
        ids = list(filter(storable, record.document_ids))
        query = _visible_documents(select(DocumentRow), private).where(DocumentRow.id.in_(ids))
        with self.session() as session:
            found = {row.id: _document_record(row) for row in session.scalars(
                query.options(selectinload(DocumentRow.layers)))}
            if not private:
                found = {d: published_record(session, r) for d, r in found.items()}
        return [found[d] for d in record.document_ids if d in found]

    def map_document_page(self, record: MapRecord, *, limit: int, offset: int = 0,
                          search: str = "", private: bool = False) -> DocumentPage:
        """Return one page of the map's (visible) documents in the map's order, and how
        many there are; ``search`` keeps those whose title holds it (any case)."""
        query = _visible_documents(
            select(DocumentRow.id, DocumentRow.title, DocumentRow.lang, DocumentRow.published)
            .join(MapDocumentRow, MapDocumentRow.document_id == DocumentRow.id)
            .where(MapDocumentRow.map_id == record.id), private)
        if search.strip() and storable(search):
            query = query.where(title_holds(search.strip()))
        count = select(func.count()).select_from(query.subquery())
        with self.session() as session:
            total = session.scalar(count) or 0
            rows = session.execute(query.order_by(MapDocumentRow.position)
                                   .limit(limit).offset(offset))
            entries = tuple(DocumentEntry(id=row.id, title=row.title, lang=row.lang,
                                          published=row.published) for row in rows)
        return DocumentPage(entries=entries, total=total)

    def map_drafts_ahead(self, record: MapRecord) -> list[DocumentRecord]:
        """Return the map's public documents with corrections saved after the published
        revision (what editors are told above the map), in the map's order."""
        query = (select(DocumentRow)
                 .join(MapDocumentRow, MapDocumentRow.document_id == DocumentRow.id)
                 .where(MapDocumentRow.map_id == record.id, DocumentRow.public.is_(True),
                        DocumentRow.published_revision.is_not(None),
                        DocumentRow.published_revision != DocumentRow.revision)
                 .options(selectinload(DocumentRow.layers))
                 .order_by(MapDocumentRow.position))
        with self.session() as session:
            return [_document_record(row) for row in session.scalars(query)]


def title_holds(search: str) -> Any:
    """The condition that a document's title holds ``search``, in any case (``%`` and ``_``
    in it are plain characters)."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # ILIKE on PostgreSQL; SQLite folds the case of ASCII letters only (Arabic has none)
    return DocumentRow.title.ilike(f"%{escaped}%", escape="\\")
