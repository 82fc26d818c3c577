"""Parse jobs and the idempotency keys of API writes.

They keep a submission from being lost (the text is stored before it is parsed) or
stored twice (a retried write answers what the first one did).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from webapp.models import IdempotencyRow, JobRow
from webapp.store.base import StoreBase
from webapp.store.records import (
    IdempotencyRecord,
    JobRecord,
    _check_storable,
    _job_record,
    _now,
    new_id,
    storable,
)


class JobStore(StoreBase):
    """Parse jobs (queued, running, done, failed) and API idempotency keys."""

    def create_job(self, *, text: str, title: str = "", source_url: str | None = None,
                   published: date | None = None, lang: str | None = None,
                   public: bool = True, map_id: str | None = None,
                   digest: str | None = None) -> JobRecord:
        """Record a submitted text to parse (status ``queued``); with ``map_id``, its document
        goes onto that map instead of a map of its own."""
        _check_storable(text=text, title=title, source_url=source_url)
        now = _now()
        row = JobRow(id=new_id("j"), status="queued", text=text, title=title,
                     source_url=source_url, published=published, lang=lang, public=public,
                     created=now, updated=now, map_id=map_id, digest=digest)
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
        """Return what was submitted for a job: text, title, source_url, published, lang, public,
        map_id."""
        with self.session() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                return None
            return {"text": row.text, "title": row.title, "source_url": row.source_url,
                    "published": row.published, "lang": row.lang, "public": row.public,
                    "map_id": row.map_id}

    def unfinished_jobs(self, *, stale_before: datetime) -> list[str]:
        """Ids of jobs never finished: queued, or running since before ``stale_before``."""
        query = select(JobRow.id).where(
            (JobRow.status == "queued")
            | ((JobRow.status == "running") & (JobRow.updated < stale_before))
        ).order_by(JobRow.created)
        with self.session() as session:
            return list(session.scalars(query))

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
