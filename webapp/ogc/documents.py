"""Response bodies of the OGC API - Features endpoints (JSON), with their links.

Views in :mod:`webapp.ogc` parse the request and pick the collection; these
functions turn what they found into the documents OGC 17-069 defines. Every
``href`` is absolute (``url_for(..., _external=True)``): GDAL and QGIS follow
``next`` links verbatim.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import url_for

from webapp.ogc.features import Collection, IndexedFeature, extent
from webapp.store import LayerEntry
from webapp.styles import layer_style

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = (
    *(f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{name}"
      for name in ("core", "geojson", "html", "oas30")),
    *(f"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/{name}"
      for name in ("queryables", "queryables-query-parameters", "filter", "features-filter")),
    *(f"http://www.opengis.net/spec/cql2/1.0/conf/{name}"
      for name in ("cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators")),
)


def link(endpoint: str, rel: str, media: str, title: str, **values: Any) -> dict[str, str]:
    """Return one OGC link object to a Kharita endpoint."""
    href = url_for(endpoint, _external=True, **values)
    return {"href": href, "rel": rel, "type": media, "title": title}


def self_links(endpoint: str, media: str, **values: Any) -> list[dict[str, str]]:
    """Return the ``self`` link and its ``alternate`` in the other format."""
    return [
        link(endpoint, "self", media, "This document", **values),
        link(endpoint, "alternate", HTML, "This document as HTML", f="html", **values),
    ]


def landing() -> dict[str, Any]:
    """Return the landing page document."""
    return {
        "title": "Kharita OGC API - Features",
        "description": "Conflict map layers geoparsed from reporting, as GeoJSON features.",
        "links": [
            *self_links("ogc.index", JSON),
            link(
                "ogc.describe_api",
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
                "The API definition",
            ),
            link("ogc.describe_api", "service-doc", HTML, "The API definition as HTML", f="html"),
            link("ogc.declare", "conformance", JSON, "Conformance classes"),
            link("ogc.list_collections", "data", JSON, "Feature collections"),
        ],
    }


def layer_title(layer: str) -> str:
    """Return the English label of a layer id from the layer styles."""
    return layer_style(layer).label


def collection(item: Collection, entries: Sequence[LayerEntry]) -> dict[str, Any]:
    """Return the description of one collection, extent computed from its index rows."""
    bbox, (first, last) = extent(entries)
    title = layer_title(item.layer)
    if item.map is not None:
        title = f"{item.map.title}: {title}"
    described: dict[str, Any] = {
        "id": item.id,
        "title": title,
        "description": f"Layer '{item.layer}' of "
        + (f"map {item.map.id}" if item.map else "every stored document"),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {"bbox": [list(bbox) if bbox else [-180, -90, 180, 90]], "crs": CRS84},
            "temporal": {
                "interval": [[_day(first), _day(last)]],
                "trs": GREGORIAN,
            },
        },
        "links": [
            *self_links("ogc.show_collection", JSON, collection_id=item.id),
            link("ogc.list_items", "items", GEOJSON, "Features", collection_id=item.id),
            link(
                "ogc.list_items", "items", HTML, "Features as HTML", collection_id=item.id, f="html"
            ),
            link("ogc.show_queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                 "application/schema+json", "Queryables", collection_id=item.id),
            # the drafts' relation, the one GDAL's OAPIF driver follows (webapp.ogc.filters)
            link("ogc.show_queryables", "queryables", JSON, "Queryables",
                 collection_id=item.id),
        ],
    }
    return described


def _day(day: Any) -> str | None:
    return f"{day.isoformat()}T00:00:00Z" if day else None


def collections(items: Sequence[tuple[Collection, Sequence[LayerEntry]]]) -> dict[str, Any]:
    """Return the collections document."""
    return {
        "links": self_links("ogc.list_collections", JSON),
        "collections": [collection(item, entries) for item, entries in items],
    }


def page_links(
    item: Collection, args: Mapping[str, str], *, offset: int, limit: int, matched: int
) -> list[dict[str, str]]:
    """Return self/alternate/next/prev/collection links of one page of items."""
    kept = {k: v for k, v in args.items() if k not in ("offset", "f")}
    values = {"collection_id": item.id, **kept}
    links = [
        link("ogc.list_items", "self", GEOJSON, "This page", offset=offset, **values),
        link(
            "ogc.list_items",
            "alternate",
            HTML,
            "This page as HTML",
            offset=offset,
            f="html",
            **values,
        ),
        link("ogc.show_collection", "collection", JSON, "The collection", collection_id=item.id),
    ]
    if offset + limit < matched:
        links.append(
            link("ogc.list_items", "next", GEOJSON, "Next page", offset=offset + limit, **values)
        )
    if offset > 0:
        links.append(
            link(
                "ogc.list_items",
                "prev",
                GEOJSON,
                "Previous page",
                offset=max(0, offset - limit),
                **values,
            )
        )
    return links


def items_text(
    page: Sequence[IndexedFeature], *, matched: int, links: Sequence[Mapping[str, str]]
) -> str:
    """Return a page of features as GeoJSON text, reusing each feature's serialised JSON."""
    head = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(page),
        "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": list(links),
    }
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return opening + ',"features":[' + ",".join(f.text for f in page) + "]}"


def feature(item: Collection, found: IndexedFeature) -> dict[str, Any]:
    """Return one feature with its self and collection links."""
    return {
        **found.data,
        "links": [
            *self_links("ogc.show_item", GEOJSON, collection_id=item.id, feature_id=found.id),
            link(
                "ogc.show_collection", "collection", JSON, "The collection", collection_id=item.id
            ),
        ],
    }
