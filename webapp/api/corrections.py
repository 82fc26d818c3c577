"""Corrections in the JSON API: readings, saves with optimistic concurrency, revisions.

A document's revision number is its ETag (``"rev-<n>"``, on
``GET /api/v1/documents/<id>`` and every answer below). A save or a restore
must send it back in ``If-Match``: without it the answer is 428, with a stale
one 412 and the current ETag, so two editors never overwrite each other.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for

from webapp.access import require_writer, sees_private
from webapp.api import read_body
from webapp.corrections import candidates
from webapp.gazetteer_search import get_names
from webapp.store import RevisionConflictError, RevisionRecord, get_store
from webapp.views.corrections import editable_state, restore_revision, save_changes

bp = Blueprint("corrections_api", __name__, url_prefix="/api/v1/documents")
_TAG = re.compile(r'^(?:W/)?"rev-(\d+)(?:-gzip)?"$')


def revision_etag(number: int) -> str:
    """The ETag of a document at revision ``number`` (quoted, as sent)."""
    return f'"rev-{number}"'


def with_etag(response: Response, number: int) -> Response:
    """Set the revision ETag on ``response`` (compression may add ``-gzip``; If-Match allows it)."""
    response.headers["ETag"] = revision_etag(number)
    return response


def expected_revision() -> int:
    """The revision ``If-Match`` names: 428 when missing, 412 when it names none."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        abort(428, 'send the document\'s ETag in If-Match (e.g. If-Match: "rev-3"); read it '
                   "from GET /api/v1/documents/<id> so that you do not overwrite someone's change")
    match = _TAG.match(raw)
    if match is None:
        abort(412, f'If-Match should be one revision ETag such as "rev-3", got {raw[:60]!r}')
    return int(match.group(1))


def conflict(error: RevisionConflictError) -> Response:
    """412 with the current ETag: the client reads the document again before retrying."""
    response = jsonify({"ok": False, "status": 412, "error": str(error),
                        "current_revision": error.current})
    response.status_code = 412
    return with_etag(response, error.current)


def revision_body(record: RevisionRecord) -> dict[str, Any]:
    """The JSON shape of a revision (no snapshot)."""
    return {
        "number": record.number, "author": record.author, "summary": record.summary,
        "created": record.created.isoformat(timespec="seconds") + "Z",
        "links": {"self": url_for("corrections_api.show_revision", doc_id=record.document_id,
                                  number=record.number, _external=True)},
    }


@bp.post("/<doc_id>/corrections")
@require_writer
def correct(doc_id: str):
    """Apply a list of changes (readings, features) as one new revision."""
    editable_state(doc_id)  # 404 before anything else
    expected = expected_revision()
    body = read_body()
    try:
        saved, rebuilt = save_changes(doc_id, expected, body.get("changes"))
    except RevisionConflictError as error:
        return conflict(error)
    response = jsonify({"ok": True, "revision": revision_body(saved), "rebuilt": rebuilt})
    return with_etag(response, saved.number)


@bp.get("/<doc_id>/revisions")
def list_revisions(doc_id: str):
    """Every revision of a document, newest first."""
    state = editable_state(doc_id)
    found = get_store().list_revisions(doc_id, private=sees_private())
    response = jsonify({"ok": True, "revisions": [revision_body(r) for r in found]})
    return with_etag(response, state.record.revision)


@bp.get("/<doc_id>/revisions/<int:number>")
def show_revision(doc_id: str, number: int):
    """One revision with its snapshot: mentions and layers (rejected features included)."""
    found = get_store().get_revision(doc_id, number, private=sees_private())
    if found is None:
        abort(404, f"no revision {number} of document {doc_id!r}")
    record, snapshot = found
    return jsonify({"ok": True, "revision": {**revision_body(record),
                                             "mentions": snapshot.mentions,
                                             "layers": snapshot.layers}})


@bp.post("/<doc_id>/revisions/<int:number>/restore")
@require_writer
def restore(doc_id: str, number: int):
    """Make revision ``number`` current again, as a new revision."""
    editable_state(doc_id)
    expected = expected_revision()
    try:
        saved = restore_revision(doc_id, expected, number)
    except RevisionConflictError as error:
        return conflict(error)
    return with_etag(jsonify({"ok": True, "revision": revision_body(saved)}), saved.number)


@bp.get("/<doc_id>/mentions/<int:index>/readings")
def readings(doc_id: str, index: int):
    """The readings a mention may take: its name's places in the gazetteer."""
    state = editable_state(doc_id)
    if not 0 <= index < len(state.mentions):
        abort(404, f"no mention {index} in document {doc_id!r}")
    found = candidates(state.mentions[index], get_names())
    return with_etag(jsonify({"ok": True, "mention": state.mentions[index],
                              "readings": found}), state.record.revision)
