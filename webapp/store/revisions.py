"""Revisions of a document: every correction is a numbered, complete, restorable state.

A document's live state stays where every read already looks for it (its
``mentions`` column and its layer rows), so maps, downloads and OGC
collections need no change to show corrections. Each save also writes a
:class:`~webapp.models.RevisionRow` snapshot, and both happen in **one
transaction** guarded by the revision number the editor started from
(``UPDATE documents SET revision = n + 1 WHERE revision = n``): a second
editor who started from the same number gets :class:`RevisionConflictError`,
and a server killed mid-save leaves the previous revision whole.

Revision 0 is the machine reading; it is written (from the stored state) by
the first save, so documents nobody corrects cost nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from webapp.models import DocumentRow, LayerRow, RevisionRow
from webapp.store.base import StoreBase
from webapp.store.pinned import published_record
from webapp.store.records import (
    DocumentRecord,
    _bbox,
    _check_storable,
    _document_record,
    _now,
    _visible_documents,
    storable,
)
from webapp.store.spatial import write_features

MACHINE_AUTHOR = "kharita"
MAX_REVISION = 2**31  # larger numbers are unknown (and would overflow an SQL integer)
MACHINE_SUMMARY = "machine reading"


class RevisionConflictError(Exception):
    """The document changed since the editor read it (HTTP 412 in the API, 409 on pages)."""

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(
            f"the document is at revision {current}, not {expected}: someone saved a change "
            f"since you read it; reload it, check their change and apply yours again")
        self.expected = expected
        self.current = current


@dataclass(frozen=True, slots=True, kw_only=True)
class RevisionRecord:
    """Who saved which revision, when, and why (no snapshot)."""

    document_id: str
    number: int
    author: str
    summary: str
    created: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentState:
    """A document's mentions and raw layers (rejected features included, no ids added)."""

    record: DocumentRecord
    mentions: list[dict[str, Any]]
    layers: dict[str, dict[str, Any]]


def _revision_record(row: RevisionRow) -> RevisionRecord:
    return RevisionRecord(document_id=row.document_id, number=row.number, author=row.author,
                          summary=row.summary, created=row.created)


def _raw_layers(row: DocumentRow) -> dict[str, dict[str, Any]]:
    return {layer.layer: json.loads(layer.geojson) for layer in row.layers}


