"""What the words around a candidate say about it.

The resolver asks these questions of every candidate: is its casing
trustworthy (Latin capitals mark proper nouns, except at a sentence start or
inside a person's name), does a locative preposition, a city cue or a
person's title stand before it, does it open a dateline, does it continue a
list of countries. Answers are worked out lazily, once per candidate.

The stretches of text around a candidate are folded with
:func:`geo.normalize.folded_words` itself, not the memoised
:func:`geo.cues.words_form`: each stretch is met once, so memoising it only
costs the cache's bookkeeping and evicts the single words that do come back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from geo.cues import cues_for, words_form
from geo.errors import GazetteerError
from geo.normalize import folded_words
from geo.records import Candidate

LIST_JOINERS = frozenset({"and", "et", "or", "ou"})
DATELINE_LOOKBACK = 200  # characters searched back for the start of a dateline's line
#: What follows the place of a dateline: a day, a dash, or an agency in brackets.
_DATELINE = re.compile(r"\s*(?:,\s*(?:le\s+)?\d|[-–—ـ]+\s|\((?:AFP|Reuters|AP|ATS|dpa|UPI|Xinhua|"
                       r"رويترز|أ ف ب|ا ف ب|واس|أ ش أ|د ب أ)\))")


_AR_CUE_PROCLITICS = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل")
_OF = frozenset({"de", "d", "du", "of"})  # "village de", "town of"
_OPENING = frozenset("(/[")
_CONJUNCTIONS = frozenset({"et", "and", "ou", "or"})
_CLOSING = frozenset(")/]")
#: A capitalised abbreviation of one to three letters right before: "St.", "Mt.", "Gen.".
_ABBREVIATION = re.compile(r"(?:^|\s)[A-Z][a-z]{0,2}\.$")


class Clues:
    """What the text around one candidate says: the same for all its readings,
    so worked out once (the costlier parts only when a reading asks)."""

    __slots__ = ("_before", "_city_cue", "cand", "doubtful", "lang", "start_only", "text")

    def __init__(self, cand: Candidate, text: str, lang: str) -> None:
        self.cand, self.text, self.lang = cand, text, lang
        # Latin capitals mark proper nouns, except at a sentence start or in a
        # person's name; Arabic has no capitals, so there it is always in doubt.
        # A dateline ("BERNE, 3 mai.", "مدريد ـ رويترز") names a place in any script.
        named = lang != "ar" and in_name_run(cand, text)
        start = lang != "ar" and not named and sentence_start(cand, text)
        self.doubtful = (lang == "ar" or named or start) and not dateline(cand, text)
        #: The only doubt is a sentence start: a word there is a common word
        #: only if it is one in lower case too.
        self.start_only = self.doubtful and start
        self._before: list[str] | None = None
        self._city_cue: bool | None = None

    @property
    def words_before(self) -> list[str]:
        """See :func:`words_before`."""
        if self._before is None:
            self._before = words_before(self.cand, self.text)
        return self._before

    @property
    def city_cue(self) -> bool:
        """See :func:`city_cue`."""
        if self._city_cue is None:
            self._city_cue = city_cue(self.cand, self.text, self.lang)
        return self._city_cue

    def place_cue(self) -> bool:
        """Whether a place cue word stands right before ("بلدة", "village de")."""
        before = self.words_before
        cues = _place_cues(self.lang)
        return bool(before) and (_cue_word(before[-1], cues, self.lang) or (
            len(before) > 1 and before[-1] in _OF and before[-2] in cues))

    def locative(self) -> bool:
        """See :func:`locative_before`."""
        return locative_before(self.cand, self.words_before, self.lang)

    def country_cue(self) -> bool:
        """See :func:`country_cue`."""
        return country_cue(self.cand, self.words_before, self.text, self.lang)

    def measured(self) -> bool:
        """See :meth:`geo.cues.Cues.measured`."""
        return cues_for(self.lang).measured(self.text, self.cand.start)

    def titled(self) -> bool:
        """Whether a person's title ("Minister") stands right before."""
        return cues_for(self.lang).titled(self.words_before)


