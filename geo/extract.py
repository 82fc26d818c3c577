"""Candidate place mentions: every gazetteer name that occurs in a text.

The default extractor, :class:`GazetteerMatcher`, runs one Aho-Corasick
automaton (C-backed, linear in the text) over the normalised text and keeps
the longest non-overlapping matches that sit on word boundaries.

Arabic proclitics are **inside** the span: ``ومالي`` is one mention whose
surface is ``ومالي`` (prefix ``و``), ``للجزائر`` is ``ل`` plus ``الجزائر`` with
the article's alef elided. The letters allowed before a name are the
conjunctions و ف, the prepositions ب ل ك and their combinations, optionally
followed by the article (for demonyms and names without it).

Organisation and outlet names that contain a place name ("Washington Post",
"تنظيم القاعدة في بلاد المغرب الإسلامي") are gazetteer entries of kind
``trap``: being longer, they win the overlap and are then dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple, Protocol

import numpy as np

from geo.cues import cues_for
from geo.gazetteer import Gazetteer, NameEntry
from geo.matchindex import MatchIndex, match_index, written_lower
from geo.normalize import is_arabic, scan_form
from geo.records import Candidate, MentionKind
from geo.scan import word_matches

# Proclitic combinations allowed before a name (normalised letters).
PREFIXES = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
ARTICLE_PREFIXES = frozenset({p + "ال" for p in ("", *PREFIXES)} | {"لل", "ولل", "فلل"})
# Before an article-initial name whose alef is elided ("للجزائر" = ل + الجزائر).
ELIDED_PREFIXES = frozenset({"ل", "ول", "فل"})
# The letters any of those prefixes can end with (a quick test of _word_start).
PREFIX_ENDINGS = frozenset(p[-1] for p in PREFIXES | ARTICLE_PREFIXES | ELIDED_PREFIXES)
_WORD = re.compile(r"[^\W\d_]+")
#: Lower-case words shorter than this may be particles of a name ("Aïn ben Tili").
_PARTICLE = 4
_LOWER_WORD = re.compile(r"[\s-][^\W\d_A-ZÀ-ÖØ-Þ]{4}")
COUNTRY_ID_PREFIX = "ne:admin0:"
#: Source index of each matcher character: a list for news-size texts, an
#: array for long ones (memory).
Offsets = Sequence[int] | np.ndarray
TOKEN_WINDOW = 200  # longest @handle or URL prefix looked back over
_TOKEN_MARKS = ("_", "@", "://", "www.")  # what _free_standing looks for
GLUED_REACH = 30  # longest first name of two run together ("النيجرومالي")
GLUED_NAME = 4  # shortest name on either side of a glued conjunction
LIST_OFFSETS = 200_000  # below this many characters a list indexes faster than an array
ENTRY_CACHE = 50_000  # names whose gazetteer entries a matcher keeps
SHORT_NAME = 3  # Latin names this short need capitals (see _plausible)
COMMON_SHORT = 3.5  # Zipf from which a short name is a common word
#: What a name's entries make of a mention: kind, place ids, ambiguous.
Readings = tuple[MentionKind, tuple[str, ...], bool]


@lru_cache(maxsize=4)
def default_matcher(gazetteer: Gazetteer) -> GazetteerMatcher:
    """The shared matcher of a gazetteer (it caches name lookups)."""
    return GazetteerMatcher(gazetteer)


class Extractor(Protocol):
    """Finds candidate spans in a text; swap in another matcher or a NER model."""

    def extract(self, text: str, *, lang: str) -> list[Candidate]:
        """Return non-overlapping candidates in text order."""
        ...


class _Hit(NamedTuple):
    """A raw automaton match, in normalised-text coordinates (a tuple: cheap
    to build for the tens of thousands of raw matches of a long text)."""

    start: int  # first letter of the word (proclitics included)
    name_start: int
    end: int
    key: str
    prefix: str
    direction: str | None = None


class GazetteerMatcher:
    """Default :class:`Extractor`: exact names from the gazetteer index.

    Trade-offs: it finds only names the gazetteer knows (no unseen names) and
    leans on casing for Latin scripts (a lower-case "nice" is not Nice), but it
    is fast, deterministic, needs no model and gives exact offsets.
    """

    def __init__(self, gazetteer: Gazetteer, *, index: MatchIndex | None = None) -> None:
        self.gazetteer = gazetteer
        self.index = index or match_index(gazetteer)
        self._cache: dict[tuple[str, str], tuple[NameEntry, ...]] = {}
        self._readings: dict[tuple[str, str, bool, bool], Readings] = {}
        # Buffers the compiled scan reads as C arrays (and Python indexes as ints).
        self._lengths = self.index.lengths.data
        self._lowercase = {lang: flags.view(np.uint8).data
                           for lang, flags in self.index.lowercase.items()}

    def extract(self, text: str, *, lang: str) -> list[Candidate]:
        """Return the longest non-overlapping name matches in ``text``."""
        # A space on both ends so every name, first and last too, sits between
        # spaces; words[i] comes from text[offsets[i]].
        words, source = scan_form(text)
        offsets = source.tolist() if len(source) <= LIST_OFFSETS else source
        common = self.index.common.get(lang, {})
        plain = _plain(text)
        hits = [h for h in self._hits(words, text, offsets, lang)
                if self._plausible(h, text, offsets, lang, common)
                and (plain or _free_standing(h, text, offsets)) and not self._a_word(h, words)]
        cues = cues_for(lang)
        out: list[Candidate] = []
        for hit in _longest_first(hits + _anaphor_hits(words, lang)):
            entries = self._entries(hit.key, lang) if hit.key else ()
            if entries and entries[0].kind == "trap":
                continue
            if not entries and not hit.direction:
                continue
            if hit.key and cues.dated(words, hit.name_start, hit.end):
                continue  # "31 آب" is a date, not Ibb
            suffix_end = cues.unit_suffix(words, hit.end) if hit.key else None
            if suffix_end is not None:
                out.append(_unknown_unit(hit, suffix_end, words, text, offsets))
                continue
            found = cues.direction_before(words, hit.start) if hit.key else None
            # A name in lower case reads only as what is written that way:
            # "suisse" is the adjective, not la Suisse; "nord" no region.
            lower = bool(hit.key) and text[int(offsets[hit.name_start])].islower()
            candidate = _candidate(hit, self._readings_of(hit, entries, lang, lower=lower),
                                   text, offsets, found)
            if candidate.place_ids or not hit.key:
                out.append(candidate)
        return out

    def _hits(self, words: str, text: str, offsets: Offsets, lang: str) -> Iterator[_Hit]:
        """Yield matches that end on a word boundary and start on one (or after clitics)."""
        keys = self.index.keys
        # word_matches kept whole words only as their full forms (value > 0),
        # and names inside words only after a letter that ends a proclitic.
        for end, value, name_start in word_matches(
                self.index.automaton, words, str(text), offsets, self._lengths,
                self._lowercase.get(lang), PREFIX_ENDINGS):
            key = keys[abs(value) - 1]
            if name_start == 0 or words[name_start - 1] == " ":
                yield _Hit(name_start, name_start, end, key, "")  # the usual case
                continue
            hit = _word_start(words, name_start, key=key, elided=value < 0)
            if hit is not None:
                yield _Hit(hit[0], name_start, end, key, hit[1])
            elif words[name_start - 1] == "و" and value > 0:
                yield from self._glued(words, name_start, end, key)

    def _glued(self, words: str, name_start: int, end: int, key: str) -> Iterator[_Hit]:
        """Two names run together by a conjunction with no space ("النيجرومالي",
        as scraped Arabic news often has it): both, when the word before the
        و is a name too."""
        word_start = words.rfind(" ", max(0, name_start - GLUED_REACH), name_start) + 1
        if word_start == 0 or len(key) < GLUED_NAME:
            return
        left = words[word_start:name_start - 1]
        for prefix in ("", *sorted(PREFIXES, key=len, reverse=True)):
            name = left[len(prefix):]
            if not left.startswith(prefix) or len(name) < GLUED_NAME:
                continue
            entries = self.gazetteer.lookup(name)
            # A country on one side: "مصروفات" (expenses) is no مصر + و + فات.
            if entries and any(e.place_id.startswith(COUNTRY_ID_PREFIX)
                               for e in (*entries, *self.gazetteer.lookup(key))):
                yield _Hit(word_start, word_start + len(prefix), name_start - 1, name, prefix)
                yield _Hit(name_start - 1, name_start, end, key, "و")
                return

    def _plausible(
        self, hit: _Hit, text: str, offsets: Offsets, lang: str, common: dict[str, float]
    ) -> bool:
        """Casing rule for Latin names: a capital first letter. Names of two
        letters must be all capitals ("US", not "us"), and so must three-letter
        names that are common words ("WAR" maybe, "War" no; "Gao" is fine).

        ``common`` is the Zipf table of ``lang`` (``MatchIndex.common``)."""
        name_start = int(offsets[hit.name_start])
        first = text[name_start]
        if is_arabic(first) or not first.isalpha():
            return True
        if len(hit.key) <= SHORT_NAME:
            end = int(offsets[hit.end - 1]) + 1
            surface = text[name_start:end]
            word = common.get(hit.key, 0.0) >= COMMON_SHORT and not cues_for(lang).measured(
                text, name_start)  # "à 20 kilomètres de Bol" is a place
            return surface.isupper() or (first.isupper() and (
                (len(hit.key) > 2 and not word) or self._abbreviation(hit.key, text, end)))
        if first.isupper():
            end = int(offsets[hit.end - 1]) + 1
            return self._cased_as_written(hit.key, text[name_start:end], lang)
        # French demonyms are lower case ("malien"); so are curated names written
        # that way ("zone des trois frontières").
        return any(written_lower(e) for e in self._entries(hit.key, lang))

    def _cased_as_written(self, key: str, surface: str, lang: str) -> bool:
        """Whether some name of ``key`` is cased like ``surface`` word by word.

        A word the name capitalises but the text writes in lower case makes
        the phrase common words, not that name: "The city" is not "The City"
        (London), nor "La réunion" La Réunion, nor "Vingt-cinq" Vingt Cinq.
        """
        if not _LOWER_WORD.search(surface):
            return True  # the common case, decided without a lookup
        words = _WORD.findall(surface)
        if len(words) < 2 or not any(w[:1].islower() and len(w) >= _PARTICLE
                                     for w in words[1:]):
            return True
        for entry in self._entries(key, lang):
            written = _WORD.findall(entry.name)
            if len(written) != len(words) or not all(
                    not (w[:1].islower() and len(w) >= _PARTICLE and n[:1].isupper())
                    for w, n in zip(words, written, strict=True)):
                continue
            return True
        return False

    def _a_word(self, hit: _Hit, words: str) -> bool:
        """Whether a proclitic + name reading is really one common Arabic word:
        "كبيرا" (big) is not ك + "بيرا", "ورقة" (paper) not و + "رقة"; "والجزائر"
        is و + الجزائر because the name is the commoner word."""
        if not hit.prefix:
            return False
        whole = self.index.clitic_words.get(words[hit.start:hit.end], 0.0)
        return whole > self.index.common["ar"].get(hit.key, 0.0)

    def _abbreviation(self, key: str, text: str, end: int) -> bool:
        """A dotted abbreviation the gazetteer knows, written with its dot ("Ga.")."""
        return text[end:end + 1] == "." and any(
            k.endswith(".") for k in self.index.sources.get(key, ()))

    def _entries(self, key: str, lang: str) -> tuple[NameEntry, ...]:
        """Entries for pattern ``key`` usable in ``lang``, traps first, then toponyms."""
        cached = self._cache.get((key, lang))
        if cached is None:
            if len(self._cache) >= ENTRY_CACHE:
                self._cache.clear()  # bounded: a corpus run keeps its hot names
            cached = self._cache[(key, lang)] = self._lookup(key, lang)
        return cached

    def _readings_of(
        self, hit: _Hit, entries: tuple[NameEntry, ...], lang: str, *, lower: bool = False
    ) -> Readings:
        """:func:`_readings` of a hit's ``entries`` (only those that may be
        written in lower case when the surface is), cached like :meth:`_entries`."""
        adjective = hit.prefix.endswith("ال") and not hit.key.startswith("ال")
        cache_key = (hit.key, lang, adjective, lower)
        cached = self._readings.get(cache_key)
        if cached is None:
            if len(self._readings) >= ENTRY_CACHE:
                self._readings.clear()
            if lower:
                entries = tuple(e for e in entries if written_lower(e))
            cached = self._readings[cache_key] = _readings(entries, adjective=adjective)
        return cached

    def _lookup(self, key: str, lang: str) -> tuple[NameEntry, ...]:
        """Uncached :meth:`_entries`."""
        keys = self.index.sources.get(key, (key,))
        entries = [e for k in keys for e in self.gazetteer.lookup(k) if e.lang in (lang, "*")]
        order = {"trap": 0, "toponym": 1, "demonym": 2}
        return tuple(sorted(entries, key=lambda e: order.get(e.kind, 3)))


def _plain(text: str) -> bool:
    """Whether ``text`` has no hashtag, handle or address at all, so that every
    name in it is :func:`_free_standing` (most texts: one test per text, not
    one per name)."""
    return not any(mark in text for mark in _TOKEN_MARKS)


def _free_standing(hit: _Hit, text: str, offsets: Offsets) -> bool:
    """Not a piece of a compound hashtag ("#امطار_الكويت"), an @handle or a URL.

    A hashtag that is a whole name ("#حفر_الباطن") still counts.
    """
    start, end = int(offsets[hit.start]), int(offsets[hit.end - 1]) + 1
    if text[start - 1:start] == "_" or text[end:end + 1] == "_":
        return False
    window = max(0, start - TOKEN_WINDOW)  # bounded: a long text stays linear
    token_start = 1 + max(text.rfind(" ", window, start), text.rfind("\n", window, start),
                          window - 1)
    token = text[token_start:end]
    return not (token.startswith("@") or "://" in token or token.startswith("www."))


def _word_start(words: str, start: int, *, key: str, elided: bool) -> tuple[int, str] | None:
    """Return ``(word_start, prefix)`` if a name starting at ``start`` may begin there."""
    if start == 0 or words[start - 1] == " ":
        return None if elided else (start, "")
    word_start = words.rfind(" ", max(0, start - 5), start) + 1
    if word_start == 0 and start > 4:
        return None
    prefix = words[word_start:start]
    if not is_arabic(key[0]):
        return None
    if elided:
        allowed = ELIDED_PREFIXES
    elif key.startswith("ال"):
        allowed = PREFIXES
    else:
        allowed = PREFIXES | ARTICLE_PREFIXES
    return (word_start, prefix) if prefix in allowed else None


def _anaphor_hits(words: str, lang: str) -> list[_Hit]:
    """Hits for "the south of the country" phrases (no gazetteer key)."""
    return [
        _Hit(start=s, name_start=s, end=e, key="", prefix="", direction=d)
        for s, e, d in cues_for(lang).anaphors(words)
    ]


def _longest_first(hits: list[_Hit]) -> list[_Hit]:
    """Greedy leftmost-longest selection of non-overlapping hits."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen: list[_Hit] = []
    last_end = -1
    for hit in hits:
        if hit.start >= last_end:
            chosen.append(hit)
            last_end = hit.end
    return chosen


