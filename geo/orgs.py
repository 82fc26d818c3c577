"""Places inside the names of organisations are part of those names.

"Mouvement arabe de l'Azawad", "Front for Change and Concord in Chad (FACT)",
"حركة إنقاذ أزواد", "بعثة الأمم المتحدة للدعم في ليبيا", "Maroc Telecom": the
place in each is a piece of an organisation's name (a group, movement,
mission, company or outlet), not a place the text talks about. The words that
open or close such names are data (``geo/data/organisations.yaml``); the rule
is the same for all of them:

* **Latin scripts**: a capitalised head word ("Front", "Mission") stands a
  few words before the place, and only the name's own words lie between:
  capitalised words, small joiners ("de", "of", "pour"), and in French at
  most one lower-case word ("libération"). A locative joiner ("in", "au")
  makes the place part of the name only when an acronym in brackets follows
  ("... in Chad (FACT)"; not "the Wagner Group in Mali"), and an acronym
  also lets a lower-case head count ("la mission de l'ONU en Libye (Manul)").
  A capitalised tail word right after the place ("Telecom", "Customs") makes
  it a company's or a ministry's name.
* **Arabic** (no capitals): the head stands at most ``max_words`` words
  before the place, which carries the linking proclitic ل ("للأزواد") or
  follows a linking word ("لتحرير", "أوف") or, for a few heads, في
  ("بعثة ... في ليبيا"); or it follows the head within ``direct_words``
  words with no preposition between ("حركة إنقاذ أزواد", "راديو فرنسا").

Trade-off: the rule reads only the words around the place, so a name far
longer than ``max_words`` words, or one written without its head, still
needs an entry in ``traps.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geo.cues import words_form
from geo.errors import GazetteerError
from geo.gazetteer.curated import read_yaml
from geo.gazetteer.sources import DATA_DIR
from geo.normalize import fold
from geo.records import Candidate

WINDOW = 160  # characters looked back over for a head word
NEAR_WINDOW = 80  # characters tokenised first (see tokens_before)
_TOKEN = re.compile(r"\w+|[^\w\s'’]")
_ACRONYM = re.compile(r"\s*\(\s*[A-Z][A-Za-z0-9-]{1,11}\s*[),]")
_LATIN_KEYS = {"heads", "tails", "joiners", "locative", "lowercase_words", "conjunctions",
               "articles", "stops"}
_ARABIC_KEYS = {"heads", "in_heads", "links", "stops", "max_words", "direct_words"}
#: Quotes that may open a name right after its head ('راديو "فرنسا الدولي"').
_OPEN_QUOTES = frozenset('"«“')
#: Proclitics a head word may carry ("وحركة", "فالجبهة") without leaving the name.
_AR_HEAD_CLITICS = ("و", "ف")


@dataclass(frozen=True, slots=True)
class _Rules:
    """The word lists of one language, folded (see :func:`geo.cues.words_form`)."""

    #: heads by their last word, each as its words, longest first
    heads: dict[str, tuple[tuple[str, ...], ...]]
    tails: frozenset[str]
    joiners: frozenset[str]
    conjunctions: frozenset[str]
    articles: frozenset[str]
    locative: frozenset[str]
    lowercase_words: int
    in_heads: frozenset[str]
    links: frozenset[str]
    stops: frozenset[str]
    max_words: int
    direct_words: int


def in_organisation_name(cand: Candidate, text: str, lang: str) -> bool:
    """Whether the candidate is a piece of an organisation's name (see module doc)."""
    rules = _rules(lang)
    if rules is None or cand.kind != "toponym":
        return False
    if lang == "ar" and _unlinked(cand.prefix):
        return False  # decided by the word itself: no words before it to read
    # The rules read at most max_words + 3 words back, after an opening quote.
    before = tokens_before(text, cand.start, rules.max_words + 4)
    if lang == "ar":
        return _arabic_name(cand, before, rules)
    return _latin_head(cand, text, before, rules) or _latin_tail(cand, text, rules)


def _unlinked(prefix: str) -> bool:
    """Whether an Arabic place's proclitics keep it out of any name before it:
    "... ومالي" goes on with a list, "بفاس" is "in Fes"."""
    clitics = prefix.removesuffix("ال")
    return clitics.startswith(("و", "ف")) or "ب" in clitics


def tokens_before(text: str, end: int, count: int) -> list[str]:
    """The last ``count`` tokens of the ``WINDOW`` characters before ``end``,
    nearest first.

    Tokenised from ``NEAR_WINDOW`` characters back when those hold more than
    ``count`` tokens (most places): every token after the first of a stretch
    of text is the one tokenising from further back finds, and only the first
    may be cut; the whole window is read only where the words are long.
    """
    start = max(0, end - WINDOW)
    near = max(start, end - NEAR_WINDOW)
    found = _TOKEN.findall(text, near, end)
    if near > start and len(found) <= count:
        found = _TOKEN.findall(text, start, end)
    return found[:-count - 1:-1]


class _Folded:
    """The folded forms of some words, worked out only as the scan reaches them
    (most scans stop after a word or two)."""

    __slots__ = ("_done", "_words")

    def __init__(self, words: list[str]) -> None:
        self._words = words
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, i: int) -> str:
        if i not in self._done:
            self._done[i] = fold(self._words[i])
        return self._done[i]

    def span(self, i: int, n: int) -> tuple[str, ...]:
        """Words ``i`` to ``i + n - 1``, in text order (the list runs backwards)."""
        return tuple(self[j] for j in range(min(i + n, len(self)) - 1, i - 1, -1))


