"""JSON API blueprint (``/api/v1``) and its OpenAPI description (``/api/openapi.json``).

Newsroom tools push texts in and scripts pull layers out. Bodies are JSON;
:mod:`webapp.api.models` checks them and the query options, and every failure
answers the house JSON error body. Every POST needs an editor's credentials (a write-scope token,
the deployment token, or an editor's session) unless the install is open
(:mod:`webapp.access`); drafts and private documents and maps are 404 to
anonymous callers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for

from webapp import ingest
from webapp.access import new_is_public, require_writer, sees_private
from webapp.api import bodies as records
from webapp.api import models
from webapp.api.schemas import openapi_schemas
from webapp.downloads import in_box, in_window
from webapp.idempotency import idempotent
from webapp.inputs import json_body
from webapp.ogc.query import BBox
from webapp.openapi import describe
from webapp.parsing import ParseRequest, get_parser
from webapp.store import DocumentRecord, MapRecord, get_store

bp = Blueprint("api", __name__, url_prefix="/api")

JSON_TYPE = "application/json"


def read_body() -> dict[str, Any]:
    """Return the JSON object of the request body (400/413/415 otherwise).

    Only ``application/json``: a cross-site page can send forms and ``text/plain``
    without asking, but not JSON, so writes cannot be forged from another site.
    """
    mimetype = request.mimetype
    if mimetype != JSON_TYPE:
        abort(415, f"send the body as {JSON_TYPE}; got {mimetype or 'no type'!r}")
    return json_body()


def page_args() -> tuple[int, int]:
    """Return ``(limit, offset)`` from the query string."""
    page = models.parse(models.PageQuery, request.args.to_dict())
    return page.limit, page.offset


def paged(key: str, items: list[dict[str, Any]], total: int, endpoint: str,
          **values: Any) -> Response:
    """Return one page of ``items`` with ``next``/``prev`` URLs (``values``: the endpoint's
    other arguments)."""
    limit, offset = page_args()
    nxt = url_for(endpoint, limit=limit, offset=offset + limit, _external=True, **values)
    prev = url_for(endpoint, limit=limit, offset=max(0, offset - limit), _external=True,
                   **values)
    return jsonify(
        {
            "ok": True,
            key: items,
            "total": total,
            "limit": limit,
            "offset": offset,
            "next": nxt if offset + limit < total else None,
            "prev": prev if offset > 0 else None,
        }
    )


def readable_map(map_id: str) -> MapRecord:
    """Return a map the caller may read (404 when unknown or private to the caller)."""
    record = get_store().get_map(map_id, private=sees_private())
    if record is None:
        abort(404, f"no map {map_id!r}; list maps at {url_for('api.list_maps', _external=True)}")
    return record


def readable_document(doc_id: str) -> DocumentRecord:
    """Return a document the caller may read (404 when unknown or private to the caller)."""
    record = get_store().get_document(doc_id, private=sees_private())
    if record is None:
        abort(404, f"no document {doc_id!r}; list them at "
                   f"{url_for('api.list_documents', _external=True)}")
    return record


def geojson(collections: Mapping[str, Mapping[str, Any]], bbox: BBox | None) -> Response:
    """Return layers merged into one FeatureCollection, cut to ``?datetime=`` and ``bbox``
    if given (after a map's reports are merged: an event is kept or left whole)."""
    body = records.merge_layers(in_box(in_window(collections, request.args.get("datetime")),
                                       bbox))
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, mimetype="application/geo+json")


@bp.get("/openapi.json")
def describe_api():
    """Serve the OpenAPI 3 description of the JSON API."""
    server = url_for("api.describe_api", _external=True).rsplit("/", 1)[0]
    return jsonify(describe("api", server, openapi_schemas()))


@bp.post("/v1/geoparse")
@require_writer
def parse():
    """Geoparse a text without storing it: mentions and layers out."""
    text, lang, wanted = records.parse_fields(read_body())
    result = get_parser().parse(ParseRequest(text=text, lang=lang))
    return jsonify({"ok": True, "lang": result.lang, "mentions": result.mentions,
                    "layers": records.merge_layers(result.layers, wanted)})


def created(kind: str, body: dict, location: str) -> Response:
    """A 201 answer ``{"ok": true, kind: body}`` pointing at the new resource."""
    response = jsonify({"ok": True, kind: body})
    response.status_code = 201
    response.headers["Location"] = location
    return response


@bp.post("/v1/documents")
@require_writer
@idempotent
def create_document():
    """Store and geoparse a text: 201 with the document, or 202 with its job if still parsing."""
    store = get_store()
    pending = ingest.submit(store, records.submission(read_body(), public=new_is_public(False)))
    pending.wait(float(current_app.config["PARSE_WAIT"]))
    job = store.get_job(pending.job_id)
    if job is not None and job.status == "done" and job.document_id:
        record = store.get_document(job.document_id, private=True)
        if record is not None:
            return created("document", records.document(record, full=True),
                           url_for("api.show_document", doc_id=record.id, _external=True))
    return show_job(pending.job_id)


