"""Place names that are parts of persons' names in Latin-script text.

"Paul Morand" and "Cindy Santos" are persons, though Morand and Santos are
towns somewhere; "Maurice Ferte" is a person, not Mauritius. The given names
that open such names are data (``geo/data/given_names.yaml``). The rules:

* a one-word place name right after a given name (by a space or a hyphen:
  "Jean-Frédéric") is a surname, and so is the same name anywhere else in the
  document ("Morand said") unless a locative preposition stands before it;
* a place name that is itself a given name, followed by a capitalised word
  or a hyphen and one ("Maurice Ferte", "Frédéric-Auguste"), is a person's.

Trade-off: a list, not a model of names. A person whose given name the list
lacks keeps a surname that is a town ("Kaya Ouédraogo" is left to the
resolver's own name-run rules), and a town written right after a given name
("Ali Gao") is lost; both are rare in reporting, persons' surnames that are
towns are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from geo.clues import locative_before, words_before
from geo.errors import GazetteerError
from geo.gazetteer.curated import read_yaml
from geo.gazetteer.sources import DATA_DIR
from geo.records import Candidate

#: The word right before a mention, and the joiner between them (a space or a hyphen).
_BEFORE = re.compile(r"([^\W\d_]+)( |-)$")
#: A capitalised word right after a mention, by a space or a hyphen.
_AFTER = re.compile(r"[ -][A-ZÀ-ÖØ-Þ][^\W\d_]+")
_SAINT = re.compile(r"(?:\bSt\.?|\bSte\.?|\bSaint|\bSainte)[ -]$")



def drop_person_names(candidates: Sequence[Candidate], text: str, lang: str) -> list[Candidate]:
    """``candidates`` less those that are parts of persons' names (see module doc)."""
    names = given_names(lang)
    if not names:
        return list(candidates)
    surnames = {c.key for c in candidates if _after_given_name(c, text, names)}
    return [c for c in candidates if not (
        _opens_name(c, text, names, lang)
        or (c.key in surnames and " " not in c.surface
            and not locative_before(c, words_before(c, text), lang)))]


def _after_given_name(cand: Candidate, text: str, names: frozenset[str]) -> bool:
    """Whether a given name stands right before the one-word mention (a saint's
    name is a place's: "St. Joseph", "Saint-Louis")."""
    if " " in cand.surface or not cand.surface[:1].isupper():
        return False
    found = _BEFORE.search(text, max(0, cand.start - 20), cand.start)
    return (found is not None and found.group(1) in names
            and _SAINT.search(text, max(0, found.start() - 8), found.start()) is None)


def _opens_name(cand: Candidate, text: str, names: frozenset[str], lang: str) -> bool:
    """Whether the mention is a given name with a capitalised word after it
    that does not make a place's name ("Maurice Ferte", not "Tyler Street")."""
    if cand.surface not in names:
        return False
    after = _AFTER.match(text, cand.end)
    return after is not None and after.group()[1:] not in place_words(lang)


@lru_cache(maxsize=4)
def given_names(lang: str) -> frozenset[str]:
    """The given names of ``lang`` (empty for Arabic script), as written."""
    if lang == "ar":
        return frozenset()
    names = _load()["names"]
    return frozenset(names.get("both", [])) | frozenset(names.get(lang, []))


@lru_cache(maxsize=4)
def place_words(lang: str) -> frozenset[str]:
    """Words that make a given name before them part of a place's name."""
    return frozenset(_load()["place_words"].get(lang, []))


@lru_cache(maxsize=1)
def _load() -> dict[str, dict[str, list[str]]]:
    """Read and check ``given_names.yaml``."""
    raw = read_yaml(DATA_DIR / "given_names.yaml")
    if not isinstance(raw, dict) or set(raw) != {"names", "place_words"} or not all(
            isinstance(table, dict) and all(
                isinstance(v, list) and all(isinstance(n, str) for n in v)
                for v in table.values())
            for table in raw.values()):
        raise GazetteerError("given_names.yaml must map 'names' and 'place_words' to "
                             "{language: [word, ...]} tables")
    return raw
