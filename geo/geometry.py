"""Geometry recipes for conflict layers: pure functions on shapely geometries.

Every function takes and returns geometries in EPSG:4326 (lon/lat). Anything
measured in kilometres (buffers, bands, zones) is computed in an azimuthal
equidistant projection centred on the geometry at hand and projected back:
distances from the centre are exact there and the scale error stays under
0.5 % within 1,000 km of it, which covers any border in one country pair.

Defaults (documented here once, overridable per call):

* :data:`CORRIDOR_WIDTH_KM` -- hot-pursuit corridors reach 50 km into each
  state from the shared border.
* :data:`BORDER_BAND_KM` -- border-security bands reach 20 km each side.
* :data:`TRIPOINT_RADIUS_KM` -- a border-triangle zone is the disc of 150 km
  around the tripoint, clipped to its three states.
* :data:`SETTLEMENT_RADIUS_KM` -- an area frame on a town (held, struck)
  covers the disc of 10 km around its point: places have no outline.
* :data:`SNAP_DEG` -- two boundaries closer than this (about 550 m) are the
  same border; Natural Earth and curated outlines do not share vertices.
* :data:`WEB_TOLERANCE_DEG` -- outlines are simplified to 0.01 degree (about
  1.1 km) for web maps: below the error of the sources themselves.

Geometries coming in may be invalid (self-intersecting curated outlines);
:func:`repair` makes them valid and keeps their polygonal part, and every
recipe returns ``None`` rather than an empty or degenerate geometry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
import shapely.ops
from pyproj import Geod, Transformer
from pyproj.enums import TransformDirection
from shapely.geometry import LineString, Point, box, shape
from shapely.geometry.base import BaseGeometry

CORRIDOR_WIDTH_KM = 50.0
BORDER_BAND_KM = 20.0
TRIPOINT_RADIUS_KM = 150.0
#: A town or village held, struck or at risk is drawn as a disc of this radius.
SETTLEMENT_RADIUS_KM = 10.0
SNAP_DEG = 0.005
WEB_TOLERANCE_DEG = 0.01
#: Share of an area's north-south (or east-west) extent that "northern X" covers.
PART_SHARE = 0.6

_GEOD = Geod(ellps="WGS84")
_POLYGONAL = ("Polygon", "MultiPolygon")


def point(lat: float, lon: float) -> Point:
    """Return the point of a place record.

    Records carry ``lat``/``lon`` fields; shapely and GeoJSON want x=lon,
    y=lat. This is the one place where the order flips.
    """
    return Point(lon, lat)


def flat_shape(geometry: Mapping[str, Any]) -> BaseGeometry:
    """Return the shapely geometry of a GeoJSON geometry mapping, in two dimensions.

    Parameters
    ----------
    geometry : mapping
        A GeoJSON geometry (``type`` and ``coordinates``).

    Notes
    -----
    Areas are built from numpy arrays, about three times faster than
    ``shapely.geometry.shape``, which reads each ring position by position: merging a
    map of 10,000 reports met the outlines of regions told report after report
    thousands of times. Other types go through ``shape``. Heights are left out.
    """
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon" and coordinates:
        return _polygon(coordinates)
    if kind == "MultiPolygon" and coordinates and all(coordinates):
        return shapely.multipolygons([_polygon(part) for part in coordinates])
    return shape(geometry)


def _polygon(rings: Sequence[Sequence[Sequence[float]]]) -> BaseGeometry:
    shell, *holes = (shapely.linearrings(np.asarray(ring, dtype=float)[:, :2]) for ring in rings)
    return shapely.polygons(shell, holes=holes or None)


def repair(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Return a valid version of ``geom``, or ``None`` if nothing is left.

    Polygonal input keeps only its polygonal part after ``make_valid`` (a
    bow-tie becomes two triangles, stray lines from collapsed rings go).
    """
    if geom is None or geom.is_empty:
        return None
    fixed = geom if geom.is_valid else shapely.make_valid(geom)
    if geom.geom_type in _POLYGONAL and fixed.geom_type not in _POLYGONAL:
        parts = [g for g in shapely.get_parts(fixed) if g.geom_type in _POLYGONAL]
        fixed = shapely.union_all(parts) if parts else shapely.Polygon()
    return None if fixed.is_empty else fixed


def local_transformer(projection: str, lat: float, lon: float) -> Transformer:
    """EPSG:4326 (lon, lat order) to a metric ``projection`` centred on lat/lon.

    ``projection`` is a PROJ name such as ``laea`` or ``aeqd``. The transformer
    is written as the PROJ pipeline ``Transformer.from_crs`` would find for
    that CRS (WGS84 ellipsoid, metres), which skips its database search: the
    same numbers, built some 70 times faster. Its inverse direction brings
    metric coordinates back.
    """
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj={projection} +lat_0={lat} +lon_0={lon} +x_0=0 +y_0=0 +ellps=WGS84")


