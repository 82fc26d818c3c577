"""Place mentions that take no part in frames, and why.

A place named in a dateline ("BAMAKO, 2 December —"), inside the name of an
organisation, armed group, mission, force or outlet ("Islamic State in the
Sahel", "Africa Corps"), in a comparison ("an area the size of France") or
as a person's name ("Kaya Ouédraogo") is a place mention but never where an
event happens: frames do not bind it; nor do they bind a town farther than
3,000 km from every other place of the report (an outlier: almost always a
name read as the wrong place). A place that only says whose a person,
a body or an object is ("the president of Niger", "جيش مالي", "French-made")
is no *location* either, nor is the place of a quoted source ("officials in
Niamey said") or a place a long distance is measured from ("700 km east of
Timbuktu": the event is far from it); frames about states (border closures, pursuit, coalitions) may
still take it as a state. The words live in
``geo/data/frames/exclusions.yaml``; names of ``actors.yaml`` organisations
count as organisation names.

Trade-off: these are surface patterns next to the mention (a few words
before or after it, the start of a line), not a parse; they are right for
the fixed shapes of names, datelines and titles, and leave anything else
to the frames.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geo.frames.clauses import Document, SpanIndex
from geo.frames.phrasehits import PhraseList
from geo.lexicon import lexicon, phrases_for
from geo.normalize import normalize_key
from geo.records import Mention

#: Reasons that keep a mention out of every frame.
HARD = frozenset({"dateline", "organisation", "comparison", "person", "outlier", "common noun"})
#: Reasons that keep a mention out of locations only (a state may still be one).
NOT_LOCATION = frozenset({"qualifier", "reference"})
#: A place at least this far from the event the sentence locates by it ("700 km east of
#: Timbuktu") is a reference point: farther than the event scorer's reach, and than what a
#: point at the place could honestly show.
REFERENCE_KM = 50.0
_MILE_KM = 1.6
_REFERENCE_CHARS = 80  # a distance phrase is read in the characters before the place
_PHRASE_BREAK = re.compile(r"[.;:!?()\n,،؛]")
#: A town farther than this from every other place of its report is an outlier: almost
#: always a name read as the wrong place (a Vietnamese town in a report on Nigeria).
OUTLIER_KM = 3000.0
_CELL_DEG = 30.0  # grid cells for the outlier search: a neighbour within 3,000 km is at
# most one cell away in latitude (27 degrees) and, in these latitudes, in longitude
_DASH = re.compile(r"\s[-–—ـ|]+\s|[-–—ـ]+\s|\s[-–—ـ]+(?=\S)|\(\s*[^()\n]{1,40}\)\s*:?\s")
#: A dateline may end with its date instead of a dash: "BENGHAZI, Libya, July 21 Dozens...".
_DATE_END = re.compile(r",\s*(?:(\w+)\.?\s+\d{1,2}|\d{1,2}\s+(\w+)\.?)(?:,?\s+\d{4})?\s+(?=\S)")
#: A place standing alone between bars, as in a byline: "ANI | Ouagadougou | Updated".
_BARS = re.compile(r"\|\s*$")
_LINE_HEAD = 120  # characters of a line looked at for a dateline
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s\s+([\w-]+(?:\s+[\w-]+){0,2})")
_MADE_AFTER = re.compile(r"\s*-?\s*([\w]+)")
_GAP_CHARS = 16  # a connector or two between an opening word and the place
_SOURCE_WORDS, _SOURCE_CHARS = 4, 60  # a reporting verb near a source's place
#: An attribution ending a sentence: a reporting verb after a comma or a closing quote (and
#: at most a few words of its subject: ', the colonel told'), a few words to the place,
#: a few more to the sentence's end, and no clause of its own.
_ATTRIBUTION_LEAD = re.compile(r"[,،\"”»]\s*(?:\S+\s+){0,3}$")
_LEAD_CHARS = 40
_ATTRIBUTION_WORDS, _TAIL_WORDS = 8, 6
_COMPLEMENTIZER = re.compile(r"\b(?:that|que|qu['’])\b|(?:^|\s)[وف]?[أإا]ن\s")
_OUTLIER_PRECISION = 3  # towns and sites: a country or region far away may be an actor
_BREAK = re.compile(r"[.,;:!?،؛()\n]")  # punctuation ends a name or a title's reach
#: Words at least this frequent (Zipf) are common words, not surnames ("Agreement" 4.9;
#: "Traoré" 3.4, "Ouédraogo" 2.4).
_COMMON_ZIPF = 3.6
_SETTLEMENTS = frozenset({"city", "town", "village", "populated_place"})


@lru_cache(maxsize=32)
def _entries(kind: str, key: str, lang: str) -> frozenset[str]:
    """Normalised entries of a ``{lang: [...]}`` table of exclusions.yaml."""
    table: Mapping[str, Any] = lexicon("exclusions")[kind][key]
    return frozenset(normalize_key(w) for w in (table.get(lang, ()) if isinstance(table, Mapping)
                                                else table))


def _words(kind: str, key: str, lang: str) -> frozenset[str]:
    """Normalised entries of a ``{lang: [...]}`` table of exclusions.yaml, and their words."""
    items = _entries(kind, key, lang)
    return frozenset([*items, *(w for item in items for w in item.split())])


def _table(kind: str, key: str, lang: str) -> tuple[str, ...]:
    """The phrases of ``lang`` in the ``kind.key`` table of exclusions.yaml."""
    return phrases_for(lexicon("exclusions")[kind][key], lang)


#: The (section, key) phrase tables :class:`Exclusions` finds in the whole text.
_SCANNED = (("organisations", "names"), ("organisations", "before"),
            ("organisations", "after"), ("qualifiers", "owners"), ("qualifiers", "objects"),
            ("qualifiers", "posts"), ("comparisons", "phrases"), ("sources", "phrases"),
            ("sources", "reporting"), ("persons", "titles"))


def exclusion_phrase_lists(lang: str) -> list[PhraseList]:
    """The phrase lists :class:`Exclusions` reads in a text of ``lang`` (see
    :mod:`geo.frames.phrasehits`)."""
    return [(_table(kind, key, lang), None) for kind, key in _SCANNED]


@dataclass(frozen=True, slots=True)
class Offset:
    """A distance measured from a place: kilometres and, when the text gives one, the
    compass bearing in degrees (0 is north, 90 east)."""

    km: float
    bearing: float | None


class Exclusions:
    """Why each mention of a document is no frame participant (``None``: it may be).

    Parameters
    ----------
    doc : Document
        The prepared text.
    mentions : sequence of Mention
        Resolved mentions in text order.
    organisations : iterable of (start, end)
        Spans of organisation names found elsewhere (``actors.yaml``).
    """

    def __init__(self, doc: Document, mentions: Sequence[Mention],
                 organisations: Iterable[tuple[int, int]] = ()) -> None:
        self.doc = doc
        lang = doc.lang
        self._lang = lang
        self._datelines = SpanIndex(_datelines(doc, mentions))
        names = doc.phrase_spans(_table("organisations", "names", lang))
        self._organisations = SpanIndex([*organisations, *names])
        self._org_before = _Ends(doc, _capitalised(doc, doc.phrase_spans(
            _table("organisations", "before", lang))))
        self._org_after = SpanIndex(_capitalised(doc, doc.phrase_spans(
            _table("organisations", "after", lang))))
        self._owners = _Ends(doc, doc.phrase_spans(_table("qualifiers", "owners", lang)))
        self._objects = _Ends(doc, doc.phrase_spans(_table("qualifiers", "objects", lang)))
        self._posts = _Ends(doc, doc.phrase_spans(_table("qualifiers", "posts", lang)))
        self._comparisons = _Ends(doc, doc.phrase_spans(_table("comparisons", "phrases", lang)))
        self._sources = _Ends(doc, doc.phrase_spans(_table("sources", "phrases", lang)))
        self._reporting = SpanIndex(doc.phrase_spans(_table("sources", "reporting", lang)))
        self._titles = _Ends(doc, doc.phrase_spans(_table("persons", "titles", lang)))
        self._starts = frozenset(m.start for m in mentions)
        self._outliers = _outliers(mentions)
        self._reasons = {id(m): self._reason(m) for m in mentions}

    def reason(self, mention: Mention) -> str | None:
        """Why ``mention`` is no participant (``dateline``, ``organisation``,
        ``comparison``, ``person``, ``qualifier``, ``reference``: a distance is
        measured from it), or ``None``."""
        found = self._reasons.get(id(mention))
        return found if found is not None or id(mention) in self._reasons else (
            self._reason(mention))

    def hard(self, mention: Mention) -> bool:
        """Whether ``mention`` takes part in no frame at all."""
        return self.reason(mention) in HARD

    def _reason(self, m: Mention) -> str | None:
        if self._datelines.overlaps(m.start, m.end):
            return "dateline"
        if normalize_key(m.surface) in _coreference_terms(self._lang):
            return "common noun"  # "la ville" read as a place: it refers to one
        if m.reason == "offset":
            return None  # the point a distance describes (geo.frames.context.offset_mention)
        if m.place is not None and m.place.id in self._outliers:
            return "outlier"
        if self._in_organisation(m):
            return "organisation"
        if self._person(m):
            return "person"
        if self._comparisons.right_before(m.start, "comparisons"):
            return "comparison"
        if self._qualifier(m):
            return "qualifier"
        if self._distance_reference(m):
            return "reference"
        return None

    def _in_organisation(self, m: Mention) -> bool:
        if m.place is not None and m.place.type == "group":
            return False  # a named group of states is a coalition, not an organisation
        if self._organisations.overlaps(m.start, m.end):
            return True
        after = self._org_after.overlapping(m.end, m.end + 2)
        return bool(self._org_before.right_before(m.start, "organisations")) or bool(after)

    def _qualifier(self, m: Mention) -> bool:
        if self._owners.right_before(m.start, "owners") or self._objects.right_before(
                m.start, "organisations") or self._posts.right_before(
                m.start, "posts") or self._quoted(m):
            return True
        text = self.doc.text
        possessive = _POSSESSIVE.match(text, m.end, m.end + 60)
        if possessive and _owner_words(possessive.group(1).split(), self._lang):
            return True
        if self._lang == "en" and m.kind == "toponym" and _owner_words(
                text[m.end:m.end + 40].split()[:2], self._lang, adjective=False):
            return True  # "the N'Djamena authorities", "the Bamako government"
        made = _MADE_AFTER.match(text, m.end, m.end + 30)
        return bool(made and made.group(1).lower() in _words("qualifiers", "object_after",
                                                             self._lang)
                    and text[m.end:made.start(1)].strip() in ("", "-"))

    def _distance_reference(self, m: Mention) -> bool:
        """Whether a distance over :data:`REFERENCE_KM` is measured from the place:
        "à quelque 700 km à l'est de Tombouctou", "100 miles north of Gao",
        "على بعد 300 كلم شمال غاو" (the words of exclusions.yaml ``distances``)."""
        found = self.offset(m)
        return found is not None and found.km > REFERENCE_KM

    def offset(self, m: Mention) -> Offset | None:
        """The distance (and compass bearing, when given) measured from ``m``: "à 65 km
        au nord-ouest de Tillia" is 65 km at 315°; "à 20 km de Bol" has no bearing."""
        text, lang = self.doc.text, self._lang
        lo = max(0, m.start - _REFERENCE_CHARS)
        between = _words("distances", "between", lang)
        # "800 km, or 500 miles, south of the capital, Tripoli": a comma after a unit of
        # distance or a place noun goes on with the same phrase.
        goes_on = between | _words("distances", "units", lang)
        cut = max((b.end() for b in _PHRASE_BREAK.finditer(text, lo, m.start)
                   if not (b.group() in ",،" and self._last_word(lo, b.start()) in goes_on)),
                  default=lo)
        words = self.doc.words(cut, m.start)
        i = len(words)
        while i and words[i - 1] in between:
            i -= 1
        if i < 2 or words[i - 1] not in _words("distances", "units", lang):
            return None
        unit = words[i - 1]
        j = i - 2
        if j and words[j] in _words("distances", "of", lang):
            j -= 1  # "une centaine de kilomètres", "hundreds of miles"
        km = _number(words[j], lang) * (_MILE_KM if unit in _miles() else 1.0)
        return Offset(km=km, bearing=_bearing(words[i:], lang)) if km else None

    def _last_word(self, start: int, end: int) -> str:
        """The last word of ``text[start:end]``, normalised ("" when there is none)."""
        words = self.doc.words(start, end)
        return words[-1] if words else ""

    def _quoted(self, m: Mention) -> bool:
        """The place of a quoted source: "officials in Niamey said", "selon une source
        à Gao", "قال مصدر في غاو", or a place in the attribution that ends a sentence
        ("..., says the BBC's Will Ross in Abuja.")."""
        if self._attribution(m):
            return True
        if not self._sources.right_before(m.start, "sources"):
            return False
        near = self._reporting.overlapping(m.start - _SOURCE_CHARS, m.end + _SOURCE_CHARS)
        return any(self.doc.words_between(m.end, s) <= _SOURCE_WORDS if s >= m.end
                   else self.doc.words_between(e, m.start) <= _SOURCE_WORDS + 2
                   for s, e in near)

    def _attribution(self, m: Mention) -> bool:
        """Whether ``m`` ends its sentence in an attribution: a reporting verb right after a
        comma or a closing quote, then no clause of its own ("that", "que", "أن") up to the
        sentence's end ('..., says the BBC's Will Ross in Abuja.', '..." the colonel told
        reporters in Niamey.')."""
        start, end = self.doc.sentences[self.doc.sentence_index(m.start)]
        tail = self.doc.text[m.end:end]
        if len(tail.split()) > _TAIL_WORDS:
            return False
        for s, e in self._reporting.overlapping(start, m.start):
            lead = self.doc.text[max(start, s - _LEAD_CHARS):s]
            if (e <= m.start and _ATTRIBUTION_LEAD.search(lead)
                    and self.doc.words_between(e, m.start) <= _ATTRIBUTION_WORDS
                    and not _COMPLEMENTIZER.search(self.doc.text[e:m.start])):
                return True
        return False

    def _person(self, m: Mention) -> bool:
        if m.kind != "toponym":
            return False  # a nationality is never a person's name
        if self._titles.right_before(m.start, None):
            return True
        text = self.doc.text
        following = text[m.end:m.end + 40].split(maxsplit=1)
        if not following:
            return False
        particles = lexicon("exclusions")["persons"]["particles"]
        if following[0] in particles:  # "Kidal Ag ...", "Atar Ould ..."
            return True
        before = text[max(0, m.start - 8):m.start].split()
        if before and text[m.start - 1:m.start].isspace() and before[-1] in particles:
            return True  # "Mohamed Ibn Chambas", "محمد ولد ..."
        return self._latin_surname(m, following[0])

    def _latin_surname(self, m: Mention, word: str) -> bool:
        """A one-word town name right before another capitalised name that is no place
        and no common word of the language ("Kaya Ouédraogo", not "Niamey Agreement")."""
        text = self.doc.text
        word = word.rstrip("'’,;:.")
        if (self._lang == "ar" or " " in m.surface or not m.surface[:1].isupper()
                or m.place is None or m.place.type not in _SETTLEMENTS
                or text[m.end:m.end + 1] != " " or not _CAPITAL.fullmatch(word)
                or word.isupper() or m.end + 1 in self._starts):
            return False
        if word in lexicon("exclusions")["persons"]["not_surnames"] or _common(word, self._lang):
            return False
        if normalize_key(word) in _months_and_days(self._lang):
            return False
        # "in Kaya Town" names a place; only a bare name starts a person's name.
        before = self.doc.words(max(0, m.start - 12), m.start)[-1:]
        return not any(w in _words("connectors", "organisations", self._lang) for w in before)


