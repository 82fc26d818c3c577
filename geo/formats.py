"""The layer export formats and their media types (one table for the CLI, exports and web).

Kept apart from :mod:`geo.export` so that naming a format does not import GeoPandas.
"""

from __future__ import annotations

#: Export format -> media type (RFC 7946, OGC GeoPackage, OGC KML, RFC 4180).
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv; charset=utf-8",
}
FORMATS = tuple(MEDIA_TYPES)
