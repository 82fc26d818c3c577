"""Geometry of curated regions and of directional parts of areas.

Curated regions (``geo/data/curated/places.yaml``) describe their geometry as a
small recipe evaluated at index build time by :func:`build_geometry`:

``union: [id, ...]``          union of source places (countries, admin-1, curated)
``countries: [ISO2, ...]``    union of countries by ISO alpha-2
``polygon: [[lon, lat], ...]`` an explicit ring (approximate outlines)
``box: [west, south, east, north]``
``line: [[lon, lat], ...]``   a line (rivers); ``buffer_km`` turns it into a band
``circle: {lat, lon, radius_km}`` a disc drawn in a metric projection
``clip: [ISO2, ...]``         intersect the result with the union of these countries
``minus: land``               take every country's land away (seas and oceans)

Directional parts ("northern Mali") come from :func:`part_geometry`: the area is
projected to a Lambert azimuthal equal-area CRS centred on it (so distances are
metric and the split is not distorted by latitude), its projected bounding box
is cut, and the result is projected back to EPSG:4326:

* ``north``/``south``/``east``/``west``: the half of the extent on that side;
* ``northeast`` etc.: the matching quadrant of the extent;
* ``center``: the middle third of the extent in both axes.

The cut line is straight in the projection; the part keeps the area's own
boundary elsewhere (clipping happens in EPSG:4326 with a densified cutter).

Halves are a deliberate, documented simplification: a curated region can
override one part (``part_of`` in places.yaml, e.g. northern Mali).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from pyproj import Transformer
from pyproj.enums import TransformDirection
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.errors import GazetteerError
from geo.geometry import local_transformer

DIRECTIONS = ("north", "south", "east", "west", "northeast", "northwest", "southeast",
              "southwest", "center")
#: Share of the projected extent kept for each direction: (x0, y0, x1, y1) fractions.
_CUTS: dict[str, tuple[float, float, float, float]] = {
    "north": (0, 0.5, 1, 1), "south": (0, 0, 1, 0.5),
    "east": (0.5, 0, 1, 1), "west": (0, 0, 0.5, 1),
    "northeast": (0.5, 0.5, 1, 1), "northwest": (0, 0.5, 0.5, 1),
    "southeast": (0.5, 0, 1, 0.5), "southwest": (0, 0, 0.5, 0.5),
    "center": (1 / 3, 1 / 3, 2 / 3, 2 / 3),
}
Resolver = Callable[[str], BaseGeometry]
#: What a resolver answers with the union of every country (``minus: land``).
LAND = "land"


def transform(func: Any, geom: BaseGeometry) -> BaseGeometry:
    """Apply a pyproj ``Transformer.transform`` to every coordinate of ``geom``."""
    return shapely.transform(geom, func, interleaved=False)


@dataclass(frozen=True, slots=True)
class _Inverse:
    """The inverse direction of a transformer, shaped like one (``.transform``)."""

    forward: Transformer

    def transform(self, x: Any, y: Any) -> Any:
        return self.forward.transform(x, y, direction=TransformDirection.INVERSE)


def _laea(lat: float, lon: float) -> tuple[Transformer, _Inverse]:
    """Forward and inverse transforms for a LAEA projection centred on (lat, lon).

    One transformer serves both directions: building them is the costly part.
    """
    fwd = local_transformer("laea", lat, lon)
    return fwd, _Inverse(fwd)


def valid(geom: BaseGeometry) -> BaseGeometry:
    """A valid version of ``geom`` without stray points or lines from repair."""
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in getattr(geom, "geoms", []) if g.geom_type.endswith("Polygon")]
        geom = unary_union(polys) if polys else geom
    return geom


def part_geometry(geom: BaseGeometry, direction: str) -> BaseGeometry:
    """The ``direction`` part of an area (see module docstring), in EPSG:4326."""
    if direction not in _CUTS:
        raise ValueError(f"'direction' should be one of {', '.join(DIRECTIONS)}, "
                         f"got {direction!r}")
    centre = geom.centroid
    fwd, inv = _laea(centre.y, centre.x)
    # The extent is all the cut needs: the convex hull gives it (up to the
    # projection's slight bending of hull edges) without projecting every
    # vertex of a large country.
    minx, miny, maxx, maxy = transform(fwd.transform, geom.convex_hull).bounds
    fx0, fy0, fx1, fy1 = _CUTS[direction]
    width, height = maxx - minx, maxy - miny
    cutter = box(minx + fx0 * width, miny + fy0 * height, minx + fx1 * width,
                 miny + fy1 * height).buffer(max(width, height) * 1e-6)
    # The cut is drawn in metres and brought back densified, and the area is
    # clipped in EPSG:4326, so the part keeps the area's own boundary exactly.
    cutter = transform(inv.transform, shapely.segmentize(cutter, max(width, height) / 200))
    # Near the poles or the antimeridian the projected cut can come back
    # self-intersecting: repair both sides so the clip never raises.
    return valid(valid(geom).intersection(valid(cutter)))


def circle(lat: float, lon: float, radius_km: float) -> BaseGeometry:
    """A disc of ``radius_km`` around (lat, lon), drawn in a metric projection."""
    fwd, inv = _laea(lat, lon)
    # Point(lon, lat): shapely is x/y, our records are lat/lon.
    centre = transform(fwd.transform, Point(lon, lat))
    return transform(inv.transform, centre.buffer(radius_km * 1000, quad_segs=32))


def line_band(coords: list[list[float]], buffer_km: float) -> BaseGeometry:
    """A line of [lon, lat] points, widened to a band of ``buffer_km`` each side if > 0."""
    line = LineString(coords)
    if buffer_km <= 0:
        return line
    centre = line.centroid
    fwd, inv = _laea(centre.y, centre.x)
    band = transform(fwd.transform, line).buffer(buffer_km * 1000)
    return transform(inv.transform, band)


def _base_shape(recipe: Mapping[str, Any], resolve: Resolver) -> BaseGeometry:
    """The geometry a recipe starts from, before ``clip``."""
    if "union" in recipe:
        return unary_union([resolve(pid) for pid in recipe["union"]])
    if "countries" in recipe:
        return unary_union([resolve(f"iso:{c}") for c in recipe["countries"]])
    if "polygon" in recipe:
        return Polygon(recipe["polygon"])
    if "box" in recipe:
        return box(*recipe["box"])
    if "line" in recipe:
        return line_band(recipe["line"], float(recipe.get("buffer_km", 0)))
    if "circle" in recipe:
        c = recipe["circle"]
        return circle(float(c["lat"]), float(c["lon"]), float(c["radius_km"]))
    raise GazetteerError(f"geometry recipe needs union, countries, polygon, box, line or "
                         f"circle; got keys {sorted(recipe)}")


def build_geometry(recipe: Mapping[str, Any], resolve: Resolver) -> BaseGeometry:
    """Evaluate a curated geometry recipe; ``resolve`` maps ids (or ``iso:XX``) to shapes."""
    try:
        geom = _base_shape(recipe, resolve)
        if "clip" in recipe:
            mask = unary_union([resolve(f"iso:{c}") for c in recipe["clip"]])
            geom = geom.intersection(mask)
        if "minus" in recipe:
            if recipe["minus"] != "land":
                raise ValueError("'minus' only takes 'land'")
            geom = geom.difference(resolve(LAND))
    except (KeyError, TypeError, ValueError) as exc:
        raise GazetteerError(f"bad geometry recipe {dict(recipe)!r}: {exc}") from exc
    geom = geom if geom.geom_type.endswith("LineString") else valid(geom)
    if geom.is_empty:
        raise GazetteerError(f"geometry recipe {dict(recipe)!r} gives an empty shape")
    return geom
