"""Maps: combine documents, show with legend and embed code, download layers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from geo.errors import InputError
from webapp.access import new_is_public, require_owner, sees_private, shared_cacheable
from webapp.downloads import check_format, layers_body, send_body
from webapp.errors import RequestError
from webapp.form_errors import FormError, localize
from webapp.i18n import get_lang
from webapp.render_cache import get_render_cache, render_key
from webapp.store import DocumentPage, MapRecord, UnknownDocumentError, get_store
from webapp.styles import layer_order, layer_style
from webapp.timeline import parse_time_query
from webapp.views.common import (
    download_links,
    embed_code,
    get_map_or_404,
    map_data_url,
    oembed_href,
    parse_view,
    render_map,
    saved_view,
    slug,
)

bp = Blueprint("maps", __name__, url_prefix="/maps")

def parse_layers(raw: str | None, available: list[str]) -> list[str] | None:
    """Return the layers asked for in ``?layers=a,b`` (None: all) or raise RequestError."""
    if raw is None or not raw.strip():
        return None
    asked = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [layer for layer in asked if layer not in available]
    if unknown:
        raise RequestError(
            f"layers: unknown layer(s) {', '.join(unknown)[:200]}; "
            f"this map has {', '.join(available) or 'no layers'}"
        )
    return asked


def map_collections(record) -> tuple[list[str], dict]:
    """Return the map's layer ids and its collections filtered by ``?layers=`` (400 if bad)."""
    everything = get_store().map_layers(record, private=sees_private())
    chosen = parse_layers(request.args.get("layers"), list(everything))
    picked = {k: v for k, v in everything.items() if chosen is None or k in chosen}
    return list(everything), picked


def known_layers() -> list[str]:
    """Return every layer id a map can choose from."""
    return sorted(set(layer_order()) | set(get_store().layer_ids(private=sees_private())))


def render_new(form=None, error: FormError | None = None, status: int = 200):
    """Render the new-map form, optionally with its values and an error."""
    documents = get_store().list_documents(limit=200, private=sees_private())
    layers = [(layer, layer_style(layer, get_lang()).label) for layer in known_layers()]
    return render_template("map_new.html", documents=documents, layers=layers,
                           form=form, error=error), status


@bp.get("/new")
@require_owner
def new():
    """Show the form that combines documents into a named map."""
    return render_new()


@bp.post("")
@require_owner
def create():
    """Store a named map over chosen documents, layers and view, then show it."""
    form = request.form
    title = form.get("title", "").strip()[:500]
    doc_ids = form.getlist("documents")
    layers = [layer for layer in form.getlist("layers") if layer]
    try:
        if not title:
            raise InputError("title: empty; give the map a name")
        if not doc_ids:
            raise InputError("documents: none chosen; tick at least one document")
        parse_layers(",".join(layers), known_layers())
        view = parse_view(form.get("center"), form.get("zoom"))
        record = get_store().create_map(title=title, document_ids=doc_ids, layers=layers,
                                        view=view, description=form.get("description", "")[:2000],
                                        public=new_is_public(bool(form.get("private"))))
    except (InputError, RequestError, UnknownDocumentError) as error:
        return render_new(form=form, error=localize(str(error), get_lang()), status=400)
    return redirect(url_for("maps.show", map_id=record.id), code=303)


#: Documents listed on a map page at first; the rest come a page at a time (a map its
#: feeds fill lists thousands, which made its page megabytes of HTML).
DOCUMENTS_PAGE = 50


def document_offset() -> int:
    """Return ``?doc_offset=``: where the page's list of documents starts (400 if bad)."""
    raw = request.args.get("doc_offset", "0").strip() or "0"
    if not raw.isdigit() or int(raw) > 10**7:
        raise RequestError(f"doc_offset: expected a whole number of documents, got {raw[:20]!r}")
    return int(raw)


def document_page(record: MapRecord, offset: int, private: bool) -> DocumentPage:
    """Return the page of the map's documents from ``offset``, titles holding ``?doc_q=``."""
    return get_store().map_document_page(record, limit=DOCUMENTS_PAGE, offset=offset,
                                         search=request.args.get("doc_q", "")[:200],
                                         private=private)


@bp.get("/<kid:map_id>")
def show(map_id: str):
    """Show a map with its layers, legend, downloads and embed code."""
    record = get_map_or_404(map_id)
    parse_time_query(request.args)  # ?at= / ?from=&to= are read by the timeline's script
    private, offset = sees_private(), document_offset()
    available, collections = map_collections(record)
    chosen = list(collections) if len(collections) < len(available) else None
    query: dict[str, Any] = {"layers": ",".join(chosen)} if chosen else {}
    return render_template(
        "map.html",
        map=record,
        documents=document_page(record, offset, private),
        doc_offset=offset,
        documents_page=DOCUMENTS_PAGE,
        drafts_ahead=get_store().map_drafts_ahead(record) if private else [],
        available=[(layer, layer_style(layer, get_lang()).label) for layer in available],
        chosen=chosen or available,
        parts=render_map(collections, data_url=url_for("maps.download", map_id=record.id,
                                                       fmt="geojson", display=1, **query),
                         layers_url=map_data_url(record.id),
                         key=("map", record.id, record.version, tuple(collections), private),
                         **saved_view(record)),
        downloads=download_links(record),
        embed_code=embed_code(record, **query),
        oembed=oembed_href(record),
    )


@bp.get("/<kid:map_id>.<fmt>")
def download(map_id: str, fmt: str):
    """Download a map's layers as GeoJSON, GeoPackage, KML or CSV (made once per version)."""
    record = get_map_or_404(map_id)
    name = f"kharita-{slug(record.title, 'map')}-{record.id}.{check_format(fmt)}"
    # The map pages ask for the same display GeoJSON on every load: building it reads,
    # simplifies and writes every feature (seconds on a map of thousands of reports).
    key = render_key("download", record.id, record.version, fmt, sees_private(),
                     tuple(sorted(request.args.items(multi=True))))
    body = get_render_cache().fetch(key, lambda: layers_body(map_collections(record)[1], fmt))
    return send_body(body, fmt, name, public=shared_cacheable(record.public))
