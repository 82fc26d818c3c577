"""Bodies of the JSON API: request fields checked, stored records shown.

Pure functions over plain dicts (a JSON object or form fields, which are all
strings), so the rules are testable without a server. A bad field raises
:class:`webapp.ogc.query.RequestError` naming the field and what was received.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import url_for

from webapp.errors import RequestError
from webapp.feeds import check_source, parse_every
from webapp.ingest import LANGS, Submission
from webapp.inputs import blank
from webapp.store import DocumentRecord, FeedRecord, JobRecord, MapRecord, feature_collection
from webapp.store.users import SCOPES, TokenRecord

LAYER_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
PARSE_FIELDS = ("text", "lang", "layers")
DOCUMENT_FIELDS = ("text", "title", "source_url", "published", "lang", "public")
MAP_FIELDS = ("title", "document_ids", "layers", "view", "description", "public")
TOKEN_FIELDS = ("scope", "label")


def _check_fields(body: Mapping[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise RequestError(f"unknown field {unknown[0]!r}; this endpoint accepts "
                           f"{', '.join(known)}")


def _string(body: Mapping[str, Any], name: str, *, limit: int, required: bool = False) -> str:
    value = body.get(name)
    if value is None:
        if required:
            raise RequestError(f"'{name}' is required")
        return ""
    if not isinstance(value, str):
        raise RequestError(f"'{name}' should be a string, got {type(value).__name__}")
    if "\x00" in value:
        raise RequestError(f"'{name}' contains a NUL character (U+0000), which is not text; "
                         "remove it")
    if required and blank(value):
        raise RequestError(f"'{name}' should not be empty")
    if len(value) > limit:
        raise RequestError(f"'{name}' should be at most {limit} characters, got {len(value)}")
    return value


def _lang(body: Mapping[str, Any]) -> str | None:
    if body.get("lang") is None:
        return None
    value = _string(body, "lang", limit=8)
    if value == "auto":
        return None
    if value not in LANGS:
        raise RequestError(f"'lang' should be one of {', '.join(LANGS)} or auto, got {value!r}")
    return value


def _strings(body: Mapping[str, Any], name: str) -> list[str] | None:
    """Return a JSON array of strings (None when absent)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequestError(f"'{name}' should be a list of strings, got {value!r:.80}")
    return value


def _layer_ids(layers: list[str], name: str) -> list[str]:
    for layer in layers:
        if not LAYER_ID.fullmatch(layer):
            raise RequestError(
                f"'{name}' should hold layer ids such as mentions,control_zones; got {layer!r:.80}"
            )
    return layers


def layer_list(raw: Any, name: str = "layers") -> list[str] | None:
    """Return checked layer ids from a JSON array (None: absent, every layer)."""
    layers = _strings({name: raw}, name)
    return None if layers is None else _layer_ids(layers, name) or None


def query_layers(raw: str | None) -> list[str] | None:
    """Return checked layer ids from a ``?layers=a,b`` query (None: absent, every layer)."""
    if raw is None:
        return None
    if not raw.strip():
        raise RequestError("'layers' is empty; leave it out for every layer, or name layer ids "
                         "such as mentions,control_zones")
    return _layer_ids(raw.split(","), "layers")


def parse_fields(body: Mapping[str, Any]) -> tuple[str, str | None, list[str] | None]:
    """Return ``(text, lang, layers)`` for a stateless geoparse."""
    _check_fields(body, PARSE_FIELDS)
    text = _string(body, "text", limit=10**8, required=True)
    return text, _lang(body), layer_list(body.get("layers"))


def _published(body: Mapping[str, Any]) -> date | None:
    value = _string(body, "published", limit=32).strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RequestError(f"'published' should be a date YYYY-MM-DD, got {value!r}") from None


def submission(body: Mapping[str, Any], *, public: bool = True) -> Submission:
    """Return the document to ingest from a request body (``public``: the default)."""
    _check_fields(body, DOCUMENT_FIELDS)
    source = _string(body, "source_url", limit=2000).strip()
    if source and not source.startswith(("http://", "https://")):
        raise RequestError(
            f"'source_url' should start with http:// or https://, got {source!r:.80}")
    return Submission(
        text=_string(body, "text", limit=10**8, required=True),
        title=_string(body, "title", limit=500),
        source_url=source or None,
        published=_published(body),
        lang=_lang(body),
        public=_public(body, public),
    )


def _public(body: Mapping[str, Any], default: bool) -> bool:
    value = body.get("public", default)
    if not isinstance(value, bool):
        raise RequestError(f"'public' should be true or false, got {value!r:.40}")
    return value


def _view(body: Mapping[str, Any]) -> dict[str, Any]:
    value = body.get("view")
    if value is None:  # absent: fit to the layers
        return {}
    if not isinstance(value, dict) or set(value) - {"center", "zoom"}:
        raise RequestError(
            f"'view' should be an object with center [lat, lon] and zoom, got {value!r:.80}"
        )
    center, zoom = value.get("center"), value.get("zoom")
    if center is not None and not (
        isinstance(center, list)
        and len(center) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in center)
        and -90 <= center[0] <= 90
        and -180 <= center[1] <= 180
    ):
        raise RequestError(f"'view.center' should be [lat, lon] in degrees, got {center!r:.80}")
    if zoom is not None and not (
        isinstance(zoom, int) and not isinstance(zoom, bool) and 0 <= zoom <= 18
    ):
        raise RequestError(f"'view.zoom' should be an integer 0..18, got {zoom!r:.40}")
    return {key: part for key, part in value.items() if part is not None}


def map_fields(body: Mapping[str, Any], *, public: bool = True) -> dict[str, Any]:
    """Return keyword arguments for :meth:`webapp.store.Store.create_map` (``public``: the
    default when the body does not say)."""
    _check_fields(body, MAP_FIELDS)
    documents = _strings(body, "document_ids")
    if not documents:
        raise RequestError("'document_ids' should list at least one stored document id")
    return {
        "title": _string(body, "title", limit=500, required=True).strip(),
        "document_ids": documents,
        "layers": layer_list(body.get("layers")) or [],
        "view": _view(body),
        "description": _string(body, "description", limit=5000),
        "public": _public(body, public),
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


FEED_FIELDS = ("url", "every")


def feed_fields(body: Mapping[str, Any]) -> tuple[str, int]:
    """Return the checked (address, seconds between runs) of a feed to follow."""
    _check_fields(body, FEED_FIELDS)
    source = check_source(_string(body, "url", limit=2000, required=True), folders=False)
    return source, parse_every(_string(body, "every", limit=16) or "15m")


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
    _check_fields(body, TOKEN_FIELDS)
    scope = _string(body, "scope", limit=16, required=True)
    if scope not in SCOPES:
        raise RequestError(f"'scope' should be one of {', '.join(SCOPES)}, got {scope!r}")
    return scope, _string(body, "label", limit=100)


def token(record: TokenRecord) -> dict[str, Any]:
    """Return the JSON shape of an API token as listed: never the token itself."""
    return {"id": record.id, "label": record.label, "scope": record.scope,
            "user": record.user.name,
            "created": record.created.isoformat(timespec="seconds") + "Z",
            "revoke": url_for("api.revoke_token", token_id=record.id, _external=True)}