def _cue_word(word: str, cues: frozenset[str], lang: str) -> bool:
    """Whether ``word`` is one of the ``cues``, in Arabic perhaps behind a
    proclitic ("بمنطقة", "وفي مدينة")."""
    if word in cues:
        return True
    return lang == "ar" and any(word.startswith(p) and word[len(p):] in cues
                                for p in _AR_CUE_PROCLITICS)


def city_cue(cand: Candidate, text: str, lang: str) -> bool:
    """Whether a city cue word stands right before or after the mention."""
    cues = cues_for(lang)  # phrases never empty: endswith/startswith take the tuples
    if cues.city_before:
        before = folded_words(text[max(0, cand.start - 20):cand.start])
        if before.endswith(cues.city_before):
            return True
    if cues.city_after:
        after = folded_words(text[cand.end:cand.end + 20])
        return after.startswith(cues.city_after)
    return False


def region_cue(cand: Candidate, text: str, lang: str) -> bool:
    """Whether a region cue word stands right before the mention, or before the one-word
    name listed right before it ("régions de Ségou et Tombouctou", "محافظتي سيغو
    وتمبكتو")."""
    cues = cues_for(lang)
    if not cues.region_before:
        return False
    words = folded_words(text[max(0, cand.start - 60):cand.start]).split()
    if " ".join(words).endswith(cues.region_before):
        return True
    if cand.prefix == "و":
        rest = words[:-1]
    elif words[-1:] and words[-1] in _CONJUNCTIONS:
        rest = words[:-2]
    else:
        return False
    return " ".join(rest).endswith(cues.region_before)


def french_article_before(cand: Candidate, text: str) -> bool:
    """Whether "dans" and a definite article stand right before the name ("dans le
    Tillabéry", "dans l'Adrar"): French gives regions an article, towns none unless it is
    part of their name, and that one contracts after "à" and "de" ("au Caire", "du
    Caire"), never after "dans"."""
    before = " ".join(text[max(0, cand.start - 12):cand.start].casefold().split()[-2:])
    return before in {"dans le", "dans la"} or before.endswith(("dans l'", "dans l’"))


def locative_before(cand: Candidate, before: list[str], lang: str) -> bool:
    """Whether a locative preposition or a proclitic ب/ل precedes the mention
    (``before``: its :func:`words_before`)."""
    if cand.prefix[-1:] in {"ب", "ل"}:
        return True
    return bool(before) and before[-1] in cues_for(lang).locatives


def country_cue(cand: Candidate, before: list[str], text: str, lang: str) -> bool:
    """Whether the words around a country name that is also a common word make
    it the country: a cue right before (``country_gate.yaml``:
    "بين مالي", "رئيس مالي", "الحدود مع مالي"; in Arabic perhaps behind a
    proclitic, "بمسؤولي مالي"), or the name alone in brackets
    or slashes ("(مالي)", "/مالي/")."""
    if text[cand.start - 1:cand.start] in _OPENING and text[cand.end:cand.end + 1] in _CLOSING:
        return True
    return bool(before) and _cue_word(before[-1], _gate_words(lang), lang)


