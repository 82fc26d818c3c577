"""Publishing through the JSON API: ``POST .../publish`` and ``.../unpublish``.

Editors' and admins' tokens (scope ``write``) only; the rules are those of the
page buttons (:mod:`webapp.views.publishing`).
"""

from __future__ import annotations

from flask import abort, jsonify, url_for

from webapp.access import author_name, require_writer
from webapp.api import bodies as records
from webapp.api import bp
from webapp.store import get_store


def _document(doc_id: str, public: bool):
    record = get_store().set_document_public(doc_id, public, by=author_name())
    if record is None:
        abort(404, f"no document {doc_id!r}; list them at "
                   f"{url_for('api.list_documents', _external=True)}")
    return jsonify({"ok": True, "document": records.document(record)})


def _map(map_id: str, public: bool):
    record = get_store().set_map_public(map_id, public, by=author_name())
    if record is None:
        abort(404, f"no map {map_id!r}; list maps at {url_for('api.list_maps', _external=True)}")
    return jsonify({"ok": True, "map": records.map_(record)})


@bp.post("/v1/documents/<doc_id>/publish")
@require_writer
def publish_document(doc_id: str):
    """Publish a document and its own map."""
    return _document(doc_id, True)


@bp.post("/v1/documents/<doc_id>/unpublish")
@require_writer
def unpublish_document(doc_id: str):
    """Make a document and its own map drafts again."""
    return _document(doc_id, False)


@bp.post("/v1/maps/<map_id>/publish")
@require_writer
def publish_map(map_id: str):
    """Publish a map and the documents it shows."""
    return _map(map_id, True)


@bp.post("/v1/maps/<map_id>/unpublish")
@require_writer
def unpublish_map(map_id: str):
    """Take a map down everywhere (a draft again)."""
    return _map(map_id, False)
