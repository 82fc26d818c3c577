"""Loaders and schema checks for Kharita's curated gazetteer files.

The files live in ``geo/data/curated/`` and are ours (no third-party data):

``places.yaml``, ``towns.yaml``
    Regions, groups of states and towns that no source has (``towns.yaml``:
    conflict localities of the Sahel and Lake Chad). Each entry has an
    ``id`` (``kh:<slug>``), ``type``, ``names`` by language, either a ``point``
    or a ``geometry`` recipe (see :mod:`geo.gazetteer.regions`), and ``source:`` or
    ``approximation: true`` with a ``note``.
``variants.yaml``
    Extra names for places that exist in a source (``place: gn:2449893``).
``demonyms.yaml``
    Nationality adjectives per country, see :func:`demonym_forms`.
``ambiguous.yaml``
    Toponyms that are also common words in a language (Arabic مالي, "financial").

A broken file raises :class:`geo.errors.GazetteerError` naming the file, the
entry and what is wrong, so a bad edit fails the index build, not a parse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from geo.errors import GazetteerError
from geo.gazetteer.sources import DATA_DIR, SourceName

CURATED_DIR = DATA_DIR / "curated"
TRAPS_FILE = DATA_DIR / "traps.yaml"
LANGS = ("ar", "fr", "en", "*")
PLACE_KEYS = {"id", "type", "names", "point", "geometry", "country", "members", "parent",
              "population", "source", "approximation", "note", "part_of"}
AR_SUFFIXES = ("ي", "ية", "يين", "يون", "يان", "يتين", "يات")


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning parse errors into :class:`GazetteerError`."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read gazetteer data file {path}: {exc}") from exc


def _fail(path: Path, entry: Any, message: str) -> GazetteerError:
    """Build the error for a malformed entry."""
    label = entry.get("id") or entry.get("place") if isinstance(entry, dict) else entry
    return GazetteerError(f"{path.name}: entry {label!r}: {message}")


def check_names(path: Path, entry: dict[str, Any]) -> list[SourceName]:
    """Validate ``names: {lang: [name, ...]}`` and return them as :class:`SourceName`."""
    names = entry.get("names")
    if not isinstance(names, dict) or not names:
        raise _fail(path, entry, "'names' should map a language (ar/fr/en/*) to a list")
    out = []
    for lang, values in names.items():
        if lang not in LANGS or not isinstance(values, list):
            raise _fail(path, entry, f"'names.{lang}' should be a list under ar/fr/en/*")
        out += [SourceName(str(v), lang) for v in values]
    return out


def check_provenance(path: Path, entry: dict[str, Any]) -> None:
    """Every curated entry states its source or that it is an approximation."""
    if entry.get("source"):
        return
    if entry.get("approximation") is True and entry.get("note"):
        return
    raise _fail(path, entry, "needs 'source:' or 'approximation: true' with a 'note:'")


@dataclass(frozen=True, slots=True)
class CuratedPlace:
    """A place defined by Kharita (region, group, missing town)."""

    id: str
    type: str
    names: tuple[SourceName, ...]
    raw: Mapping[str, Any]


def load_places(path: Path | None = None) -> list[CuratedPlace]:
    """Load and check ``places.yaml`` and ``towns.yaml`` (or the one file ``path``)."""
    paths = [path] if path else [CURATED_DIR / "places.yaml", CURATED_DIR / "towns.yaml"]
    out = [place for p in paths for place in _load_places(p)]
    ids = [p.id for p in out]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise GazetteerError(f"curated places: ids {twice} are defined twice")
    return out


def _load_places(path: Path) -> list[CuratedPlace]:
    """Load and check one file of curated places."""
    out = []
    for entry in read_yaml(path) or []:
        if not isinstance(entry, dict) or not str(entry.get("id", "")).startswith("kh:"):
            raise _fail(path, entry, "should be a mapping with an 'id' starting 'kh:'")
        unknown = set(entry) - PLACE_KEYS
        if unknown:
            raise _fail(path, entry, f"unknown keys {sorted(unknown)}")
        if ("point" in entry) == ("geometry" in entry):
            raise _fail(path, entry, "needs exactly one of 'point' or 'geometry'")
        check_provenance(path, entry)
        out.append(CuratedPlace(entry["id"], str(entry.get("type", "region")),
                                tuple(check_names(path, entry)), entry))
    return out


def load_variants(path: Path | None = None) -> Iterator[tuple[str, list[SourceName]]]:
    """Yield ``(place_id, names)`` from ``variants.yaml``."""
    path = path or CURATED_DIR / "variants.yaml"
    for entry in read_yaml(path) or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("place"), str):
            raise _fail(path, entry, "should be a mapping with a 'place' id")
        check_provenance(path, entry)
        yield entry["place"], check_names(path, entry)


def french_forms(word: str) -> list[str]:
    """Masculine/feminine, singular/plural of a French demonym (malien -> maliennes).

    ``"turc/turque"`` gives an irregular feminine explicitly.
    """
    if "/" in word:
        masculine, feminine = word.split("/", 1)
        return [masculine, masculine + "s", feminine, feminine + "s"]
    if word.endswith(("e", "è")) or " " in word:
        return [word, word + "s"]
    if word.endswith(("s", "x")):
        return [word, word + "e", word + "es"]
    feminine = word + ("ne" if word.endswith(("en", "on")) else "e")
    return [word, word + "s", feminine, feminine + "s"]


def english_forms(word: str) -> list[str]:
    """Singular and plural of an English demonym (Algerian -> Algerians)."""
    if word.endswith(("ese", "ss", "sh", "ch", "i", "s")) or " " in word:
        return [word]
    return [word, word + "s"]


def demonym_forms(entry: Mapping[str, Any]) -> list[SourceName]:
    """Every form of a ``demonyms.yaml`` entry; Arabic nisba forms are built from stems.

    The Arabic forms are indexed without the article because the extractor
    strips proclitics and the article before matching (الجزائرية -> جزائرية).
    """
    ambiguous = set(entry.get("ambiguous") or [])
    forms: list[tuple[str, str]] = []
    for word in entry.get("en") or []:
        forms += [(f, "en") for f in english_forms(word)]
    for word in entry.get("fr") or []:
        forms += [(f, "fr") for f in french_forms(word)]
    for stem in entry.get("ar_stems") or []:
        forms += [(stem + s, "ar") for s in AR_SUFFIXES]
    forms += [(w, "ar") for w in entry.get("ar") or []]
    return [SourceName(f, lang, "demonym", lang in ambiguous or f in ambiguous)
            for f, lang in dict.fromkeys(forms)]


def load_demonyms(path: Path | None = None) -> Iterator[tuple[str, list[SourceName]]]:
    """Yield ``(iso2, forms)`` from ``demonyms.yaml`` (a mapping keyed by ISO alpha-2)."""
    path = path or CURATED_DIR / "demonyms.yaml"
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise GazetteerError(f"{path.name}: should map ISO alpha-2 codes to demonym entries")
    for iso2, entry in data.items():
        if not (isinstance(iso2, str) and len(iso2) == 2 and isinstance(entry, dict)):
            raise _fail(path, iso2, "key should be ISO alpha-2, value a mapping")
        unknown = set(entry) - {"en", "fr", "ar", "ar_stems", "ambiguous"}
        if unknown:
            raise _fail(path, iso2, f"unknown keys {sorted(unknown)}")
        yield iso2, demonym_forms(entry)


def load_ambiguous(path: Path | None = None) -> dict[str, set[str]]:
    """``{lang: {name, ...}}`` of toponyms that are also common words."""
    path = path or CURATED_DIR / "ambiguous.yaml"
    data = read_yaml(path) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise GazetteerError(f"{path.name}: should map a language to a list of names")
    return {lang: {str(v) for v in values} for lang, values in data.items()}


def load_traps(path: Path = TRAPS_FILE) -> list[SourceName]:
    """Trap phrases (organisation/outlet names containing place names); missing = none."""
    if not path.exists():
        return []
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: should map a language to a list of phrases")
    return [SourceName(str(p), lang, "trap") for lang, phrases in data.items()
            for p in phrases or [] if isinstance(p, str | int)]
