"""OGC API - Features Part 3: queryables and CQL2 filters on layer properties.

A collection's **queryables** are the feature properties an analyst filters
on (actor, status, date, strength, confidence...), described as a JSON Schema.
``filter=`` takes a CQL2 expression in text (``filter-lang=cql2-text``, the
default) or JSON (``cql2-json``), parsed by pygeofilter (as pygeoapi does) and
evaluated on each feature's properties with its native backend: a property a
feature lacks is null, so a comparison with it is simply false. A filter that
does not parse, or names a property that is not queryable, is a 400 saying so.

Trade-off: the filter runs in Python over the features the bbox and datetime
left, like the rest of the OGC answer; pushing it into SQL waits for PostGIS.

GDAL's OAPIF driver (up to 3.12 at least) knows only the drafts of Part 3 that came
before CQL2: it sends a filter when the OpenAPI description offers ``filter-lang``
``cql-text``, and only on the properties named by the draft's queryables
(``{"queryables": [{"id": ...}]}`` behind a link of relation ``queryables``). So
``cql-text`` is read as ``cql2-text`` (what GDAL writes, comparisons joined by
AND/OR/NOT, is CQL2 text too), and the queryables document carries that list beside
its JSON Schema (:func:`queryables`); nothing else of the drafts is served.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from lark.exceptions import LarkError
from pygeofilter import ast
from pygeofilter.backends.native.evaluate import NativeEvaluator

from webapp.errors import RequestError

LANGS = ("cql2-text", "cql2-json")
#: The text encoding's name in the drafts of Part 3, which GDAL's OAPIF driver sends.
DRAFT_TEXT = "cql-text"
#: Queryable properties: name -> JSON Schema (type, and what it means).
QUERYABLES: dict[str, dict[str, Any]] = {
    "layer": {"type": "string", "description": "Layer id (control_zones, attacks...)"},
    "name": {"type": "string", "description": "What the feature is called"},
    "actor": {"type": "string", "description": "Who acts (an armed group, a state...)"},
    "target": {"type": "string", "description": "Who was attacked or struck"},
    "status": {"type": "string", "description": "reported, ongoing, planned, agreed..."},
    "date": {"type": "string", "format": "date", "description": "When it happened"},
    "published": {"type": "string", "format": "date",
                  "description": "Publication date of the source document"},
    "strength": {"type": "integer", "description": "Troop numbers"},
    "toll": {"type": "integer", "description": "People killed"},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    "precision": {"type": "integer", "minimum": 1, "maximum": 7,
                  "description": "UCDP where_prec: 1 exact place ... 7 sea or international"},
    "document": {"type": "string", "description": "Id of the source document"},
    "review": {"type": "string", "enum": ["machine", "verified", "edited"],
               "description": "Editorial review: machine reading, verified or edited by an "
                              "editor (rejected features are never served)"},
}

Predicate = Callable[[Mapping[str, Any]], bool]


def queryables(collection_id: str, href: str) -> dict[str, Any]:
    """Return the queryables document of a collection (JSON Schema, draft 2020-12)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": href,
        "type": "object",
        "title": f"Queryables of {collection_id}",
        "properties": {name: {"title": name, **schema} for name, schema in QUERYABLES.items()},
        "additionalProperties": False,
        # the drafts' list, which GDAL's OAPIF driver reads (JSON Schema ignores the keyword)
        "queryables": [{"id": name, "type": schema["type"]}
                       for name, schema in QUERYABLES.items()],
    }


def parse_filter(raw: str | None, lang: str | None) -> Predicate | None:
    """Return a predicate over feature properties for ``filter=`` (None when absent)."""
    if raw is None:
        if lang is not None:
            raise RequestError("'filter-lang' was given without 'filter'")
        return None
    lang = "cql2-text" if lang in (None, DRAFT_TEXT) else lang
    if lang not in LANGS:
        raise RequestError(f"'filter-lang' should be one of {', '.join(LANGS)}, got {lang!r}")
    tree = _parse(raw, lang)
    if not isinstance(tree, ast.Node):
        raise RequestError(f"'filter' should be a condition, got {raw[:80]!r}")
    unknown = sorted(_attributes(tree) - set(QUERYABLES))
    if unknown:
        raise RequestError(f"'filter' names {', '.join(unknown)}, which cannot be queried; "
                           f"queryables: {', '.join(QUERYABLES)}")
    evaluate = NativeEvaluator(attribute_map={name: name for name in QUERYABLES},
                               use_getattr=False).evaluate(tree)

    def predicate(properties: Mapping[str, Any]) -> bool:
        values = {name: _value(name, properties.get(name)) for name in QUERYABLES}
        try:
            return bool(evaluate(values))
        except (TypeError, ValueError):  # e.g. a number compared with a text
            return False

    return predicate


class _Missing(str):
    """A property the feature lacks: every comparison with it is false (SQL's null)."""

    __slots__ = ()

    def _false(self, other: object) -> bool:
        return False

    __eq__ = __lt__ = __le__ = __gt__ = __ge__ = _false  # type: ignore[assignment]

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__


MISSING = _Missing()


class _Day(date):
    """A date property, which a text literal starting with a date also compares with.

    CQL2 writes a date ``DATE('2024-05-01')``; GDAL's OAPIF driver writes a quoted text
    (``published >= '2024-05-01T'``), which would otherwise match nothing at all.
    """

    __slots__ = ()

    def _day(self, other: object) -> object:
        if isinstance(other, str):
            try:
                return date.fromisoformat(other[:10])
            except ValueError:
                return other
        return other

    def __eq__(self, other: object) -> bool:
        return date.__eq__(self, self._day(other)) is True

    def __ne__(self, other: object) -> bool:
        return date.__ne__(self, self._day(other)) is True

    def __lt__(self, other: object) -> bool:
        return date.__lt__(self, self._day(other))  # type: ignore[operator]

    def __le__(self, other: object) -> bool:
        return date.__le__(self, self._day(other))  # type: ignore[operator]

    def __gt__(self, other: object) -> bool:
        return date.__gt__(self, self._day(other))  # type: ignore[operator]

    def __ge__(self, other: object) -> bool:
        return date.__ge__(self, self._day(other))  # type: ignore[operator]

    __hash__ = date.__hash__


def _value(name: str, value: Any) -> Any:
    """A property as the filter compares it: dates as dates, nothing as :data:`MISSING`."""
    if value is None or value == "":
        return MISSING
    if QUERYABLES[name].get("format") == "date" and isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return MISSING
        return _Day(day.year, day.month, day.day)
    return value


def _parse(raw: str, lang: str) -> ast.Node:
    try:
        if lang == "cql2-json":
            from pygeofilter.parsers.cql2_json import parse as parse_json

            return parse_json(json.loads(raw))
        from pygeofilter.parsers.cql2_text import parse as parse_text

        return parse_text(raw)
    except (LarkError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise RequestError(f"'filter' is not valid {lang}: {reason}") from None


def _attributes(node: Any) -> set[str]:
    """Every property name a filter tree refers to."""
    if isinstance(node, ast.Attribute):
        return {node.name}
    found: set[str] = set()
    for child in getattr(node, "get_sub_nodes", lambda: [])() or []:
        if isinstance(child, list):
            for item in child:
                found |= _attributes(item)
        else:
            found |= _attributes(child)
    return found
