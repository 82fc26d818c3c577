"""What callers who may not see drafts read of a document: its published revision.

Publishing records the revision a document was published at
(``DocumentRow.published_revision``). Editors keep saving corrections, which
move the live state (the ``mentions`` column and the layer rows) on; every
other caller keeps reading the published revision from its snapshot
(:class:`~webapp.models.RevisionRow`, written by the save that moved past it).

So a public read takes **live rows** of documents whose published revision is
the live one, or that pin nothing (things published at creation on an install
without accounts), and **pinned layers** of the others. Both shapes carry what
:func:`~webapp.store.records._tagged_features` reads, so every map, download,
embed and OGC answer shows the same revision.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from webapp.models import DocumentRow, RevisionRow
from webapp.store.records import DocumentRecord, _bbox, storable


@dataclass(frozen=True, slots=True)
class PinnedLayer:
    """One layer of a published revision's snapshot, read like a :class:`LayerRow`."""

    document_id: str
    layer: str
    geojson: str
    count: int
    bbox: list[float] | None
    document: DocumentRow


def live_is_published(query: Any, private: bool) -> Any:
    """Restrict a public query over documents to those whose live state is the published one."""
    if private:
        return query
    return query.where(or_(DocumentRow.published_revision.is_(None),
                           DocumentRow.published_revision == DocumentRow.revision))


def _behind(doc_ids: Sequence[str] | None) -> Any:
    """Public documents whose published revision is behind the live one, with its snapshot."""
    query = read_behind(select(DocumentRow, RevisionRow))
    if doc_ids is not None:
        query = query.where(DocumentRow.id.in_(list(filter(storable, doc_ids))))
    return query


def read_behind(query: Any) -> Any:
    """Restrict a query over documents to the public ones read at a published revision behind
    their live one (joining that revision's snapshot)."""
    return (query.join(RevisionRow, and_(RevisionRow.document_id == DocumentRow.id,
                                         RevisionRow.number == DocumentRow.published_revision))
            .where(DocumentRow.public.is_(True),
                   DocumentRow.published_revision != DocumentRow.revision))


def _shown_count(collection: dict[str, Any]) -> int:
    return sum(1 for f in collection.get("features") or []
               if (f.get("properties") or {}).get("review") != "rejected")


def pinned_layers(session: Session, *, doc_ids: Sequence[str] | None = None,
                  layers: Iterable[str] | None = None) -> list[PinnedLayer]:
    """Non-empty layers of public documents read at a published revision behind the live one."""
    wanted = set(layers) if layers is not None else None
    found = []
    for document, revision in session.execute(_behind(doc_ids)):
        for name, collection in sorted(json.loads(revision.layers).items()):
            if (wanted is not None and name not in wanted) or not collection.get("features"):
                continue
            found.append(PinnedLayer(document.id, name, json.dumps(collection, ensure_ascii=False),
                                     _shown_count(collection), _bbox(collection), document))
    return found


def pinned_mentions(session: Session, doc_id: str) -> list[dict[str, Any]] | None:
    """The mentions of a public document's published revision; None when it reads live."""
    for _document, revision in session.execute(_behind([doc_id])):
        return list(json.loads(revision.mentions))
    return None


def published_record(session: Session, record: DocumentRecord) -> DocumentRecord:
    """``record`` as the public sees it: the published revision's number and layer counts."""
    pinned = record.published_revision
    if pinned is None or pinned == record.revision or not record.public:
        return record
    counts = {layer.layer: layer.count for layer in pinned_layers(session, doc_ids=[record.id])}
    return dataclasses.replace(record, revision=pinned, layer_counts=counts)