@lru_cache(maxsize=512)
def _equidistant(lat: float, lon: float) -> Transformer:
    """An azimuthal equidistant projection centred on lat/lon (both directions)."""
    return local_transformer("aeqd", lat, lon)


def _centre(geom: BaseGeometry) -> tuple[float, float]:
    """Return the (lat, lon) projection centre of ``geom``, rounded for caching."""
    c = geom.centroid
    return round(c.y, 1), round(c.x, 1)


def buffer_km(geom: BaseGeometry, km: float) -> BaseGeometry:
    """Buffer ``geom`` by ``km`` kilometres, measured on the ground.

    Parameters
    ----------
    geom : shapely geometry
        Any geometry in EPSG:4326.
    km : float
        Buffer distance in kilometres (negative shrinks polygons).

    Returns
    -------
    shapely geometry
        The buffered geometry in EPSG:4326.
    """
    metric_crs = _equidistant(*_centre(geom))
    metric = shapely.transform(geom, lambda xy: _apply(metric_crs, xy))
    grown = metric.buffer(km * 1000.0, quad_segs=8)
    return shapely.make_valid(
        shapely.transform(grown, lambda xy: _apply(metric_crs, xy, inverse=True)))


def _apply(transformer: Transformer, xy, *, inverse: bool = False):  # type: ignore[no-untyped-def]
    """Run a pyproj transformer (or its ``inverse``) over an (N, 2) coordinate array."""
    direction = TransformDirection.INVERSE if inverse else TransformDirection.FORWARD
    x, y = transformer.transform(xy[:, 0], xy[:, 1], direction=direction)
    xy[:, 0], xy[:, 1] = x, y
    return xy


def directional_part(area: BaseGeometry, direction: str, *, share: float = PART_SHARE) -> (
    BaseGeometry | None
):
    """Return the part of ``area`` lying towards ``direction``.

    Parameters
    ----------
    area : shapely geometry
        A polygon in EPSG:4326.
    direction : str
        ``north``, ``south``, ``east``, ``west``, the four diagonals
        (``northeast``...) or ``centre``.
    share : float, default :data:`PART_SHARE`
        Share of the extent kept: "northern Mali" reaches from the northern
        edge 60 % of the way south, which takes in Timbuktu and Gao as usage
        does; a half would cut the Niger bend towns off.

    Returns
    -------
    shapely geometry or None
        The clipped area, ``None`` for an unknown direction or empty result.
    """
    minx, miny, maxx, maxy = area.bounds
    w, h = (maxx - minx) * share, (maxy - miny) * share
    halves = {
        "north": box(minx, maxy - h, maxx, maxy),
        "south": box(minx, miny, maxx, miny + h),
        "east": box(maxx - w, miny, maxx, maxy),
        "west": box(minx, miny, minx + w, maxy),
    }
    cx, cy, pad_x, pad_y = (minx + maxx) / 2, (miny + maxy) / 2, w / 2, h / 2
    halves["centre"] = box(cx - pad_x, cy - pad_y, cx + pad_x, cy + pad_y)
    clip = halves.get(direction)
    if clip is None and len(direction) > 5 and direction[:5] in ("north", "south"):
        ns, ew = halves[direction[:5]], halves.get(direction[5:])
        clip = ns.intersection(ew) if ew is not None else None
    if clip is None:
        return None
    whole = repair(area)
    return repair(whole.intersection(clip)) if whole is not None else None


def shared_border(a: BaseGeometry, b: BaseGeometry, *, snap: float = SNAP_DEG) -> (
    BaseGeometry | None
):
    """Return the border line that polygons ``a`` and ``b`` share.

    The part of ``a``'s boundary within ``snap`` degrees of ``b``: outlines
    from different sources never share vertices exactly.
    """
    line = a.boundary.intersection(b.buffer(snap, quad_segs=2))
    return _lines_only(line)


def border_with_neighbours(area: BaseGeometry, country: BaseGeometry, *,
                           snap: float = SNAP_DEG) -> BaseGeometry | None:
    """Return the stretch of ``area``'s outline that is an international border.

    "The borders of Azawad with the neighbouring states" is the part of the
    region's boundary lying on its country's boundary, whoever is across it.
    """
    inner = country.buffer(-snap, quad_segs=2)
    return _lines_only(area.boundary.difference(inner))


