"""Documents: create from pasted or uploaded text, show with mentions and map."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from geo.errors import InputError
from webapp.access import (
    can_edit,
    new_is_public,
    require_owner,
    sees_private,
    shared_cacheable,
)
from webapp.downloads import check_format, send_layers
from webapp.errors import RequestError
from webapp.form_errors import localize
from webapp.forms import DocumentForm, parse_form
from webapp.highlight import feature_rows, segments
from webapp.i18n import get_lang
from webapp.ingest import Submission, read_upload, submit
from webapp.names import feature_name
from webapp.parsing import get_parser
from webapp.render_cache import get_render_cache, render_key
from webapp.store import DocumentRecord, get_store
from webapp.views.common import (
    download_links,
    embed_code,
    get_document_or_404,
    oembed_href,
    render_map,
    slug,
)
from webapp.views.corrections import editor_context
from webapp.views.home import render_home

bp = Blueprint("documents", __name__, url_prefix="/documents")
FORM_FIELDS = ("title", "source_url", "published", "lang", "text", "private")
#: Rows of the mention and feature tables on the page (the downloads have them all).
TABLE_ROWS = 1000


def submission_from(form, files) -> Submission:
    """Validate the paste/upload form and return a :class:`Submission`."""
    fields = parse_form(DocumentForm, form)
    upload = files.get("file")
    text = read_upload(upload) if upload and upload.filename else fields.text
    return Submission(
        text=text, title=fields.title, source_url=fields.source_url,
        published=fields.published, lang=fields.language,
        public=new_is_public(fields.private),
    )


@bp.post("")
@require_owner
def create():
    """Queue a pasted or uploaded text for parsing; show its document, or its job's page."""
    try:
        submission = submission_from(request.form, request.files)
        idle = get_parser().idle()
        pending = submit(get_store(), submission)
    except (InputError, RequestError) as error:  # the form's fields, the text or its file
        form = {key: request.form.get(key, "") for key in FORM_FIELDS}
        return render_home(form=form, error=localize(str(error), get_lang()), status=400)
    if idle:  # a free worker: the usual report is parsed before the user would notice
        pending.wait(float(current_app.config["PARSE_WAIT"]))
    job = get_store().get_job(pending.job_id)
    if job is not None and job.document_id:
        return redirect(url_for("documents.show", doc_id=job.document_id), code=303)
    return redirect(url_for("jobs.show", job_id=pending.job_id), code=303)


@bp.get("/<kid:doc_id>")
def show(doc_id: str):
    """Show a document: highlighted mentions, its map, tables, downloads and embed code."""
    record = get_document_or_404(doc_id)
    store, private = get_store(), sees_private()
    collections = store.get_layers(doc_id, private=private)
    own_map = store.get_map(record.map_id, private=private) if record.map_id else None
    key = render_key("document-fragments", record.id, record.created, record.revision)
    state = store.document_state(doc_id, private=private) if can_edit() else None
    return render_template(
        "document.html",
        doc=record,
        fragments=get_render_cache().fetch(key, lambda: render_fragments(record, collections)),
        parts=render_map(collections,
                         key=("document", record.id, record.created, record.revision),
                         data_url=url_for("documents.download", doc_id=record.id, fmt="geojson",
                                          display=1)),
        own_map=own_map,
        downloads=download_links(own_map) if own_map else [],
        embed_code=embed_code(own_map) if own_map else "",
        oembed=oembed_href(own_map) if own_map else None,
        editor=editor_context(state) if state else None,
        name_of=local_name,
    )


def render_fragments(record: DocumentRecord, collections: dict) -> dict[str, Markup]:
    """The heavy parts of a document page: its highlighted text and its tables.

    Linear in the text (:func:`webapp.highlight.segments`) and rendered once per
    document version and language; the tables show the first :data:`TABLE_ROWS` rows.
    """
    mentions = get_store().get_mentions(record.id, private=sees_private())
    features = feature_rows(collections)
    return {
        "text": Markup(render_template("_document_text.html", doc=record,
                                       segments=segments(record.text, mentions, collections))),
        "tables": Markup(render_template("_document_tables.html", mentions=mentions,
                                         features=features, table_rows=TABLE_ROWS,
                                         doc=record, name_of=local_name)),
    }


def local_name(name: str | None) -> str:
    """A feature's name in the UI language (the English one when no translation is known)."""
    return (feature_name(name, get_lang()) or name) if name else ""


@bp.get("/<kid:doc_id>.<fmt>")
def download(doc_id: str, fmt: str):
    """Download a document's layers as GeoJSON, GeoPackage, KML or CSV."""
    record = get_document_or_404(doc_id)
    name = f"kharita-{slug(record.title, 'document')}-{record.id}.{check_format(fmt)}"
    return send_layers(get_store().get_layers(doc_id, private=sees_private()), fmt, name,
                       public=shared_cacheable(record.public))
