"""Correction pages: the editor's forms, a document's history, its revisions, the name search.

Every editing route is gated on :func:`webapp.access.can_edit`; the forms carry
the revision the editor read, and a save from an older one answers 409 with a
message saying what happened (nothing is overwritten). The JSON API over the
same operations is :mod:`webapp.api.corrections`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from geo.layers import layer_ids
from webapp import gazetteer_search
from webapp.access import author_name, can_edit, sees_private
from webapp.corrections import apply_changes, candidates, needs_gazetteer
from webapp.errors import error_response
from webapp.feature_ids import identified
from webapp.forms import CorrectionForm, RevisionForm, parse_form
from webapp.parsing import CorrectionRequest, get_gazetteer, get_parser
from webapp.store import DocumentState, RevisionConflictError, RevisionRecord, get_store
from webapp.views.common import get_map_or_404

bp = Blueprint("corrections", __name__)
DRAW_SCRIPT = "vendor/leaflet-draw/leaflet.draw.js"
FEATURE_FIELDS = ("layer", "actor", "status", "strength", "date")


def require_editor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only callers who may edit run ``view`` (others: sign in for GET, 403 otherwise)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if can_edit():
            return view(*args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("session.signin", next=request.full_path.rstrip("?")))
        abort(403, "Correcting documents needs an editor: sign in first.")

    return guarded


def editable_state(doc_id: str) -> DocumentState:
    """The document's current state for an editor (404 when unknown or hidden)."""
    state = get_store().document_state(doc_id, private=sees_private())
    if state is None:
        abort(404, f"no document {doc_id!r}")
    return state


def save_changes(doc_id: str, expected: int, changes: Any) -> tuple[RevisionRecord, bool]:
    """Apply ``changes`` to revision ``expected`` and save the result as the next revision.

    Returns the new revision and whether the layers were rebuilt. Raises
    InputError (nothing saved) or :class:`RevisionConflictError`.
    """
    state = editable_state(doc_id)
    if state.record.revision != expected:
        raise RevisionConflictError(expected, state.record.revision)
    if needs_gazetteer(changes):  # on a parse worker, which holds the gazetteer
        corrected = get_parser().correct(CorrectionRequest(state=state, changes=changes))
    else:
        corrected = apply_changes(state, changes, get_gazetteer)
    saved = get_store().save_revision(
        doc_id, expected=expected, author=author_name(), summary=corrected.summary,
        mentions=corrected.mentions, layers=corrected.layers)
    return saved, corrected.rebuilt


def restore_revision(doc_id: str, expected: int, number: int) -> RevisionRecord:
    """Save revision ``number``'s snapshot as a new revision (nothing is lost)."""
    found = get_store().get_revision(doc_id, number, private=sees_private())
    if found is None:
        abort(404, f"no revision {number} of document {doc_id!r}")
    _old, snapshot = found
    return get_store().save_revision(
        doc_id, expected=expected, author=author_name(),
        summary=f"restored revision {number}", mentions=snapshot.mentions,
        layers=snapshot.layers)


def change_from_form(form: MultiDict[str, str], fields: CorrectionForm) -> dict[str, Any]:
    """The one change a correction form describes (its fields as the API's change object)."""
    op = form.get("op", "")
    change: dict[str, Any] = {"op": op}
    for name in ("mention", "start", "end"):
        value = getattr(fields, name)
        if value is not None:
            change[name] = value
    if form.get("place"):
        change["place"] = form["place"].strip()
    if op == "add_feature":
        start, end = change.pop("start", None), change.pop("end", None)
        change.update(layer=form.get("layer", ""), name=form.get("name", ""),
                      evidence=[start, end], geometry=form.get("geometry") or None,
                      note=form.get("note", ""),
                      **{name: form.get(name, "") for name in ("actor", "status", "date")})
    if op == "feature":
        change["id"] = form.get("id", "")
        if form.get("action"):
            change["action"] = form["action"]
        if form.get("edit"):
            change["set"] = {name: form.get(name, "") for name in FEATURE_FIELDS}
            change["note"] = form.get("note", "")
        if form.get("geometry", "").strip():
            change["geometry"] = form["geometry"]
    return change


def conflict_page(error: RevisionConflictError, doc_id: str):
    """The 409 page of a stale form: what happened, and the way back."""
    message = gettext("Someone saved a change to this document since you opened it (it is now at "
                      "revision %(current)s; you started from %(expected)s). Nothing of yours was "
                      "saved: reload the page, check their change and apply yours again.",
                      current=error.current, expected=error.expected)
    response = error_response(409, message)
    response.headers["Location"] = url_for("documents.show", doc_id=doc_id)
    return response