def _layer_rows(doc_id: str, layers: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored rows of non-empty layers; ``count`` leaves out rejected features."""
    rows: list[dict[str, Any]] = []
    for layer_id, collection in sorted(layers.items()):
        features = collection.get("features") or []
        if not features:
            continue
        shown = [f for f in features if (f.get("properties") or {}).get("review") != "rejected"]
        rows.append({"document_id": doc_id, "layer": layer_id,
                     "geojson": json.dumps(collection, ensure_ascii=False),
                     "count": len(shown), "bbox": _bbox(collection)})
    return rows


class RevisionStore(StoreBase):
    """Read a document's editable state, save corrections as revisions, list and read them."""

    def document_state(self, doc_id: str, *, private: bool = False) -> DocumentState | None:
        """Return the current state of a document (None if unknown or private); without
        ``private``, the state of its published revision."""
        if not storable(doc_id):
            return None
        query = _visible_documents(select(DocumentRow).where(DocumentRow.id == doc_id), private)
        with self.session() as session:
            row = session.scalars(query).first()
            if row is None:
                return None
            record = _document_record(row)
            if private or row.published_revision in (None, row.revision):
                return DocumentState(record=record, mentions=json.loads(row.mentions),
                                     layers=_raw_layers(row))
            snapshot = session.get(RevisionRow, (doc_id, row.published_revision))
            if snapshot is None:  # cannot happen: the save past it wrote it
                return None
            return DocumentState(record=published_record(session, record),
                                 mentions=json.loads(snapshot.mentions),
                                 layers=json.loads(snapshot.layers))

    def save_revision(
        self, doc_id: str, *, expected: int, author: str, summary: str,
        mentions: Sequence[Mapping[str, Any]], layers: Mapping[str, Mapping[str, Any]],
    ) -> RevisionRecord:
        """Make ``mentions`` and ``layers`` the document's state as revision ``expected + 1``.

        Raises :class:`RevisionConflictError` if the document is no longer at
        revision ``expected``, and ``LookupError`` if it is unknown; in both
        cases nothing is written.
        """
        _check_storable(author=author, summary=summary)
        mentions_json = json.dumps(list(mentions), ensure_ascii=False)
        layers_json = json.dumps(dict(layers), ensure_ascii=False)
        _check_storable(mentions=mentions_json, layers=layers_json)
        if not storable(doc_id):
            raise LookupError(f"no document {doc_id!r}")
        with self.session.begin() as session:
            # The guarded UPDATE comes first: it takes the write lock (SQLite) or the row
            # lock (PostgreSQL) before anything is read, so of two saves from one revision
            # the second waits, then finds the number moved on and writes nothing.
            moved: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(DocumentRow)
                .where(DocumentRow.id == doc_id, DocumentRow.revision == expected)
                .values(revision=expected + 1)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:
                current = session.scalar(select(DocumentRow.revision)
                                         .where(DocumentRow.id == doc_id))
                if current is None:
                    raise LookupError(f"no document {doc_id!r}")
                raise RevisionConflictError(expected, current)
            if expected == 0:
                self._keep_machine_reading(session, doc_id)
            session.execute(update(DocumentRow).where(DocumentRow.id == doc_id)
                            .values(mentions=mentions_json)
                            .execution_options(synchronize_session=False))
            session.execute(delete(LayerRow).where(LayerRow.document_id == doc_id))
            new_rows = _layer_rows(doc_id, layers)
            if new_rows:
                session.execute(insert(LayerRow), new_rows)
            document = session.get(DocumentRow, doc_id)
            assert document is not None  # the guarded UPDATE found it in this transaction
            write_features(session, document, layers, postgis=self.postgis)
            saved = RevisionRow(document_id=doc_id, number=expected + 1, author=author,
                                summary=summary, created=_now(), mentions=mentions_json,
                                layers=layers_json)
            session.add(saved)
            session.flush()
            return _revision_record(saved)

    def _keep_machine_reading(self, session: Session, doc_id: str) -> None:
        """Write revision 0 (the stored machine reading) in the first correction's transaction.

        Called after the guarded UPDATE and before the state is replaced, so the
        row still holds the machine reading.
        """
        row = session.get(DocumentRow, doc_id)
        assert row is not None  # the guarded UPDATE found it in this transaction
        session.add(RevisionRow(
            document_id=doc_id, number=0, author=MACHINE_AUTHOR, summary=MACHINE_SUMMARY,
            created=row.created, mentions=row.mentions,
            layers=json.dumps(_raw_layers(row), ensure_ascii=False)))
        session.flush()

    def corrected_documents(self, *, since: date | None = None) -> list[str]:
        """Ids of documents with a correction (saved on or after ``since``), oldest first."""
        query = select(RevisionRow.document_id, func.min(RevisionRow.created)).where(
            RevisionRow.number > 0)
        if since is not None:
            query = query.where(RevisionRow.created >= datetime.combine(since, time()))
        query = query.group_by(RevisionRow.document_id).order_by(func.min(RevisionRow.created))
        with self.session() as session:
            return [doc_id for doc_id, _first in session.execute(query)]

    def list_revisions(self, doc_id: str, *, private: bool = False) -> list[RevisionRecord]:
        """Return a document's revisions, newest first (revision 0 alone when uncorrected)."""
        state = self.document_state(doc_id, private=private)
        if state is None:
            return []
        query = (select(RevisionRow).where(RevisionRow.document_id == doc_id,
                                           RevisionRow.number <= state.record.revision)
                 .order_by(RevisionRow.number.desc()))
        with self.session() as session:
            found = [_revision_record(row) for row in session.scalars(query)]
        if not found:
            found = [RevisionRecord(document_id=doc_id, number=0, author=MACHINE_AUTHOR,
                                    summary=MACHINE_SUMMARY, created=state.record.created)]
        return found

    def get_revision(self, doc_id: str, number: int, *, private: bool = False
                     ) -> tuple[RevisionRecord, DocumentState] | None:
        """Return one revision and its snapshot (None if unknown or private)."""
        state = self.document_state(doc_id, private=private)
        if state is None or not 0 <= number <= min(state.record.revision, MAX_REVISION - 1):
            return None
        with self.session() as session:
            row = session.get(RevisionRow, (doc_id, number))
            if row is None:
                if number != 0:
                    return None
                # never corrected: revision 0 is the live state
                return (RevisionRecord(document_id=doc_id, number=0, author=MACHINE_AUTHOR,
                                       summary=MACHINE_SUMMARY, created=state.record.created),
                        state)
            snapshot = DocumentState(record=state.record, mentions=json.loads(row.mentions),
                                     layers=json.loads(row.layers))
            return _revision_record(row), snapshot
