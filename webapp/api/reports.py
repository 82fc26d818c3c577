"""API batches: ``POST /api/v1/maps/<id>/reports`` sends reports onto a map, as a feed does.

Another system that already has the texts (a newsroom's own pipeline, a
scraper run elsewhere) sends a JSON array of ``{"text", "title", "url",
"published"}``. Each report becomes a parse job, recorded before the answer
(:func:`webapp.ingest.submit`: nothing is lost if the server stops), whose
document goes onto the map rather than a map of its own. A text already on
the map, from a feed or an earlier batch, or twice in one batch, is a
``duplicate`` and not queued (:func:`webapp.ingest.text_digest`). A bad item
refuses the whole batch with a 400 naming it, before anything is queued, so a
corrected batch can simply be sent again. Reports are published when the map is
(as a feed's are). Editors' and admins' tokens (scope ``write``) only.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request

from geo.errors import InputError
from webapp import ingest
from webapp.access import require_writer
from webapp.api import JSON_TYPE, bp, models, readable_map
from webapp.api import bodies as records
from webapp.errors import RequestError
from webapp.inputs import json_array
from webapp.parsing import ParserBusyError
from webapp.store import get_store

#: Most reports one request may send (more: several requests).
MAX_BATCH = 100


def batch_item(raw: Any, n: int, *, map_id: str, public: bool) -> ingest.Submission:
    """The checked submission of item ``n`` of a batch (RequestError naming it otherwise)."""
    if not isinstance(raw, dict):
        raise RequestError(f"item {n}: expected an object with "
                           f"{', '.join(models.ReportBody.model_fields)}, "
                           f"got {type(raw).__name__}")
    try:
        found = models.parse(models.ReportBody, raw)
        return ingest.prepare(ingest.Submission(
            text=found.text, title=found.title, source_url=found.url,
            published=found.published, public=public, map_id=map_id))
    except (RequestError, InputError) as error:
        raise RequestError(f"item {n}: {error}") from None


def read_batch(map_id: str, public: bool) -> list[ingest.Submission]:
    """Every item of the request's batch, checked (the first bad one is a 400)."""
    if request.mimetype != JSON_TYPE:
        abort(415, f"send the body as {JSON_TYPE}; got {request.mimetype or 'no type'!r}")
    items = json_array()
    if not items or len(items) > MAX_BATCH:
        raise RequestError(f"send 1 to {MAX_BATCH} reports in one batch, got {len(items)}")
    return [batch_item(raw, n, map_id=map_id, public=public) for n, raw in enumerate(items)]


@bp.post("/v1/maps/<map_id>/reports")
@require_writer
def send_reports(map_id: str):
    """Queue a batch of reports onto a map: 202 with each one's job, or why it was not."""
    record = readable_map(map_id)
    store = get_store()
    answers: list[dict[str, Any]] = []
    queued: set[str] = set()
    for n, submission in enumerate(read_batch(record.id, record.public)):
        digest = ingest.text_digest(submission.text)
        if digest in queued or store.seen_digest(record.id, digest):
            answers.append({"item": n, "status": "duplicate",
                            "reason": "the same text is already on the map"})
            continue
        try:
            pending = ingest.submit(store, submission)
        except ParserBusyError as error:
            answers.append({"item": n, "status": "busy", "reason": f"{error}; send it again"})
            continue
        queued.add(digest)
        job = store.get_job(pending.job_id)
        answers.append({"item": n, "status": "queued", "job": records.job(job) if job else None})
    response = jsonify({"ok": True, "reports": answers})
    response.status_code = 202
    return response
