"""Publish and unpublish buttons of the document and map pages (editors and admins).

Drafts and published things differ in the store's ``public`` flag and the
revision publishing pinned (:mod:`webapp.store.publishing`,
:mod:`webapp.store.pinned`). Nothing else needs clearing: every read checks
both, render-cache keys carry the map's version (which includes the flag and
the revisions each caller reads), and embeds and downloads revalidate with
the server on every request (:func:`webapp.render_cache.cached_response`),
so an unpublished map is gone from every answer at once, and publishing again
shows the newer revision at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for

from webapp.access import author_name, require_owner
from webapp.store import get_store

bp = Blueprint("publishing", __name__)


def _document(doc_id: str, public: bool):
    if get_store().set_document_public(doc_id, public, by=author_name()) is None:
        abort(404, description=f"No document with id {doc_id!r}; check the link.")
    return redirect(url_for("documents.show", doc_id=doc_id), code=303)


def _map(map_id: str, public: bool):
    if get_store().set_map_public(map_id, public, by=author_name()) is None:
        abort(404, description=f"No map with id {map_id!r}; check the link.")
    return redirect(url_for("maps.show", map_id=map_id), code=303)


@bp.post("/documents/<kid:doc_id>/publish")
@require_owner
def publish_document(doc_id: str):
    """Publish a document and its own map."""
    return _document(doc_id, True)


@bp.post("/documents/<kid:doc_id>/unpublish")
@require_owner
def unpublish_document(doc_id: str):
    """Make a document and its own map drafts again."""
    return _document(doc_id, False)


@bp.post("/maps/<kid:map_id>/publish")
@require_owner
def publish_map(map_id: str):
    """Publish a map and the documents it shows."""
    return _map(map_id, True)


@bp.post("/maps/<kid:map_id>/unpublish")
@require_owner
def unpublish_map(map_id: str):
    """Take a map down everywhere (a draft again)."""
    return _map(map_id, False)
