"""OpenAPI 3 descriptions of the JSON API and the OGC API, kept as YAML data files.

The documents live in ``webapp/data/openapi-api.yaml`` and
``webapp/data/openapi-ogc.yaml``; only ``servers`` is filled in per request so
that clients (GDAL, schemathesis, Swagger UI) resolve absolute URLs on
whatever host and port the app is served from, and the JSON API's request
schemas come from its pydantic models (:func:`webapp.api.schemas.openapi_schemas`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
#: Media type of an OpenAPI 3.0 document in JSON (OGC API - Features, /req/oas30).
MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"


@cache
def _load(name: str) -> dict[str, Any]:
    with (DATA / f"openapi-{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def describe(name: str, server_url: str,
             schemas: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the OpenAPI document ``name`` (``api`` or ``ogc``) served from ``server_url``,
    with ``schemas`` added to its components."""
    document = copy.deepcopy(_load(name))
    document["servers"] = [{"url": server_url.rstrip("/")}]
    if schemas:
        document["components"].setdefault("schemas", {}).update(copy.deepcopy(dict(schemas)))
    return document
