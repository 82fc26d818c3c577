"""Geometry an editor sends: checked before it replaces a feature's shape.

A drawn or pasted shape must be GeoJSON in EPSG:4326 (RFC 7946), small enough
to keep maps fast, valid (no self-intersection) and within longitude/latitude
bounds (projected coordinates are the usual sign of a wrong CRS). Anything
else is an :class:`~geo.errors.InputError` (a 400) that says why, raised
before anything is stored.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
import shapely.geometry
from shapely.errors import GEOSException
from shapely.validation import explain_validity

from geo.errors import InputError
from geo.layers import rfc7946

MAX_BYTES = 1_000_000
MAX_VERTICES = 100_000
TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                   "MultiPolygon"})
_WGS84_NAMES = frozenset({"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84",
                          "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"})


def checked_geometry(value: Any) -> dict[str, Any]:
    """Return ``value`` (a GeoJSON geometry object or its text) as clean RFC 7946 GeoJSON.

    Raises InputError naming the first problem: not GeoJSON, another CRS, over
    :data:`MAX_BYTES` or :data:`MAX_VERTICES`, outside lon/lat bounds, invalid.
    """
    if isinstance(value, str):
        if len(value.encode("utf-8")) > MAX_BYTES:
            raise InputError(f"geometry: larger than {MAX_BYTES:,} bytes; simplify it first")
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise InputError(f"geometry: not JSON ({error.msg} at character {error.pos})"
                             ) from None
    if not isinstance(value, dict):
        raise InputError("geometry: expected a GeoJSON geometry object")
    if len(json.dumps(value).encode("utf-8")) > MAX_BYTES:
        raise InputError(f"geometry: larger than {MAX_BYTES:,} bytes; simplify it first")
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    _check_crs(value)
    kind = value.get("type")
    if kind not in TYPES:
        raise InputError(f"geometry: type should be one of {', '.join(sorted(TYPES))}, "
                         f"got {str(kind)[:40]!r}")
    try:
        shape = shapely.geometry.shape(value)
    except (GEOSException, ValueError, TypeError, IndexError, KeyError, AttributeError):
        raise InputError(f"geometry: the coordinates do not form a {kind}") from None
    if shape.is_empty:
        raise InputError("geometry: empty")
    vertices = shapely.get_num_coordinates(shape)
    if vertices > MAX_VERTICES:
        raise InputError(f"geometry: {vertices:,} vertices, more than {MAX_VERTICES:,}; "
                         f"simplify it first")
    west, south, east, north = shape.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise InputError("geometry: coordinates outside longitude -180..180 / latitude -90..90; "
                         "send WGS84 longitude, latitude (EPSG:4326), not projected metres")
    if not shape.is_valid:
        raise InputError(f"geometry: not valid ({explain_validity(shape)}); a polygon must not "
                         f"cross itself")
    cleaned = rfc7946(shape)
    if cleaned.is_empty or not cleaned.is_valid:
        raise InputError("geometry: too small to keep at 1e-6 degree precision")
    return json.loads(json.dumps(shapely.geometry.mapping(cleaned)))


def _check_crs(value: dict[str, Any]) -> None:
    crs = value.get("crs")
    if crs is None:
        return
    name = ((crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None)
    if name not in _WGS84_NAMES:
        raise InputError(f"geometry: CRS {str(name)[:60]!r} is not supported; send WGS84 "
                         f"longitude, latitude (EPSG:4326) without a 'crs' member")
