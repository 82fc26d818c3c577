"""OGC API - Features blueprint (``/ogc``): Part 1 Core, GeoJSON, HTML and OpenAPI 3.0.

Collections are layer ids across every stored document (``mentions``,
``control_zones``...) and ``map-<map id>-<layer>`` for each public map. Read
by GDAL's OAPIF driver and QGIS; ``f=json|html`` or the Accept header picks
the format.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from geo.timeline import state_layers
from webapp.access import sees_private
from webapp.errors import RequestError
from webapp.ogc import documents
from webapp.ogc.features import (
    Collection,
    FeatureCache,
    UnknownCollectionError,
    find_feature,
    map_collection_id,
    select_features,
    split_map_collection_id,
)
from webapp.ogc.filters import parse_filter, queryables
from webapp.ogc.query import (
    check_known,
    parse_bbox,
    parse_datetime,
    parse_format,
    parse_int,
)
from webapp.openapi import MEDIA_TYPE, describe
from webapp.store import LayerEntry, Store, get_store

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

ITEM_PARAMS = ("limit", "offset", "bbox", "bbox-crs", "datetime", "filter", "filter-lang", "f")
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
CACHE = "kharita.ogc_cache"
#: Media types of the queryables, the preferred first.
SCHEMA_TYPES = ("application/schema+json", "application/json")
#: How many public maps /collections lists (newest first).
MAX_MAPS = 500


def wants_html(*known: str) -> bool:
    """Check the query parameters and return whether HTML was asked for."""
    check_known(request.args, (*known, "f"))
    return parse_format(request.args.get("f"), request.accept_mimetypes) == "html"


def cache() -> FeatureCache:
    """Return the app's per-process feature cache."""
    return current_app.extensions.setdefault(CACHE, FeatureCache())


def resolve(store: Store, collection_id: str, *, bbox: bool = False) -> Collection:
    """Return the collection named ``collection_id`` with its index rows, or raise a 404.

    ``bbox``: the caller only asks features in a box; a layer-wide collection whose
    features stand alone (not states) then leaves its index unread, as the store's
    feature rows answer that (:func:`webapp.ogc.features.select_features`), and is
    not checked here: the caller does when nothing is found (:func:`check_found`).
    """
    split = split_map_collection_id(collection_id)
    layer = split[1] if split else collection_id
    missing = unknown_collection(collection_id)
    private = sees_private()
    if bbox and split is None and layer not in state_layers():
        return Collection(collection_id, layer, private=private, indexed=False)
    record = store.get_map(split[0], private=private) if split else None
    if split and (record is None or (record.layers and layer not in record.layers)):
        raise missing
    entries = store.layer_index(layer, document_ids=record.document_ids if record else None,
                                private=private).get(layer, [])
    if not entries and layer not in store.layer_ids(private=private):
        raise missing
    return Collection(collection_id, layer, record, tuple(entries), private)


def unknown_collection(collection_id: str) -> UnknownCollectionError:
    """The 404 of a collection id that names nothing."""
    return UnknownCollectionError(f"no collection {collection_id!r}; list them at "
                                  f"{url_for('ogc.list_collections', _external=True)}")


def check_found(store: Store, item: Collection, matched: int) -> None:
    """Raise a 404 for an unchecked collection (see :func:`resolve`) when nothing matched
    and no document has that layer: one lookup, and none when something matched."""
    if not item.indexed and not matched and not store.has_layer(item.layer,
                                                                private=item.private):
        raise unknown_collection(item.id)


def listed(store: Store) -> list[tuple[Collection, list[LayerEntry]]]:
    """Return every collection with its index rows: layers first, then the maps' layers."""
    private = sees_private()
    grouped = store.layer_index(private=private)
    out = [(Collection(layer, layer), entries) for layer, entries in sorted(grouped.items())]
    for record in store.list_maps(limit=MAX_MAPS, private=private):
        docs = set(record.document_ids)
        for layer, entries in sorted(grouped.items()):
            mine = [e for e in entries if e.document_id in docs]
            if mine and (not record.layers or layer in record.layers):
                item = Collection(map_collection_id(record.id, layer), layer, record)
                out.append((item, mine))
    return out


