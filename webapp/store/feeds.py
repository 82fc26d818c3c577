"""Feeds a map follows, their schedule, and every item seen: the worker's state.

The ``feeds`` table is both the schedule and the record of each feed: when it
runs next (``next_run``), who holds it now (``claimed_until``: a lease, so a
worker that dies mid-run frees it), how many runs failed in a row and why the
last one did. ``feed_items`` remembers every item by its key (its address, or
its file name in a folder) and by the digest of its content, so an item is
fetched once and a text republished under another address is not stored twice.

Trade-off: a table and an atomic ``UPDATE ... WHERE next_run <= now`` claim
instead of APScheduler's job store (which pickles callables and keeps no
per-feed failure state) or a queue such as RQ (which needs Redis): the same
SQL runs on SQLite and PostgreSQL, several workers never run one feed at once,
and a restarted worker simply carries on from the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from webapp.models import Base, JobRow, MapDocumentRow, MapRow
from webapp.store.base import StoreBase
from webapp.store.records import _check_storable, _now, new_id, storable


class FeedRow(Base):
    """A feed (RSS/Atom address or folder) a map follows, with its schedule and health."""

    __tablename__ = "feeds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(2000))
    every: Mapped[int] = mapped_column(Integer)  # seconds between runs
    next_run: Mapped[datetime] = mapped_column(DateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_run: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime)


class FeedItemRow(Base):
    """One item of a feed: stored as a document, or refused with the reason."""

    __tablename__ = "feed_items"
    __table_args__ = (UniqueConstraint("feed_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed_id: Mapped[str] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(2000))
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16))  # stored | duplicate | refused
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    document_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedRecord:
    """A followed feed as the pages and the worker see it."""

    id: str
    map_id: str
    source: str
    every: int
    next_run: datetime
    failures: int
    last_run: datetime | None
    last_error: str | None
    items: int = 0


def _feed_record(row: FeedRow, items: int = 0) -> FeedRecord:
    return FeedRecord(id=row.id, map_id=row.map_id, source=row.source, every=row.every,
                      next_run=row.next_run, failures=row.failures, last_run=row.last_run,
                      last_error=row.last_error, items=items)


class FeedStore(StoreBase):
    """Follow feeds, claim the due ones, and record their items."""

    def follow(self, map_id: str, source: str, *, every: int) -> FeedRecord:
        """Make ``map_id`` follow ``source`` every ``every`` seconds, first run now."""
        _check_storable(source=source)
        with self.session.begin() as session:
            if not storable(map_id) or session.get(MapRow, map_id) is None:
                raise LookupError(f"no map {map_id!r}; list maps with the API or the home page")
            row = FeedRow(id=new_id("f"), map_id=map_id, source=source, every=every,
                          next_run=_now(), failures=0, created=_now())
            session.add(row)
        return _feed_record(row)

    def get_feed(self, feed_id: str) -> FeedRecord | None:
        """One feed with how many items it stored, or None if the id is unknown."""
        if not storable(feed_id):
            return None
        with self.session() as session:
            row = session.get(FeedRow, feed_id)
            return _feed_record(row, self._stored(session, row.id)) if row else None

    def map_feeds(self, map_id: str) -> list[FeedRecord]:
        """The feeds a map follows, oldest first, with how many items each stored."""
        with self.session() as session:
            rows = session.scalars(select(FeedRow).where(FeedRow.map_id == map_id)
                                   .order_by(FeedRow.created)).all()
            return [_feed_record(r, self._stored(session, r.id)) for r in rows]

    @staticmethod
    def _stored(session: Session, feed_id: str) -> int:
        query = select(func.count()).select_from(FeedItemRow).where(
            FeedItemRow.feed_id == feed_id, FeedItemRow.status == "stored")
        return session.scalar(query) or 0

    def claim_due_feeds(self, *, lease: timedelta, limit: int = 10) -> list[FeedRecord]:
        """Claim feeds whose run is due and not held by another worker (for ``lease``)."""
        now = _now()
        free = (FeedRow.claimed_until.is_(None)) | (FeedRow.claimed_until < now)
        with self.session() as session:
            due = session.scalars(select(FeedRow.id).where(FeedRow.next_run <= now, free)
                                  .order_by(FeedRow.next_run).limit(limit)).all()
        claimed = []
        for feed_id in due:
            with self.session.begin() as session:
                query = update(FeedRow).where(FeedRow.id == feed_id, free).values(
                    claimed_until=now + lease)
                row = session.get(FeedRow, feed_id) if getattr(
                    session.execute(query), "rowcount", 0) else None
                if row is not None:  # this worker won the claim
                    claimed.append(_feed_record(row))
        return claimed

    def finish_feed_run(self, feed_id: str, *, error: str | None, retry_in: timedelta) -> None:
        """Record a run's outcome, schedule the next one and release the lease."""
        now = _now()
        with self.session.begin() as session:
            row = session.get(FeedRow, feed_id)
            if row is None:
                return  # unfollowed meanwhile
            row.failures = row.failures + 1 if error else 0
            row.last_error, row.last_run = error, now
            row.next_run, row.claimed_until = now + retry_in, None

    def seen_item(self, feed_id: str, key: str) -> bool:
        """Whether the feed already has an item with this key."""
        with self.session() as session:
            return session.scalar(select(FeedItemRow.id).where(
                FeedItemRow.feed_id == feed_id, FeedItemRow.key == key)) is not None

    def seen_digest(self, map_id: str, digest: str) -> bool:
        """Whether a feed of this map already stored a text with this digest, or an API batch
        sent it to this map (queued, parsing or stored)."""
        fed = (select(FeedItemRow.id).join(FeedRow, FeedRow.id == FeedItemRow.feed_id)
               .where(FeedRow.map_id == map_id, FeedItemRow.digest == digest,
                      FeedItemRow.status == "stored"))
        sent = select(JobRow.id).where(JobRow.map_id == map_id, JobRow.digest == digest,
                                       JobRow.status != "failed")
        with self.session() as session:
            return any(session.scalar(query.limit(1)) is not None for query in (fed, sent))

    def record_item(self, feed_id: str, key: str, *, status: str, reason: str | None = None,
                    digest: str | None = None, document_id: str | None = None,
                    map_id: str | None = None) -> bool:
        """Record an item (and add its document to ``map_id``); False if already recorded."""
        try:
            with self.session.begin() as session:
                session.add(FeedItemRow(feed_id=feed_id, key=key[:2000], digest=digest,
                                        status=status, reason=reason, document_id=document_id,
                                        created=_now()))
                if document_id and map_id:
                    attach_document(session, map_id, document_id)
        except IntegrityError:
            return False
        return True

    def feed_items(self, feed_id: str) -> list[dict[str, str | None]]:
        """Every item of a feed in the order seen: key, status, reason, document."""
        with self.session() as session:
            rows = session.scalars(select(FeedItemRow).where(FeedItemRow.feed_id == feed_id)
                                   .order_by(FeedItemRow.id)).all()
            return [{"key": r.key, "status": r.status, "reason": r.reason,
                     "document": r.document_id} for r in rows]


def attach_document(session: Session, map_id: str, document_id: str) -> None:
    """Add a document at the end of a map (no-op if the map is gone)."""
    if session.get(MapRow, map_id) is None:
        return
    positions = session.scalars(select(MapDocumentRow.position)
                                .where(MapDocumentRow.map_id == map_id)).all()
    session.add(MapDocumentRow(map_id=map_id, document_id=document_id,
                               position=max(positions, default=-1) + 1))

