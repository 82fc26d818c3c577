"""The OpenAPI schemas of the JSON API's request models (:mod:`webapp.api.models`).

The description (``webapp/data/openapi-api.yaml``) names the request bodies; their
schemas are generated from the models that check them, so the two cannot drift.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from webapp.api.models import (
    Body,
    DocumentBody,
    FeedBody,
    MapBody,
    ParseBody,
    ReportBody,
    TokenBody,
)

#: The request models under their names in the OpenAPI description of the API.
DESCRIBED: dict[str, type[Body]] = {
    "ParseInput": ParseBody, "DocumentInput": DocumentBody, "MapInput": MapBody,
    "FeedInput": FeedBody, "TokenInput": TokenBody, "ReportInput": ReportBody,
}


@cache
def openapi_schemas() -> dict[str, Any]:
    """Return the OpenAPI 3.0 schemas of the request models, by their described names.

    pydantic writes JSON Schema 2020-12; OpenAPI 3.0 says ``nullable`` where it says
    ``anyOf [..., null]``, and has no use for pydantic's titles or null defaults.
    """
    schemas: dict[str, Any] = {}
    for name, model in DESCRIBED.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update({key: _openapi(part) for key, part in schema.pop("$defs", {}).items()})
        schemas[name] = _openapi(schema)
    return schemas


def _openapi(schema: Any) -> Any:
    """``schema`` (JSON Schema 2020-12, as pydantic writes it) in OpenAPI 3.0's dialect."""
    if isinstance(schema, list):
        return [_openapi(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _openapi(value) for key, value in schema.items()
           if key not in ("title", "properties") and not (key == "default" and value in (None, ""))}
    if "properties" in schema:
        out["properties"] = {name: _openapi(part) for name, part in schema["properties"].items()}
    options = out.pop("anyOf", None)
    if options is None:
        return out
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) != 1:
        raise ValueError(f"no OpenAPI 3.0 form for anyOf {options!r}")
    if "$ref" in kept[0]:  # OpenAPI 3.0 ignores whatever stands beside a $ref
        return kept[0]
    return {**kept[0], **out, "nullable": True} if len(kept) < len(options) else {**kept[0], **out}