@bp.get("/v1/jobs/<job_id>")
def show_job(job_id: str):
    """Return a parse job: 202 while queued or running, 200 once done, 422 if it failed."""
    job = get_store().get_job(job_id)
    if job is None:
        abort(404, f"no job {job_id!r}")
    body = records.job(job)
    status = {"done": 200, "failed": 422}.get(job.status, 202)
    response = jsonify({"ok": job.status != "failed", "job": body})
    response.status_code = status
    if status == 202:
        response.headers["Location"] = body["links"]["self"]
        response.headers["Retry-After"] = "2"
    return response


@bp.get("/v1/documents")
def list_documents():
    """List stored documents, newest first, a page at a time."""
    limit, offset = page_args()
    store, private = get_store(), sees_private()
    found = store.list_documents(limit=limit, offset=offset, private=private)
    items = [records.document(d) for d in found]
    return paged("documents", items, store.count_documents(private=private),
                 "api.list_documents")


@bp.get("/v1/documents/<doc_id>")
def show_document(doc_id: str):
    """Return one document with its text and mentions; its revision is the ETag."""
    record = readable_document(doc_id)
    body = records.document(record, full=True)
    body["mentions"] = get_store().get_mentions(doc_id, private=sees_private())
    response = jsonify({"ok": True, "document": body})
    response.headers["ETag"] = f'"rev-{record.revision}"'  # what corrections send in If-Match
    return response


@bp.get("/v1/documents/<doc_id>/layers.geojson")
def download_document_layers(doc_id: str):
    """Return a document's layers as one GeoJSON FeatureCollection."""
    query = models.parse(models.LayersQuery, request.args.to_dict())
    readable_document(doc_id)
    return geojson(get_store().get_layers(doc_id, query.layers, private=sees_private()),
                   query.bbox)


@bp.post("/v1/maps")
@require_writer
@idempotent
def create_map():
    """Store a map over stored documents; answer 201 with the new map."""
    record = get_store().create_map(**records.map_fields(read_body(),
                                                        public=new_is_public(False)))
    return created("map", records.map_(record),
                   url_for("api.show_map", map_id=record.id, _external=True))


@bp.get("/v1/maps")
def list_maps():
    """List maps (public ones only without the token), newest first."""
    limit, offset = page_args()
    store, private = get_store(), sees_private()
    found = store.list_maps(limit=limit, offset=offset, private=private)
    total = store.count_maps(private=private)
    return paged("maps", [records.map_(m) for m in found], total, "api.list_maps")


@bp.get("/v1/maps/<map_id>")
def show_map(map_id: str):
    """Return one map."""
    return jsonify({"ok": True, "map": records.map_(readable_map(map_id))})


@bp.get("/v1/maps/<map_id>/documents")
def list_map_documents(map_id: str):
    """List a map's documents in its order, a page at a time (``?q=``: titles holding it)."""
    query = models.parse(models.DocumentSearchQuery, request.args.to_dict())
    record = readable_map(map_id)
    found = get_store().map_document_page(record, limit=query.limit, offset=query.offset,
                                          search=query.q, private=sees_private())
    return paged("documents", [records.document_entry(d) for d in found.entries], found.total,
                 "api.list_map_documents", map_id=record.id, q=query.q or None)


@bp.get("/v1/maps/<map_id>/layers.geojson")
def download_map_layers(map_id: str):
    """Return a map's chosen layers as one GeoJSON FeatureCollection."""
    query = models.parse(models.LayersQuery, request.args.to_dict())
    record = readable_map(map_id)
    return geojson(get_store().map_layers(record, query.layers, private=sees_private()),
                   query.bbox)


@bp.get("/v1/maps/<map_id>/feeds")
@require_writer
def list_feeds(map_id: str):
    """List the feeds a map follows, with their health."""
    record = readable_map(map_id)
    return jsonify({"ok": True, "feeds": [records.feed(f) for f in
                                          get_store().map_feeds(record.id)]})


@bp.post("/v1/maps/<map_id>/feeds")
@require_writer
def follow_feed(map_id: str):
    """Make a map follow an RSS/Atom address; the feed worker reads it from now on."""
    source, every = records.feed_fields(read_body())
    record = readable_map(map_id)
    found = get_store().follow(record.id, source, every=every)
    return created("feed", records.feed(found),
                   url_for("api.list_feeds", map_id=record.id, _external=True))


from webapp.api import publishing, reports, tokens  # noqa: E402, F401  (their routes join bp)
