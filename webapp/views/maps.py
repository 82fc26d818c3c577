"""Maps: combine documents, show with legend and embed code, download layers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for

from webapp.access import new_is_public, require_owner, sees_private, shared_cacheable
from webapp.downloads import (
    check_format,
    feature_details,
    layers_body,
    revalidated,
    send_body,
    with_source,
)
from webapp.errors import RequestError
from webapp.form_errors import FormError, localize
from webapp.forms import (
    FeatureArgs,
    LayersArgs,
    MapForm,
    MapPageArgs,
    check_layers,
    parse_form,
)
from webapp.i18n import get_lang
from webapp.render_cache import get_render_cache, render_key
from webapp.store import DocumentPage, MapRecord, UnknownDocumentError, get_store
from webapp.styles import layer_order, layer_style
from webapp.views.common import (
    download_links,
    embed_code,
    get_map_or_404,
    map_data_url,
    oembed_href,
    render_map,
    saved_view,
    slug,
)

bp = Blueprint("maps", __name__, url_prefix="/maps")


def map_collections(record, asked: tuple[str, ...] | None) -> tuple[list[str], dict]:
    """Return the map's layer ids and its collections cut to the ``asked`` ones (400 if it
    does not have them; None: all)."""
    everything = get_store().map_layers(record, private=sees_private())
    check_layers(asked, list(everything))
    picked = {k: v for k, v in everything.items() if asked is None or k in asked}
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
    try:
        fields = parse_form(MapForm, request.form)
        check_layers(fields.layers, known_layers())
        record = get_store().create_map(title=fields.title, document_ids=fields.documents,
                                        layers=list(fields.layers or ()), view=fields.view(),
                                        description=fields.description,
                                        public=new_is_public(fields.private))
    except (RequestError, UnknownDocumentError) as error:
        return render_new(form=request.form, error=localize(str(error), get_lang()),
                          status=400)
    return redirect(url_for("maps.show", map_id=record.id), code=303)


#: Documents listed on a map page at first; the rest come a page at a time (a map its
#: feeds fill lists thousands, which made its page megabytes of HTML).
DOCUMENTS_PAGE = 50


def document_page(record: MapRecord, args: MapPageArgs, private: bool) -> DocumentPage:
    """Return the page of the map's documents from ``?doc_offset=``, titles holding
    ``?doc_q=``."""
    return get_store().map_document_page(record, limit=DOCUMENTS_PAGE, offset=args.doc_offset,
                                         search=args.doc_q, private=private)


@bp.get("/<kid:map_id>")
def show(map_id: str):
    """Show a map with its layers, legend, downloads and embed code."""
    record = get_map_or_404(map_id)
    args = parse_form(MapPageArgs, request.args)  # ?at=, ?from=&to=: read by the timeline
    private = sees_private()
    available, collections = map_collections(record, args.layers)
    chosen = list(collections) if len(collections) < len(available) else None
    query: dict[str, Any] = {"layers": ",".join(chosen)} if chosen else {}
    return render_template(
        "map.html",
        map=record,
        documents=document_page(record, args, private),
        doc_offset=args.doc_offset,
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
    asked = parse_form(LayersArgs, request.args).layers
    # The map pages ask for the same display GeoJSON on every load: building it reads,
    # simplifies and writes every feature (seconds on a map of thousands of reports).
    key = render_key("download", record.id, record.version, fmt, sees_private(),
                     tuple(sorted(request.args.items(multi=True))))
    details = url_for("maps.details", map_id=record.id)
    body = get_render_cache().fetch(
        key, lambda: layers_body(map_collections(record, asked)[1], fmt, details_url=details))
    return send_body(body, fmt, name, public=shared_cacheable(record.public))


@bp.get("/<kid:map_id>/details.json")
def details(map_id: str):
    """Answer one feature's full properties (sources, evidence) for its popup."""
    record = get_map_or_404(map_id)
    wanted = parse_form(FeatureArgs, request.args).feature
    private = sees_private()
    # a map its feeds fill has thousands of features: indexed once per version
    index = get_render_cache().fetch(
        render_key("details", record.id, record.version, private),
        lambda: feature_details(map_collections(record, None)[1]))
    props = index.get(wanted)
    if props is None:
        abort(404, description=f"feature: map {map_id!r} has no feature {wanted[:200]!r}")
    # the index holds what this caller may see: so may its source
    sources = get_store().document_sources({str(props.get("document", ""))}, private=True)
    response = jsonify({"ok": True, "id": wanted, "properties": with_source(props, sources)})
    return revalidated(response, public=shared_cacheable(record.public))