@bp.post("/documents/<kid:doc_id>/corrections")
@require_editor
def correct(doc_id: str):
    """Save one correction from the document page's forms; back to the page, or 409."""
    try:
        fields = parse_form(CorrectionForm, request.form)
        saved, _rebuilt = save_changes(doc_id, fields.revision,
                                       [change_from_form(request.form, fields)])
    except RevisionConflictError as error:
        return conflict_page(error, doc_id)
    return redirect(url_for("documents.show", doc_id=doc_id, saved=saved.number,
                            _anchor="corrections"), code=303)


@bp.get("/documents/<kid:doc_id>/history")
def history(doc_id: str):
    """Every revision of a document: who, when, what changed; view or restore any."""
    state = editable_state(doc_id)
    revisions = get_store().list_revisions(doc_id, private=sees_private())
    return render_template("history.html", doc=state.record, revisions=revisions,
                           can_edit=can_edit())


@bp.get("/maps/<kid:map_id>/history")
def map_history(map_id: str):
    """The revisions of every document of a map, newest first: what changed on the map."""
    record = get_map_or_404(map_id)
    store, private = get_store(), sees_private()
    documents = store.map_documents(record, private=private)
    rows = sorted(((doc, revision) for doc in documents
                   for revision in store.list_revisions(doc.id, private=private)),
                  key=lambda row: (row[1].created, row[1].number), reverse=True)
    return render_template("map_history.html", map=record, rows=rows)


@bp.get("/documents/<kid:doc_id>/revisions/<int:number>")
def revision(doc_id: str, number: int):
    """One revision: its mentions and features with their review state."""
    found = get_store().get_revision(doc_id, number, private=sees_private())
    if found is None:
        abort(404, f"no revision {number} of document {doc_id!r}")
    record, snapshot = found
    features = [(feature["id"], feature.get("properties") or {})
                for feature in identified(doc_id, snapshot.layers)]
    return render_template("revision.html", doc=snapshot.record, revision=record,
                           mentions=snapshot.mentions, features=features, can_edit=can_edit())


@bp.get("/documents/<kid:doc_id>/revisions/<int:number>.geojson")
def revision_geojson(doc_id: str, number: int):
    """One revision's layers as stored (rejected features included, with ``review``)."""
    found = get_store().get_revision(doc_id, number, private=sees_private())
    if found is None:
        abort(404, f"no revision {number} of document {doc_id!r}")
    return jsonify({"type": "FeatureCollection", "features": identified(doc_id, found[1].layers)})


@bp.post("/documents/<kid:doc_id>/revisions/<int:number>/restore")
@require_editor
def restore(doc_id: str, number: int):
    """Make an old revision current again, as a new revision."""
    try:
        saved = restore_revision(doc_id, parse_form(RevisionForm, request.form).revision,
                                 number)
    except RevisionConflictError as error:
        return conflict_page(error, doc_id)
    return redirect(url_for("corrections.history", doc_id=doc_id, saved=saved.number), code=303)


@bp.get("/gazetteer/search")
def search():
    """Autocomplete over the offline gazetteer: ``?q=<prefix>&lang=ar|fr|en`` (10 places)."""
    lang = request.args.get("lang") or None
    found = gazetteer_search.search(gazetteer_search.get_names(), request.args.get("q", ""),
                                    lang)
    return jsonify({"ok": True, "places": found})


#: Mentions the editor offers readings for on one page (``?edit_from=`` pages on): each row
#: is a form with its candidates, and a long report has tens of thousands of mentions.
EDIT_ROWS = 200


def editor_context(state: DocumentState) -> dict[str, Any]:
    """What the document page's editor partial shows: one page of mentions with the readings
    offered, and every feature."""
    names = gazetteer_search.get_names()
    total = len(state.mentions)
    start = min(max(0, request.args.get("edit_from", 0, type=int) or 0),
                max(0, total - 1) // EDIT_ROWS * EDIT_ROWS)
    features = []
    for feature in identified(state.record.id, state.layers):
        props = feature.get("properties") or {}
        if not props.get("moved"):
            features.append({"id": feature["id"], "layer": feature["id"].split(".")[1],
                             "props": props, "review": props.get("review") or "machine"})
    return {
        "state": state,
        "mention_rows": [(start + i, m, candidates(m, names))
                         for i, m in enumerate(state.mentions[start:start + EDIT_ROWS])],
        "mention_pages": {"first": start + 1, "last": min(total, start + EDIT_ROWS),
                          "total": total, "size": EDIT_ROWS, "start": start},
        "edit_features": features,
        "layer_choices": [lid for lid in layer_ids() if lid != "mentions"],
        "saved": request.args.get("saved", type=int),
        "draw": draw_installed(),
    }


def draw_installed() -> bool:
    """Whether Leaflet.draw was installed by ``scripts/vendor-js.sh`` (else: GeoJSON paste)."""
    return (Path(current_app.static_folder or "") / DRAW_SCRIPT).is_file()