def _unknown_unit(
    hit: _Hit, end: int, words: str, text: str, offsets: Offsets
) -> Candidate:
    """"Madison County" when the gazetteer has no such unit: a candidate with
    no readings, which the resolver reports as a reasoned miss."""
    start, stop = int(offsets[hit.start]), int(offsets[end - 1]) + 1
    return Candidate(start=start, end=stop, surface=text[start:stop],
                     key=words[hit.start:end], place_ids=())


def _place_ids(entries: tuple[NameEntry, ...], kind: str) -> tuple[str, ...]:
    """Distinct place ids of the entries of one kind, in order."""
    return tuple(dict.fromkeys(e.place_id for e in entries if e.kind == kind))


def _readings(entries: tuple[NameEntry, ...], *, adjective: bool) -> Readings:
    """Kind, place ids and ambiguity of a mention with these gazetteer entries.

    ``adjective``: a name without the article that carries one ("المالي",
    the article glued on): a country name is then its adjective, so a
    demonym of the same place; any other name is some other word ("التي").
    """
    if adjective:
        kind: MentionKind = "demonym"
        countries = (i for i in _place_ids(entries, "toponym") if i.startswith(COUNTRY_ID_PREFIX))
        ids = _place_ids(entries, "demonym") or tuple(countries)
    else:
        kind = "toponym" if any(e.kind == "toponym" for e in entries) else "demonym"
        if kind == "toponym" and _demonym_first(entries):
            kind = "demonym"
        ids = _place_ids(entries, kind)
    return kind, ids, any(e.ambiguous for e in entries)


def _demonym_first(entries: tuple[NameEntry, ...]) -> bool:
    """A demonym in this language beats place names only found untagged
    ("Chadian": Chad's adjective, not the villages of that name in China)."""
    return any(e.kind == "demonym" and e.lang != "*" for e in entries) and not any(
        e.kind == "toponym" and e.lang != "*" for e in entries)


def _candidate(
    hit: _Hit,
    readings: Readings,
    text: str,
    offsets: Offsets,
    direction: tuple[int, str] | None,
) -> Candidate:
    """Map a hit back to the original text and bundle its :func:`_readings`."""
    first = direction[0] if direction else hit.start
    start, end = int(offsets[first]), int(offsets[hit.end - 1]) + 1
    kind, ids, ambiguous = readings
    return Candidate(
        start=start,
        end=end,
        surface=text[start:end],
        key=hit.key,
        place_ids=ids,
        kind=kind,
        prefix=hit.prefix,
        direction=direction[1] if direction else hit.direction,
        ambiguous=ambiguous,
    )
