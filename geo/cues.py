"""Context words around place names, loaded from ``geo/data/cues.yaml``.

All phrases are normalised like the text the matcher scans (see
:mod:`geo.extract`): lower case, Arabic letters folded, non-word characters
turned into spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from geo.errors import GazetteerError
from geo.lexicon import lexicon
from geo.normalize import folded_words

DIRECTIONS = frozenset(
    ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "center"]
)
TITLE_REACH = 3  # words looked back over for a person's title
# Proclitics a cue word may carry in Arabic ("وشمال", "بجنوب").
_AR_PREFIX = "(?:[وف]?[بلك]?)"


@lru_cache(maxsize=1 << 16)
def words_form(phrase: str) -> str:
    """Normalise ``phrase`` the way the matcher's scanned text is.

    Memoised: the organisation-name and cue checks ask it about the same
    words around every candidate (a bounded cache, so any text stays bounded).
    """
    return folded_words(phrase)


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled cue phrases for one language."""

    directions: tuple[tuple[str, str], ...]  # (phrase, direction), longest first
    last_words: frozenset[str]  # the last word of every direction phrase
    anaphor: re.Pattern[str] | None
    anaphor_words: tuple[str, ...]  # one of these is in every anaphor match
    city_before: tuple[str, ...]  # no empty phrase (it would match anything)
    city_after: tuple[str, ...]
    region_before: tuple[str, ...]
    distance_before: tuple[str, ...]
    locatives: frozenset[str]
    titles: frozenset[str]
    prepositions: frozenset[str]
    unit_suffixes: tuple[str, ...]
    months: frozenset[str]
    eras: frozenset[str]

    def measured(self, text: str, start: int) -> bool:
        """Whether a distance is measured from the name at ``start`` ("à 20 kilomètres de
        Bol", "12 miles from Nay"): a place, even when the name is also a common word."""
        return bool(self.distance_before) and folded_words(  # each stretch is met once
            text[max(0, start - 25):start]).endswith(self.distance_before)

    def unit_suffix(self, words: str, end: int) -> int | None:
        """End of a unit word ("county") right after ``end``, if there is one."""
        for suffix in self.unit_suffixes:
            stop = end + 1 + len(suffix)
            if words[end:end + 1] == " " and words[end + 1:stop] == suffix \
                    and words[stop:stop + 1] == " ":
                return stop
        return None

    def dated(self, words: str, start: int, end: int) -> bool:
        """Whether the month name at ``words[start:end]`` is part of a date: a
        number or another month right before, or a number in the next two words
        ("31 آب", "أغسطس / آب", "آب عام 1936", "May 2004"); or an era after a
        year ("300 B.C.")."""
        name = words[start:end]
        if name not in self.months and name not in self.eras:
            return False
        before = words[max(0, start - 30):start].split()[-1:]
        if name in self.eras:
            return any(w.isdigit() for w in before)
        after = words[end:end + 30].split()[:2]
        return any(w.isdigit() or w in self.months for w in before) or any(
            w.isdigit() for w in after)

    def titled(self, before: list[str]) -> bool:
        """Whether a person's title stands at most two words before a name
        ("President Barack Obama", "وزير الدفاع ليون"); further back it is
        someone else's ("الشيخ خليفة قد غادر باريس"), and a city word between them makes
        it a place ("زار الوزير مدينة غاو": the minister visited the town of Gao)."""
        for word in reversed(before[-TITLE_REACH:]):
            if word in self.prepositions or word in self.city_before:
                return False
            if word in self.titles:
                return True
        return False

    def direction_before(self, words: str, start: int) -> tuple[int, str] | None:
        """Return ``(phrase_start, direction)`` if a direction phrase ends at ``start``."""
        last = words.rfind(" ", max(0, start - 40), start - 1)
        word = words[last + 1:start - 1]
        if not any(word[n:] in self.last_words for n in range(3)):  # up to 2 proclitics
            return None  # the word before is no direction word: skip the phrase scan
        for phrase, direction in self.directions:
            stop = start - 1
            begin = stop - len(phrase)
            if begin < 0 or words[begin:stop] != phrase or words[stop] != " ":
                continue
            return _extend_prefix(words, begin), direction
        return None

    def anaphors(self, words: str) -> list[tuple[int, int, str]]:
        """Spans ``(start, end, direction)`` of "the south of the country" phrases."""
        # The regex tries every position; most texts have no "country" at all.
        if self.anaphor is None or not any(w in words for w in self.anaphor_words):
            return []
        lookup = dict(self.directions)
        return [
            (m.start(1), m.end(), lookup[m.group(2)]) for m in self.anaphor.finditer(words)
        ]


