"""Bodies of the JSON API: request fields checked, stored records shown.

Pure functions over plain dicts, so the rules are testable without a server. Request
bodies are checked by their pydantic models (:mod:`webapp.api.models`); a bad field
raises :class:`webapp.errors.RequestError` naming the field and what was received.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import url_for

from webapp.api import models
from webapp.feeds import check_source, parse_every
from webapp.ingest import Submission
from webapp.store import (
    DocumentEntry,
    DocumentRecord,
    FeedRecord,
    JobRecord,
    MapRecord,
    feature_collection,
)
from webapp.store.users import TokenRecord


def parse_fields(body: Mapping[str, Any]) -> tuple[str, str | None, list[str] | None]:
    """Return ``(text, lang, layers)`` for a stateless geoparse."""
    fields = models.parse(models.ParseBody, body)
    return fields.text, fields.lang, fields.layers


def submission(body: Mapping[str, Any], *, public: bool = True) -> Submission:
    """Return the document to ingest from a request body (``public``: the default)."""
    fields = models.parse(models.DocumentBody, body)
    return Submission(
        text=fields.text,
        title=fields.title,
        source_url=fields.source_url,
        published=fields.published,
        lang=fields.lang,
        public=public if fields.public is None else fields.public,
    )


def map_fields(body: Mapping[str, Any], *, public: bool = True) -> dict[str, Any]:
    """Return keyword arguments for :meth:`webapp.store.Store.create_map` (``public``: the
    default when the body does not say)."""
    fields = models.parse(models.MapBody, body)
    return {
        "title": fields.title.strip(),
        "document_ids": fields.document_ids,
        "layers": fields.layers or [],
        "view": fields.view.model_dump(exclude_none=True) if fields.view else {},
        "description": fields.description,
        "public": public if fields.public is None else fields.public,
    }


def document(record: DocumentRecord, *, full: bool = False) -> dict[str, Any]:
    """Return the JSON shape of a stored document (``full`` adds the text)."""
    out: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "source_url": record.source_url,
        "published": record.published.isoformat() if record.published else None,
        "lang": record.lang,
        "created": record.created.isoformat(timespec="seconds") + "Z",
        "layers": dict(record.layer_counts),
        "map_id": record.map_id,
        "public": record.public,
        "links": {
            "self": url_for("api.show_document", doc_id=record.id, _external=True),
            "layers": url_for("api.download_document_layers", doc_id=record.id, _external=True),
        },
    }
    if record.map_id:
        out["links"]["map"] = url_for("api.show_map", map_id=record.map_id, _external=True)
    if full:
        out["text"] = record.text
    return out


def document_entry(entry: DocumentEntry) -> dict[str, Any]:
    """Return the JSON shape of a line of a map's list of documents."""
    return {
        "id": entry.id,
        "title": entry.title,
        "lang": entry.lang,
        "published": entry.published.isoformat() if entry.published else None,
        "links": {
            "self": url_for("api.show_document", doc_id=entry.id, _external=True),
            "page": url_for("documents.show", doc_id=entry.id, _external=True),
        },
    }


def map_(record: MapRecord) -> dict[str, Any]:
    """Return the JSON shape of a stored map."""
    return {
        "id": record.id,
        "title": record.title,
        "description": record.description,
        "document_ids": list(record.document_ids),
        "layers": list(record.layers),
        "view": dict(record.view),
        "public": record.public,
        "created": record.created.isoformat(timespec="seconds") + "Z",
        "links": {
            "self": url_for("api.show_map", map_id=record.id, _external=True),
            "layers": url_for("api.download_map_layers", map_id=record.id, _external=True),
        },
    }


def job(record: JobRecord) -> dict[str, Any]:
    """Return the JSON shape of a parse job (a link to its document once done)."""
    links = {"self": url_for("api.show_job", job_id=record.id, _external=True)}
    if record.document_id:
        links["document"] = url_for("api.show_document", doc_id=record.document_id,
                                    _external=True)
    return {"id": record.id, "status": record.status, "title": record.title,
            "document_id": record.document_id, "error": record.error,
            "created": record.created.isoformat(timespec="seconds") + "Z", "links": links}


def merge_layers(
    collections: Mapping[str, Mapping[str, Any]], select: list[str] | None = None
) -> dict[str, Any]:
    """Return one FeatureCollection of every (or every selected) layer, ``layer`` set."""
    features: list[Any] = []
    boxes = []
    for layer, collection in collections.items():
        if select is not None and layer not in select:
            continue
        for feature in collection.get("features", []):  # copied: stored layers are shared
            features.append({**feature,
                             "properties": {**(feature.get("properties") or {}), "layer": layer}})
        if collection.get("bbox"):
            boxes.append(collection["bbox"])
    return feature_collection(features, boxes)


def feed_fields(body: Mapping[str, Any]) -> tuple[str, int]:
    """Return the checked (address, seconds between runs) of a feed to follow."""
    fields = models.parse(models.FeedBody, body)
    return check_source(fields.url, folders=False), parse_every(fields.every or "15m")


def feed(record: FeedRecord) -> dict[str, Any]:
    """Return the JSON shape of a followed feed and its health."""
    def moment(value: datetime | None) -> str | None:
        return value.isoformat(timespec="seconds") + "Z" if value else None

    return {"id": record.id, "map_id": record.map_id, "url": record.source,
            "every": record.every, "next_run": moment(record.next_run),
            "last_run": moment(record.last_run), "failures": record.failures,
            "last_error": record.last_error, "stored": record.items}


def token_fields(body: Mapping[str, Any]) -> tuple[str, str]:
    """Return the checked (scope, label) of an API token to make."""
    fields = models.parse(models.TokenBody, body)
    return fields.scope, fields.label


def token(record: TokenRecord) -> dict[str, Any]:
    """Return the JSON shape of an API token as listed: never the token itself."""
    return {"id": record.id, "label": record.label, "scope": record.scope,
            "user": record.user.name,
            "created": record.created.isoformat(timespec="seconds") + "Z",
            "revoke": url_for("api.revoke_token", token_id=record.id, _external=True)}