def _head_at(folded: _Folded | list[str], i: int, rules: _Rules) -> int:
    """How many words the head ending at ``folded[i]`` has (``folded`` runs
    backwards), 0 if no head ends there."""
    for head in rules.heads.get(folded[i], ()):
        n = len(head)
        found = folded.span(i, n) if isinstance(folded, _Folded) else tuple(
            folded[i:i + n][::-1])
        if found == head:
            return n
    return 0


def _latin_head(cand: Candidate, text: str, before: list[str], rules: _Rules) -> bool:
    """A capitalised head, then only the name's own words, then the place."""
    acronym = _ACRONYM.match(text, cand.end) is not None
    lowercase = 0
    locative = False
    words = before[:rules.max_words + 3]
    all_folded = _Folded(words)
    for i, word in enumerate(words[:rules.max_words]):
        if not word[0].isalnum():
            return False  # punctuation ends the name
        n = _head_at(all_folded, i, rules)
        if n:
            return (words[i + n - 1][0].isupper() or acronym) and (acronym or not locative)
        folded = all_folded[i]
        if folded in rules.articles and i + 1 < len(words) and all_folded[
                i + 1] in rules.conjunctions:
            return False  # "... Movement and the Sudan": another noun phrase
        if folded in rules.stops:
            return False
        if folded in rules.locative:
            locative = True
        elif folded in rules.joiners or word[0].isupper() or word.isdigit():
            continue
        else:
            lowercase += 1
            if lowercase > rules.lowercase_words:
                return False
    return False


def _latin_tail(cand: Candidate, text: str, rules: _Rules) -> bool:
    """A capitalised company, ministry or outlet word right after the place,
    or the candidate is such a word itself ("Medias" of "Sahara Medias" is
    also a town in Romania)."""
    if cand.key in rules.tails and cand.surface[:1].isupper():
        return True
    after = text[cand.end:cand.end + 30]
    if after[:1] != " ":
        return False
    word = _TOKEN.match(after, 1)
    return word is not None and word.group()[0].isupper() and words_form(
        word.group()) in rules.tails


def _arabic_name(cand: Candidate, before: list[str], rules: _Rules) -> bool:
    """A head a few words before the place, linked to it (see module doc); the
    place's proclitics do not rule that out (see :func:`_unlinked`)."""
    clitics = cand.prefix.removesuffix("ال")
    if before and before[0] in _OPEN_QUOTES:
        before = before[1:]  # the name in quotes after its head
    words = [words_form(w) for w in before[:rules.max_words + 3]]
    heads = [_bare_head(w) for w in words]
    linked = "ل" in clitics or (bool(words) and words[0] in rules.links)
    for i, word in enumerate(words[:rules.max_words + 1]):
        if not word:
            return False  # punctuation ends the name
        found = words
        n = _head_at(words, i, rules)
        if not n:
            found, n = heads, _head_at(heads, i, rules)
        if not n:
            continue
        folded = " ".join(found[i:i + n][::-1])
        if linked:
            return True
        if words[0] == "في":
            return folded in rules.in_heads
        return (folded not in rules.in_heads and i <= rules.direct_words
                and not any(w in rules.stops or w.startswith("و") for w in words[:i]))
    return False


def _bare_head(word: str) -> str:
    """``word`` without a leading و or ف: "and the Movement" opens a name too
    ("والحركة العربية للأزواد"); the place's own و still means a list."""
    if word.startswith(_AR_HEAD_CLITICS) and len(word) > 3:
        return word[1:]
    return word


@lru_cache(maxsize=4)
def _rules(lang: str) -> _Rules | None:
    """The checked rules of ``lang`` (None for a language the file lacks)."""
    raw = _load()
    table = raw.get(lang)
    if table is None:
        return None
    allowed = _ARABIC_KEYS if lang == "ar" else _LATIN_KEYS
    if not isinstance(table, dict) or not set(table) <= allowed:
        raise GazetteerError(f"organisations.yaml: '{lang}' keys must be among {sorted(allowed)}")
    names = _strings(table, "heads") + _strings(table, "in_heads")
    heads: dict[str, tuple[tuple[str, ...], ...]] = {}
    for head in sorted({tuple(words_form(h).split()) for h in names}, key=len, reverse=True):
        heads[head[-1]] = (*heads.get(head[-1], ()), head)
    return _Rules(
        heads=heads, tails=_folded(table, "tails"), joiners=_folded(table, "joiners"),
        conjunctions=_folded(table, "conjunctions"), articles=_folded(table, "articles"),
        locative=_folded(table, "locative"),
        lowercase_words=int(table.get("lowercase_words", 0)),
        in_heads=_folded(table, "in_heads"), links=_folded(table, "links"),
        stops=_folded(table, "stops"),
        max_words=int(table.get("max_words", raw.get("max_words", 7))),
        direct_words=int(table.get("direct_words", 0)),
    )


def _strings(table: dict[str, Any], key: str) -> list[str]:
    items = table.get(key, [])
    if not isinstance(items, list) or not all(isinstance(w, str) and w for w in items):
        raise GazetteerError(f"organisations.yaml: '{key}' must be a list of non-empty strings")
    return items


def _folded(table: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(words_form(w) for w in _strings(table, key))


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    raw = read_yaml(DATA_DIR / "organisations.yaml")
    if not isinstance(raw, dict):
        raise GazetteerError("organisations.yaml must map languages to word lists")
    return raw
