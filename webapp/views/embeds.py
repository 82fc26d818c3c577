"""Embeds: the bare frameable map and the oEmbed endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import RequestRedirect

from webapp.access import sees_private, shared_cacheable
from webapp.errors import RequestError
from webapp.headers import rendering_for_cache
from webapp.i18n import LANGUAGES
from webapp.render_cache import RenderedPage, cached_response, get_render_cache, render_key
from webapp.store import MapRecord, get_store
from webapp.timeline import parse_time_query
from webapp.urls import require_own_url
from webapp.views.common import (
    embed_code,
    get_map_or_404,
    map_data_url,
    oembed_href,
    parse_center,
    parse_zoom,
    render_map,
    saved_view,
)
from webapp.views.maps import parse_layers

bp = Blueprint("embeds", __name__)
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class EmbedQuery:
    """The validated, normalised query options of an embed (hashable: part of a cache key)."""

    layers: tuple[str, ...] | None  # sorted; checked against the map's layers when rendering
    lang: str | None
    legend: bool
    zoom: int | None
    center: tuple[float, float] | None


def _flag(name: str, raw: str | None, default: bool) -> bool:
    if raw is None or raw == "":
        return default
    if raw.lower() in TRUE | FALSE:
        return raw.lower() in TRUE
    raise RequestError(f"{name}: expected 1/0 (or true/false), got {raw[:40]!r}")


def _layers(raw: str | None) -> tuple[str, ...] | None:
    asked = {part.strip() for part in (raw or "").split(",") if part.strip()}
    return tuple(sorted(asked)) or None


def parse_query(args) -> EmbedQuery:
    """Validate the embed options (layers, lang, legend, zoom, center) or raise RequestError."""
    lang = args.get("lang")
    if lang not in (None, "") and lang not in LANGUAGES:
        raise RequestError(f"lang: expected one of {', '.join(LANGUAGES)}, got {lang[:20]!r}")
    return EmbedQuery(
        layers=_layers(args.get("layers")),
        lang=lang or None,
        legend=_flag("legend", args.get("legend"), True),
        zoom=parse_zoom(args.get("zoom")),
        center=parse_center(args.get("center")),
    )


def render_embed(record: MapRecord, query: EmbedQuery) -> RenderedPage:
    """Render the embed page of a map (400 for layers the map does not have)."""
    everything = get_store().map_layers(record, private=sees_private())
    parse_layers(",".join(query.layers or ()), list(everything))
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
    query = parse_query(request.args)
    parse_time_query(request.args)  # read by the page's script; the page is the same
    key = render_key("embed", record.id, record.version, query, sees_private())
    page = get_render_cache().fetch(key, lambda: render_embed(record, query))
    return cached_response(page, public=shared_cacheable(record.public))


@bp.get("/maps/<kid:map_id>/embed-code.json")
def code(map_id: str):
    """Answer the embed snippet and address for the embed builder's choices."""
    record = get_map_or_404(map_id)
    query = parse_query(request.args)
    parse_layers(",".join(query.layers or ()), list(get_store().map_layers(
        record, private=sees_private())))
    height = _size("height", request.args.get("height")) or None
    options: dict[str, Any] = {"lang": query.lang, "legend": None if query.legend else "0",
                               "layers": ",".join(query.layers) if query.layers else None,
                               "zoom": query.zoom,
                               "center": ",".join(map(str, query.center)) if query.center
                               else None,
                               **parse_time_query(request.args).args()}
    chosen = {k: str(v) for k, v in options.items() if v is not None}
    return jsonify({"ok": True, "src": url_for("embeds.embed", map_id=record.id,
                                               _external=True, **chosen),
                    "code": embed_code(record, height=height, **chosen)})


def _size(name: str, raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if raw.isdigit() and 0 < int(raw) <= 10000:
        return int(raw)
    raise RequestError(f"{name}: expected a positive whole number of pixels, got {raw[:40]!r}")


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
    url = request.args.get("url", "").strip()
    if not url:
        raise RequestError("url: missing; pass the address of a Kharita map")
    fmt = request.args.get("format", "json")
    if fmt != "json":
        return jsonify({"ok": False, "error": f"format: only json is served, got {fmt[:20]!r}",
                        "status": 501}), 501
    maxwidth = _size("maxwidth", request.args.get("maxwidth"))
    maxheight = _size("maxheight", request.args.get("maxheight"))
    require_own_url(url)
    record = get_map_or_404(map_id_from_url(url))
    height = min(int(current_app.config["EMBED_HEIGHT"]), maxheight or 10**6)
    width = min(800, maxwidth or 10**6)
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
