"""The feeds a map follows: listed on the map page, added with its form."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from webapp.access import is_owner, require_owner
from webapp.forms import FeedForm, parse_form
from webapp.store import FeedRecord, get_store
from webapp.views.common import get_map_or_404

bp = Blueprint("feeds", __name__)


@bp.app_context_processor
def feed_helpers() -> dict:
    """Let the map page list a map's feeds (and show the form to its owner)."""

    def map_feeds(map_id: str) -> list[FeedRecord]:
        return get_store().map_feeds(map_id) if is_owner() else []

    return {"map_feeds": map_feeds, "follows_feeds": is_owner}


@bp.post("/maps/<kid:map_id>/feeds")
@require_owner
def create(map_id: str):
    """Make a map follow an RSS/Atom address, then show the map."""
    record = get_map_or_404(map_id)
    fields = parse_form(FeedForm, request.form)
    get_store().follow(record.id, fields.url, every=fields.every)
    return redirect(url_for("maps.show", map_id=record.id) + "#feeds", code=303)
