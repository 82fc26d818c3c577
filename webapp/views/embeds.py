"""Embeds: the bare frameable map and the oEmbed endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import RequestRedirect

from webapp.access import sees_private, shared_cacheable
from webapp.errors import RequestError
from webapp.forms import EmbedArgs, EmbedCodeArgs, OembedArgs, check_layers, parse_form
from webapp.headers import rendering_for_cache
from webapp.render_cache import RenderedPage, cached_response, get_render_cache, render_key
from webapp.store import MapRecord, get_store
from webapp.urls import require_own_url
from webapp.views.common import (
    embed_code,
    get_map_or_404,
    map_data_url,
    oembed_href,
    render_map,
    saved_view,
)

bp = Blueprint("embeds", __name__)


def render_embed(record: MapRecord, query: EmbedArgs) -> RenderedPage:
    """Render the embed page of a map (400 for layers the map does not have)."""
    everything = get_store().map_layers(record, private=sees_private())
    check_layers(query.layers, list(everything))
    chosen = {k: v for k, v in everything.items() if query.layers is None or k in query.layers}
    view = saved_view(record)  # the query's zoom and center override the saved ones
    layers: dict[str, Any] = {"layers": ",".join(query.layers)} if query.layers else {}
    data_url = url_for("maps.download", map_id=record.id, fmt="geojson", display=1, **layers)
    parts = render_map(chosen, data_url=data_url, layers_url=map_data_url(record.id),
                       key=("map", record.id, record.version, tuple(chosen), sees_private()),
                       embed=True, lang=query.lang,
                       legend=query.legend,
                       zoom=view["zoom"] if query.zoom is None else query.zoom,
                       center=query.center or view["center"])
    with rendering_for_cache():  # the page is cached: each answer gets its own nonce
        html = render_template("embed.html", map=record, parts=parts,
                               oembed=oembed_href(record), embed_lang=query.lang)
    return RenderedPage.of(html)


@bp.get("/embed/<kid:map_id>")
def embed(map_id: str):
    """Show a bare full-viewport map for iframes (rendered once per map version and options)."""
    record = get_map_or_404(map_id)
    query = parse_form(EmbedArgs, request.args)  # its timeline's options: read by its script
    key = render_key("embed", record.id, record.version, query.page_key(), sees_private())
    page = get_render_cache().fetch(key, lambda: render_embed(record, query))
    return cached_response(page, public=shared_cacheable(record.public))


@bp.get("/maps/<kid:map_id>/embed-code.json")
def code(map_id: str):
    """Answer the embed snippet and address for the embed builder's choices."""
    record = get_map_or_404(map_id)
    query = parse_form(EmbedCodeArgs, request.args)
    check_layers(query.layers, list(get_store().map_layers(record, private=sees_private())))
    options: dict[str, Any] = {"lang": query.lang, "legend": None if query.legend else "0",
                               "layers": ",".join(query.layers) if query.layers else None,
                               "zoom": query.zoom,
                               "center": ",".join(map(str, query.center)) if query.center
                               else None,
                               **query.args()}
    chosen = {k: str(v) for k, v in options.items() if v is not None}
    return jsonify({"ok": True, "src": url_for("embeds.embed", map_id=record.id,
                                               _external=True, **chosen),
                    "code": embed_code(record, height=query.height, **chosen)})


def map_id_from_url(url: str) -> str:
    """Return the map id of a Kharita map or embed URL, or raise NotFound/RequestError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.path:
        raise RequestError(f"url: expected the http(s) address of a map, got {url[:120]!r}")
    adapter = current_app.url_map.bind(parts.netloc or "localhost")
    path = parts.path
    root = request.script_root  # the base URL's path prefix, if any
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root):]
    try:
        endpoint, values = adapter.match(path, method="GET")
    except (HTTPException, RequestRedirect):
        raise NotFound(f"url: {url[:120]!r} is not a Kharita map address") from None
    if endpoint not in ("maps.show", "embeds.embed"):
        raise NotFound(f"url: {url[:120]!r} is not a Kharita map address")
    return values["map_id"]


@bp.get("/oembed")
def oembed():
    """Answer oEmbed (JSON, type rich) for a map or embed URL."""
    query = parse_form(OembedArgs, request.args)
    if query.format != "json":
        return jsonify({"ok": False, "error": f"format: only json is served, got "
                                              f"{query.format[:20]!r}", "status": 501}), 501
    require_own_url(query.url)
    record = get_map_or_404(map_id_from_url(query.url))
    height = min(int(current_app.config["EMBED_HEIGHT"]), query.maxheight or 10**6)
    width = min(800, query.maxwidth or 10**6)
    html = render_template("oembed_iframe.html", title=record.title, height=height, width=width,
                           src=url_for("embeds.embed", map_id=record.id, _external=True))
    return jsonify({
        "version": "1.0",
        "type": "rich",
        "title": record.title,
        "provider_name": "Kharita",
        "provider_url": url_for("home.index", _external=True),
        "html": html.strip(),
        "width": width,
        "height": height,
        "cache_age": 3600,
    })