def _bearing(words: Sequence[str], lang: str) -> float | None:
    """The compass bearing the words give (their directions averaged: "nord ouest" is
    315°), or None when they name no direction."""
    table = _bearing_words(lang)
    angles = [table[w] for w in words if w in table]
    if not angles:
        return None
    x = sum(math.sin(math.radians(a)) for a in angles)
    y = sum(math.cos(math.radians(a)) for a in angles)
    if abs(x) < 1e-9 and abs(y) < 1e-9:
        return None  # "north ... south": no direction
    return round(math.degrees(math.atan2(x, y)) % 360.0, 1)


@lru_cache(maxsize=4)
def _bearing_words(lang: str) -> dict[str, float]:
    table = lexicon("exclusions")["distances"]["bearings"][lang]
    return {normalize_key(k): float(v) for k, v in table.items()}


def _number(word: str, lang: str) -> float:
    """The value of a number in digits or of a number word of exclusions.yaml (0: none)."""
    if word.replace(",", ".").replace(".", "", 1).isdigit():
        return float(word.replace(",", "."))
    return float(_number_words(lang).get(word, 0))


@lru_cache(maxsize=4)
def _number_words(lang: str) -> dict[str, int]:
    table = lexicon("exclusions")["distances"]["numbers"][lang]
    return {normalize_key(k): int(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _miles() -> frozenset[str]:
    return frozenset(normalize_key(w) for w in lexicon("exclusions")["distances"]["miles"])


def _owner_words(words: Sequence[str], lang: str, *, adjective: bool = True) -> bool:
    """Whether an owner noun (or two-word noun) opens ``words`` or, with ``adjective``,
    follows one adjective: "Niger's president", "Mali's weak army", "Nigeria's foreign
    minister"; without, the noun right after an English place: "the Bamako government"."""
    # After a possessive any word of an entry ("Mali's capital"); right after a place only
    # a whole entry: "Yobe state" is the state, not a body of it ("head of state").
    owners = (_words if adjective else _entries)("qualifiers", "owners", lang)
    keys = [normalize_key(" ".join(words[i:i + n]).rstrip(".,;:")) for i in (0, 1)
            for n in (1, 2) if adjective or i == 0]
    return any(k in owners for k in keys)


def _outliers(mentions: Sequence[Mention]) -> frozenset[str]:
    """Ids of town-level places farther than :data:`OUTLIER_KM` from every other place
    the report names, when some of its places lie close together (a theatre to stray
    from). Places are bucketed in a coarse grid so that only neighbouring cells are
    compared: linear in the places."""
    from geo import geometry as geom

    places = {m.place.id: m.place for m in mentions if m.place is not None}
    if len(places) < 2:
        return frozenset()
    cells: dict[tuple[int, int], list[str]] = {}
    for pid, p in places.items():
        cells.setdefault((int(p.lat // _CELL_DEG), int(p.lon // _CELL_DEG)), []).append(pid)
    def isolated(pid: str) -> bool:
        p = places[pid]
        row, col = int(p.lat // _CELL_DEG), int(p.lon // _CELL_DEG)
        near = (q for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                for q in cells.get((row + dr, col + dc), ()) if q != pid)
        here = geom.point(p.lat, p.lon)
        return not any(geom.geodesic_km(here, geom.point(places[q].lat, places[q].lon))
                       <= OUTLIER_KM for q in near)

    alone = {pid for pid in places if isolated(pid)}
    if len(alone) == len(places):  # no two places close together: no theatre to stray from
        return frozenset()
    return frozenset(m.place.id for m in mentions if m.place is not None
                     and m.place.id in alone and m.kind == "toponym"
                     and (m.precision or 6) <= _OUTLIER_PRECISION)


def _capitalised(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches that start with a capital (or are not in a cased script): names."""
    return [(s, e) for s, e in spans
            if not doc.text[s].isalpha() or doc.text[s].isupper() or not doc.text[s].islower()]


@lru_cache(maxsize=4)
def _coreference_terms(lang: str) -> frozenset[str]:
    """The coreference terms of coref.yaml ("the country", "la ville", "المدينة")."""
    table = lexicon("coref")
    return frozenset(normalize_key(t) for kind in ("country", "region", "town")
                     for t in phrases_for(table.get(kind) or {}, lang))


@lru_cache(maxsize=4096)
def _common(word: str, lang: str) -> bool:
    """Whether ``word`` is a common word of ``lang`` (wordfreq, loaded on first use)."""
    from wordfreq import zipf_frequency  # heavy: only when a town precedes a capital

    return zipf_frequency(word, lang) >= _COMMON_ZIPF


@lru_cache(maxsize=4)
def _months_and_days(lang: str) -> frozenset[str]:
    months = lexicon("months")[lang]
    return frozenset(normalize_key(n) for names in months.values() for n in names)


class _Ends:
    """Phrase matches by end, to ask which one ends right before a mention."""

    def __init__(self, doc: Document, spans: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.spans = sorted(spans, key=lambda s: s[1])
        self.ends = [e for _, e in self.spans]

    def right_before(self, offset: int, connectors: str | None) -> bool:
        """Whether a match ends before ``offset`` with at most connector words between.

        ``connectors`` names the list of exclusions.yaml ``connectors`` allowed
        in between (``None``: nothing but white space and punctuation).
        """
        i = bisect_right(self.ends, offset)
        allowed = (_words("connectors", connectors, self.doc.lang) if connectors
                   else frozenset())
        text = self.doc.text
        return any(all(w in allowed for w in self.doc.words(end, offset))
                   and not _BREAK.search(text, end, offset)
                   for _, end in self.spans[max(0, i - 3):i] if offset - end < _GAP_CHARS)


def _datelines(doc: Document, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Spans of the datelines: a line opening with a place, a few words, then a dash."""
    limit = int(lexicon("exclusions")["datelines"]["max_words"])
    starts = [m.start for m in mentions]
    text = doc.text
    out = []
    for line in _line_starts(text):
        i = bisect_left(starts, line)
        if i == len(starts) or starts[i] - line > 2:  # an opening quote at most
            continue
        head = text[line:line + _LINE_HEAD].split("\n", 1)[0]
        dash = _DASH.search(head, mentions[i].end - line)
        if dash and _dateline_head(head[:dash.start()], doc.lang, limit) and (
                not dash.group().strip().startswith("(") or _agency(dash.group())):
            out.append((line, line + dash.end()))
        elif (end := _dated_head(head, mentions[i].end - line, doc.lang, limit)) is not None:
            out.append((line, line + end))
    out += [(m.start, m.end) for m in mentions if _between_bars(text, m)]
    return out


def _dated_head(head: str, after: int, lang: str, limit: int) -> int | None:
    """End of a dateline closed by its date, not a dash: places, then ", July 21" or
    ", 21 juillet" and the first sentence ("BENGHAZI, Libya, July 21 Dozens ...")."""
    months = _months_and_days(lang) | _months_and_days("en")
    for date in _DATE_END.finditer(head, after):
        month = normalize_key(date.group(1) or date.group(2) or "")
        if month in months and _dateline_head(head[:date.start()], lang, limit):
            return date.end()
    return None


def _between_bars(text: str, m: Mention) -> bool:
    """Whether a place stands alone between two bars, as in a byline ("| Ouagadougou |")."""
    return bool(_BARS.search(text, max(0, m.start - 3), m.start)) and (
        text[m.end:m.end + 3].lstrip(" ").startswith("|"))


_HEAD_WORD = re.compile(r"[\w'’./-]+")


def _dateline_head(head: str, lang: str, limit: int) -> bool:
    """Whether the words before a dateline's dash are places, dates and an agency:
    capitalised or numbers or month names ("BAMAKO, Mali (AP)", "Bamako, 29 oct
    2015 (AFP)"); Arabic, which has no capitals, at most ``limit`` words."""
    words = _HEAD_WORD.findall(re.sub(r"\([^()]*\)", " ", head))
    if not words or len(words) > limit or any(c in head for c in ".!?؟"):
        return False
    if lang == "ar":
        return True
    months = _months_and_days(lang) | _months_and_days("en")
    return all(w[:1].isupper() or w[:1].isdigit() or normalize_key(w) in months
               or normalize_key(w.rstrip(".")) in months for w in words)


def _agency(group: str) -> bool:
    """Whether a parenthesis after a dateline's place names an agency ("(AFP)", "(رويترز)")."""
    inside = group.strip().lstrip("(").split(")")[0].split()
    return 0 < len(inside) <= 4 and not inside[0][:1].isdigit() and (
        inside[0][:1].isupper() or not inside[0][:1].isalpha() or not inside[0].isascii())


def _line_starts(text: str) -> Iterable[int]:
    """Offsets of the first non-blank character of every line."""
    for match in re.finditer(r"(?:^|\n)[ \t\"'«“]*(?=\S)", text):
        yield match.end()


__all__ = ["HARD", "NOT_LOCATION", "Exclusions"]