def _extend_prefix(words: str, begin: int) -> int:
    """Include Arabic proclitics glued to the cue word ("وشمال")."""
    word_start = words.rfind(" ", 0, begin) + 1
    if 0 < begin - word_start <= 2:
        return word_start
    return begin


@lru_cache(maxsize=8)
def cues_for(lang: str) -> Cues:
    """Return the compiled cues of ``lang`` (``ar``, ``fr`` or ``en``)."""
    data = _load()
    directions = {
        words_form(p): d for p, d in data["directions_before"].get(lang, {}).items()
    }
    ordered = tuple(sorted(directions.items(), key=lambda item: -len(item[0])))
    anaphors = [words_form(a) for a in data["country_anaphors"].get(lang, [])]
    return Cues(
        directions=ordered,
        last_words=frozenset(p.rsplit(" ", 1)[-1] for p, _ in ordered),
        anaphor=_anaphor_pattern(lang, [p for p, _ in ordered], anaphors),
        anaphor_words=tuple(anaphors),
        city_before=_phrases(data["city_cues_before"].get(lang, [])),
        city_after=_phrases(data["city_cues_after"].get(lang, [])),
        region_before=_phrases(data["region_cues_before"].get(lang, [])),
        distance_before=_phrases(data["distance_before"].get(lang, [])),
        locatives=frozenset(words_form(w) for w in data["locatives_before"].get(lang, [])),
        titles=frozenset(words_form(w) for w in data["person_titles"].get(lang, [])),
        prepositions=frozenset(words_form(w) for w in data["prepositions"].get(lang, [])),
        unit_suffixes=tuple(words_form(w) for w in data["unit_suffixes"].get(lang, [])),
        months=frozenset(words_form(name) for names in lexicon("months")[lang].values()
                         for name in names),
        eras=frozenset(words_form(w) for w in data["eras"].get(lang, [])),
    )


def _phrases(words: list[str]) -> tuple[str, ...]:
    """The non-empty :func:`words_form` of each phrase."""
    return tuple(form for form in map(words_form, words) if form)


def _anaphor_pattern(
    lang: str, directions: list[str], anaphors: list[str]
) -> re.Pattern[str] | None:
    """Regex for a direction phrase followed by a country anaphor."""
    if not directions or not anaphors:
        return None
    prefix = _AR_PREFIX if lang == "ar" else ""
    dirs = "|".join(re.escape(d) for d in directions)
    tail = "|".join(re.escape(a) for a in anaphors)
    article = "(?:the |le |l )?" if lang != "ar" else ""
    return re.compile(rf"(?:^| )({prefix}({dirs}) {article}(?:{tail}))(?= |$)")


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    """Read and check ``cues.yaml``."""
    text = resources.files("geo").joinpath("data/cues.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for section in ("directions_before", "country_anaphors", "city_cues_before",
                    "city_cues_after", "locatives_before", "person_titles", "prepositions",
                    "unit_suffixes", "eras"):
        if not isinstance(data.get(section), dict):
            raise GazetteerError(f"cues.yaml: section {section!r} must be a mapping by language")
    for lang, table in data["directions_before"].items():
        bad = {d for d in table.values() if d not in DIRECTIONS}
        if bad:
            raise GazetteerError(f"cues.yaml: unknown directions {sorted(bad)} for {lang!r}")
    return data
