"""Great-circle distance, for ranking and scoring (not for geometry).

Geometry work (buffers, widths) uses projected CRSs or pyproj.Geod; this is
the cheap spherical formula used in hot loops.
"""

from __future__ import annotations

import math

EARTH_DIAMETER_KM = 12742.0


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return EARTH_DIAMETER_KM * math.asin(math.sqrt(min(1.0, a)))