def _lines_only(geom: BaseGeometry) -> BaseGeometry | None:
    """Keep the linear parts of ``geom``, merged; ``None`` if nothing is left."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("LineString", "LinearRing")]
    parts = [g for g in parts if g.length > SNAP_DEG]  # drop slivers at corners
    if not parts:
        return None
    return shapely.line_merge(shapely.MultiLineString(parts))


def band(line: BaseGeometry, width_km: float, *, within: BaseGeometry | None = None,
         terrain: BaseGeometry | None = None) -> BaseGeometry | None:
    """Return the band ``width_km`` either side of ``line``, clipped.

    Parameters
    ----------
    line : shapely geometry
        A border line in EPSG:4326.
    width_km : float
        Reach on each side, in kilometres.
    within : shapely geometry, optional
        Clip to this area (e.g. the two states of a corridor).
    terrain : shapely geometry, optional
        Clip to this terrain as well (e.g. the Sahara for "open desert").
    """
    zone = buffer_km(line, width_km)
    for clip in (within, terrain):
        if clip is not None:
            zone = zone.intersection(clip)
    return repair(zone)


def corridor(a: BaseGeometry, b: BaseGeometry, *, width_km: float = CORRIDOR_WIDTH_KM,
             terrain: BaseGeometry | None = None) -> BaseGeometry | None:
    """Return the hot-pursuit corridor along the border of states ``a`` and ``b``.

    A band reaching ``width_km`` into each state from their shared border,
    clipped to the two states (so it never spills into a third one) and to
    ``terrain`` if given. ``None`` when the states share no border.
    """
    line = shared_border(a, b)
    if line is None:
        return None
    return band(line, width_km, within=shapely.union(a, b), terrain=terrain)


def tripoint(a: BaseGeometry, b: BaseGeometry, c: BaseGeometry) -> Point | None:
    """Return the point where the borders of three states meet, if they do."""
    ab = shared_border(a, b)
    if ab is None:
        return None
    near = ab.intersection(c.buffer(SNAP_DEG * 2, quad_segs=2))
    return None if near.is_empty else near.centroid


def tripoint_zone(states: Iterable[BaseGeometry], *,
                  radius_km: float = TRIPOINT_RADIUS_KM) -> BaseGeometry | None:
    """Return the zone around the tripoint of three states, clipped to them."""
    a, b, c = states
    centre = tripoint(a, b, c)
    if centre is None:
        return None
    return repair(buffer_km(centre, radius_km).intersection(shapely.union_all([a, b, c])))


def union(geoms: Iterable[BaseGeometry | None]) -> BaseGeometry | None:
    """Return the valid union of the non-empty geometries given."""
    parts = [g for g in (repair(x) for x in geoms) if g is not None]
    return repair(shapely.union_all(parts)) if parts else None


def flow_line(origin: Point, destination: Point, *, npts: int = 16) -> LineString | None:
    """Return the great-circle line from ``origin`` to ``destination``.

    Densified so it draws as the shortest path on a web map; ``None`` when
    both ends are the same point.
    """
    if origin.equals(destination):
        return None
    inner = _GEOD.npts(origin.x, origin.y, destination.x, destination.y, npts)
    return LineString([(origin.x, origin.y), *inner, (destination.x, destination.y)])


def simplify_for_web(geom: BaseGeometry, *, tolerance: float = WEB_TOLERANCE_DEG) -> (
    BaseGeometry | None
):
    """Simplify ``geom`` to ``tolerance`` degrees and keep it valid."""
    if geom.geom_type == "Point":
        return geom
    return repair(shapely.simplify(geom, tolerance, preserve_topology=True))


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Return the shortest ground distance between two geometries, in km.

    0 when they touch. Otherwise both are projected to an azimuthal
    equidistant CRS centred between their nearest points (found in degrees),
    where the distance measured is exact to well under 1 % for anything up
    to a few hundred kilometres apart: the range thresholds are set in.
    """
    if a.intersects(b):
        return 0.0
    pa, pb = shapely.ops.nearest_points(a, b)
    metric_crs = _equidistant(round((pa.y + pb.y) / 2, 2), round((pa.x + pb.x) / 2, 2))
    ma, mb = (shapely.transform(g, lambda xy: _apply(metric_crs, xy)) for g in (a, b))
    return float(ma.distance(mb)) / 1000.0


def area_km2(shape: BaseGeometry) -> float:
    """Return the area of ``shape`` in square kilometres (0 for points and lines).

    Measured in a Lambert azimuthal equal-area projection centred on the
    shape: equal-area everywhere, so exact at any size.
    """
    if shape.geom_type not in _POLYGONAL and shape.geom_type != "GeometryCollection":
        return 0.0
    c = shape.centroid
    metric_crs = local_transformer("laea", round(c.y, 2), round(c.x, 2))
    return float(shapely.transform(shape, lambda xy: _apply(metric_crs, xy)).area) / 1e6


def geodesic_km(a: Point, b: Point) -> float:
    """Return the distance on the WGS84 ellipsoid between two points, in km."""
    return float(_GEOD.inv(a.x, a.y, b.x, b.y)[2]) / 1000.0