def answer(body: dict[str, Any], template: str, html: bool, media: str = "application/json"):
    """Return ``body`` as JSON (with ``media``) or rendered into ``template``."""
    if html:
        return render_template(f"ogc/{template}", body=body)
    response = jsonify(body)
    response.mimetype = media
    return response


@bp.get("/", strict_slashes=False)
def index():
    """Show the landing page."""
    return answer(documents.landing(), "landing.html", wants_html())


@bp.get("/conformance")
def declare():
    """Declare the conformance classes."""
    body = {"conformsTo": list(documents.CONFORMANCE)}
    return answer(body, "conformance.html", wants_html())


@bp.get("/api")
def describe_api():
    """Serve the OpenAPI document of this API."""
    document = describe("ogc", url_for("ogc.index", _external=True))
    if wants_html():
        return render_template("ogc/api.html", body=document)
    response = jsonify(document)
    response.content_type = MEDIA_TYPE
    return response


@bp.get("/collections")
def list_collections():
    """List every feature collection."""
    html = wants_html()
    return answer(documents.collections(listed(get_store())), "collections.html", html)


@bp.get("/collections/<collection_id>")
def show_collection(collection_id: str):
    """Describe one collection."""
    html = wants_html()
    store = get_store()
    item = resolve(store, collection_id)
    return answer(documents.collection(item, item.entries), "collection.html", html)


@bp.get("/collections/<collection_id>/items")
def list_items(collection_id: str):
    """Return a page of features, filtered by bbox and datetime."""
    html = wants_html(*ITEM_PARAMS)
    limit = parse_int(
        "limit", request.args.get("limit"), default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT
    )
    offset = parse_int(
        "offset", request.args.get("offset"), default=0, minimum=0, maximum=MAX_OFFSET
    )
    bbox = parse_bbox(request.args.get("bbox"))
    crs = request.args.get("bbox-crs")
    if crs not in (None, documents.CRS84):
        raise RequestError(f"'bbox-crs' should be {documents.CRS84}, got {crs!r}")
    interval = parse_datetime(request.args.get("datetime"))
    keep = parse_filter(request.args.get("filter"), request.args.get("filter-lang"))
    store = get_store()
    item = resolve(store, collection_id, bbox=bbox is not None)
    matching = [found for found in select_features(store, cache(), item, bbox=bbox,
                                                   interval=interval)
                if keep is None or keep(found.data.get("properties") or {})]
    page, matched = matching[offset : offset + limit], len(matching)
    check_found(store, item, matched)
    links = documents.page_links(item, request.args, offset=offset, limit=limit, matched=matched)
    if html:
        return render_template(
            "ogc/items.html", collection=item, features=page, matched=matched, links=links
        )
    text = documents.items_text(page, matched=matched, links=links)
    return Response(text, mimetype=documents.GEOJSON)


@bp.get("/collections/<collection_id>/queryables")
def show_queryables(collection_id: str):
    """Describe the properties a ``filter=`` may name (JSON Schema)."""
    check_known(request.args, ("f",))
    if request.args.get("f") not in (None, "json"):
        raise RequestError(f"'f' should be json for queryables, got {request.args['f']!r}")
    resolve(get_store(), collection_id)
    href = url_for("ogc.show_queryables", collection_id=collection_id, _external=True)
    response = jsonify(queryables(collection_id, href))
    # a client accepting JSON but not JSON Schema (GDAL's OAPIF driver) gets it as JSON
    response.mimetype = request.accept_mimetypes.best_match(SCHEMA_TYPES) or SCHEMA_TYPES[0]
    return response


@bp.get("/collections/<collection_id>/items/<feature_id>")
def show_item(collection_id: str, feature_id: str):
    """Return one feature by its stable id."""
    html = wants_html()
    store = get_store()
    item = resolve(store, collection_id)
    found = documents.feature(item, find_feature(store, cache(), item, feature_id))
    return answer(found, "item.html", html, documents.GEOJSON)