@lru_cache(maxsize=4)
def _gate_words(lang: str) -> frozenset[str]:
    """The ``before`` words of ``lang`` in ``country_gate.yaml``, normalised."""
    raw = _read("country_gate.yaml")
    table = raw.get(lang, {}) if isinstance(raw, dict) else None
    words = table.get("before", []) if isinstance(table, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise GazetteerError(f"country_gate.yaml: '{lang}.before' must be a list of words")
    return frozenset(words_form(w) for w in words)


@lru_cache(maxsize=4)
def _place_cues(lang: str) -> frozenset[str]:
    """The place cue words of ``lang`` (``place_cues.yaml``), normalised."""
    raw = _read("place_cues.yaml")
    words = raw.get(lang, []) if isinstance(raw, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise GazetteerError(f"place_cues.yaml: '{lang}' must be a list of words")
    return frozenset(words_form(w) for w in words)


def bare_direction(key: str, lang: str) -> bool:
    """Whether a gazetteer key is only a compass direction ("l ouest", "nord",
    "الشمال الشرقي"; see ``bare_directions.yaml``)."""
    words, fillers = _direction_words(lang)
    parts = key.split()
    return any(p in words for p in parts) and all(p in words or p in fillers for p in parts)


@lru_cache(maxsize=4)
def _direction_words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The direction words and fillers of ``lang``, normalised like keys."""
    raw = _read("bare_directions.yaml")
    out = []
    for part in ("words", "fillers"):
        table = raw.get(part) if isinstance(raw, dict) else None
        items = table.get(lang, []) if isinstance(table, dict) else None
        if not isinstance(items, list) or not all(isinstance(w, str) and w for w in items):
            raise GazetteerError(f"bare_directions.yaml: '{part}.{lang}' must list words")
        out.append(frozenset(words_form(w) for w in items))
    return out[0], out[1]


def _read(name: str) -> Any:
    """The parsed YAML file ``geo/data/<name>``."""
    path = resources.files("geo") / "data" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read {name}: {exc}") from exc


def listed_after_country(cand: Candidate, text: str, recent: list[tuple[int, str]]) -> bool:
    """Whether the mention continues a list of countries ("النيجر ومالي", "Niger, Mali")."""
    if not recent or cand.start - recent[-1][0] > 6:
        return False
    gap = text[recent[-1][0]:cand.start]
    if cand.prefix.startswith("و"):
        return gap.strip() in {"", ",", "،"}  # "النيجر ومالي", not "الصومال. وكان"
    return folded_words(gap) in LIST_JOINERS or gap.strip() in {",", "،"}


def sentence_start(cand: Candidate, text: str) -> bool:
    """Whether the mention opens a sentence, a line or a quotation (a short
    capitalised abbreviation such as "St." ends no sentence: see :func:`in_name_run`)."""
    before = text[max(0, cand.start - 30):cand.start].rstrip(" ")
    if before.endswith(".") and _ABBREVIATION.search(before):
        return False
    return not before or before[-1] in ".!?:\"«“\n"


def in_name_run(cand: Candidate, text: str) -> bool:
    """Whether a capitalised word (or abbreviation) stands right before or
    right after the mention ("John Smith", "Chad Smith", "St. Paul"): a
    person's name, perhaps, or a longer name."""
    before = text[max(0, cand.start - 30):cand.start].rstrip(" ")
    previous = before.split()[-1:] or [""]
    if previous[0][:1].isupper() and previous[0][-1:].isalpha():
        return True
    if before.endswith(".") and _ABBREVIATION.search(before):
        return True  # "St. Petersburg", "Gen. Smith"
    after = text[cand.end:cand.end + 2]
    return after[:1] == " " and after[1:2].isupper()


def dateline(cand: Candidate, text: str) -> bool:
    """Whether the mention opens a line as a dateline: the place, then a date,
    a dash or a news agency ("Berne, 3 mai", "BAGHDAD (Reuters) -", "مدريد ـ")."""
    head = text[max(0, cand.start - DATELINE_LOOKBACK):cand.start]  # bounded: stays linear
    if head.rpartition("\n")[2].strip():
        return False  # words before it on its line
    if "\n" not in head and len(head) == DATELINE_LOOKBACK:
        return False  # no line start in sight
    return _DATELINE.match(text, cand.end, cand.end + 40) is not None


def words_before(cand: Candidate, text: str) -> list[str]:
    """The few normalised words right before the mention."""
    return folded_words(text[max(0, cand.start - 40):cand.start]).split()


def place_cue_words(lang: str) -> frozenset[str]:
    """The place cue words of ``lang`` (``place_cues.yaml``), normalised."""
    return _place_cues(lang)
