"""Simple coreference for frames: "the country", "the region", "the triangle".

Terms live in ``geo/data/frames/coref.yaml``. "البلاد" / "le pays" / "the
country" is the country the sentence (or the sentence before) is about: the
last country-level mention, toponym or nationality. "الإقليم" / "la région"
is the last region named. "العاصمة" / "la capitale" / "the capital" is the capital city
of the country named or qualified next to it ("la capitale malienne"), else of the
country the sentence is about. "المثلث" / "the triangle" is the last border
triangle: a triangle term followed in its clause by three states defines a
new one (a tripoint place with those ``members``); alone it refers back.

Trade-off: recency only, no syntax. It is right for the news pattern
"X ... the country" and wrong when two countries alternate in one sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from geo.frames.clauses import Document, SpanIndex
from geo.frames.phrasehits import PhraseList
from geo.gazetteer.sources import capital_names
from geo.lexicon import lexicon, phrases_for
from geo.normalize import normalize_key
from geo.placegeometry import PlaceSource
from geo.records import PRECISION_EXACT, PRECISION_REGION, Mention, Place

_REGION_TYPES = frozenset({"region", "admin1", "border_area"})
_COREF_CONFIDENCE = 0.6
_TOWN, _COUNTRY = 3, 6  # precisions: a town (or finer), a country
_TOWN_SENTENCES = 2  # "the town" refers to a town named in its sentence or the two before
_APPOSITION, _APPOSITION_CHARS = 2, 40  # "the town of Gao": a name follows the term
_NAMED_CONFIDENCE = 0.7  # a triangle term that is an area's name the geoparser left


class _Sorted:
    """Mentions in text order with their starts, for binary searches by offset.

    Every lookup looks at the few mentions near an offset, never at all of
    them, so coreference stays linear in the length of the text.
    """

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self.items = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.items]
        self.longest = max((m.end - m.start for m in self.items), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a mention overlaps ``[start, end)``."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return any(start < m.end for m in self.items[lo:hi])

    def last_before(self, offset: int, floor: int = 0) -> Mention | None:
        """The last mention starting in ``[floor, offset)``."""
        i = bisect_left(self.starts, offset)
        return self.items[i - 1] if i and self.starts[i - 1] >= floor else None

    def between(self, start: int, end: int) -> list[Mention]:
        """Mentions starting in ``[start, end)``."""
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def _terms(kind: str, lang: str) -> tuple[str, ...]:
    """The coreference terms of ``kind`` (``country``, ``triangle``...) in ``lang``."""
    return phrases_for(lexicon("coref").get(kind) or {}, lang)


def coref_phrase_lists(lang: str) -> list[PhraseList]:
    """The phrase lists coreference reads in a text of ``lang`` (see
    :mod:`geo.frames.phrasehits`)."""
    kinds = ("country", "region", "town", "triangle", "neighbours", "capital",
             "capital_qualifiers")
    return [(_terms(kind, lang), None) for kind in kinds]


def _named_after(doc: Document, named: _Sorted, end: int) -> bool:
    """Whether a place is named at most two words after ``end`` (an apposition)."""
    return any(doc.words_between(end, m.start) <= _APPOSITION
               for m in named.between(end, end + _APPOSITION_CHARS))


def _before(found: _Sorted, offset: int, doc: Document, sentences: int) -> Mention | None:
    """The last of ``found`` before ``offset`` in its sentence or the ``sentences`` before."""
    i = doc.sentence_index(offset)
    return found.last_before(offset, floor=doc.sentences[max(0, i - sentences)][0])


def _sentence_of(doc: Document, offset: int) -> tuple[int, int]:
    """The sentence holding ``offset`` (the first one when none does)."""
    sentence = doc.sentences[doc.sentence_index(offset)]
    return sentence if sentence[0] <= offset < sentence[1] else doc.sentences[0]


def _leaders(named: _Sorted) -> list[Mention | None]:
    """For each mention, the country the report is about up to it: of the countries named
    so far, the one with the most places named in it (itself, its towns and regions, its
    nationality), the latest named on a tie. Computed once, read by binary search."""
    votes: Counter[str] = Counter()
    latest: dict[str, Mention] = {}  # code -> its last mention as a country
    out: list[Mention | None] = []
    for m in named.items:
        code = m.place.country if m.place is not None else None
        if code:
            votes[code] += 1
            if m.place is not None and m.place.type == "country":
                latest[code] = m
        out.append(max(latest.items(), key=lambda kv: (votes[kv[0]], kv[1].start))[1]
                   if latest else None)
    return out


def _country_before(named: _Sorted, countries: _Sorted, leaders: list[Mention | None],
                    offset: int, doc: Document) -> Mention | None:
    """Return the country "the country" means at ``offset``: when a country is named in
    this or the previous sentence, the one the report is about so far (the report's
    country: "Mali's junta turned to Russia. Wagner troops were deployed to the country"
    is Mali), the last named on a tie."""
    i = doc.sentence_index(offset)
    if not countries.between(doc.sentences[max(0, i - 1)][0], offset):
        return None  # no country in sight: "the country" is too far from any to guess
    return leaders[bisect_left(named.starts, offset) - 1]


def coreference_mentions(doc: Document, mentions: Sequence[Mention],
                         gazetteer: PlaceSource) -> tuple[Mention, ...]:
    """Return mentions for "the country", "the region" and "the town" terms the geoparser
    left ("the town" is the last town named in its sentence or the two before, unless a
    name follows it: "the town of Gao").

    Parameters
    ----------
    doc : Document
        The prepared text.
    mentions : sequence of Mention
        Resolved mentions, in text order.

    Returns
    -------
    tuple of Mention
        One mention per coreferring term, its place the antecedent's, with a
        lower confidence; terms overlapping an existing mention are skipped.
    """
    out: list[Mention] = []
    named = _Sorted(mentions)
    countries = _Sorted(m for m in mentions if m.place is not None and m.place.type == "country")
    leaders = _leaders(named)
    regions = _Sorted(m for m in mentions if m.place is not None
                      and m.place.type in _REGION_TYPES)
    towns = _Sorted(m for m in mentions if m.place is not None and m.kind == "toponym"
                    and (m.precision or _COUNTRY) <= _TOWN)
    for kind in ("country", "region", "town"):
        for s, e in doc.phrase_spans(_terms(kind, doc.lang)):
            if named.overlaps(s, e) or (kind == "town" and _named_after(doc, named, e)):
                continue  # "the town of Gao", "مدينة غاو": a name, not a reference
            sentence = _sentence_of(doc, s)
            antecedent = (_country_before(named, countries, leaders, s, doc) if kind == "country"
                          else regions.last_before(s) if kind == "region"
                          else _before(towns, s, doc, _TOWN_SENTENCES))
            if antecedent is not None:
                out.append(Mention(start=s, end=e, surface=doc.text[s:e], kind="toponym",
                                   place=antecedent.place, precision=antecedent.precision,
                                   confidence=_COREF_CONFIDENCE * antecedent.confidence,
                                   sentence=sentence, reason="coreference"))
    out += _capitals(doc, named, countries, leaders, gazetteer)
    return (*out, *_named_areas(doc, [*mentions, *out], gazetteer))


def _capitals(doc: Document, named: _Sorted, countries: _Sorted,
              leaders: list[Mention | None],
              gazetteer: PlaceSource) -> list[Mention]:
    """Mentions for capital terms: the capital city of the country named or qualified next
    to the term ("Mali's capital", "la capitale malienne", "عاصمة مالي"), else, for "the
    capital", of the country the sentence is about. A name after the term ("the capital,
    Niamey") or a place that is no country ("the capital of Borno") is left to the
    geoparser, and a qualified term ("the regional capital") names no state's capital."""
    qualifiers = SpanIndex(doc.phrase_spans(_terms("capital_qualifiers", doc.lang)))
    capitals: dict[str, Place | None] = {}
    out: list[Mention] = []
    for s, e in doc.phrase_spans(_terms("capital", doc.lang)):
        if named.overlaps(s, e) or any(
                doc.words_between(qe, s) == 0 if qe <= s else doc.words_between(e, qs) == 0
                for qs, qe in qualifiers.overlapping(s - _APPOSITION_CHARS,
                                                     e + _APPOSITION_CHARS)):
            continue
        country, end = _capital_country(doc, named, s, e, gazetteer)
        if country is None and end == e and _definite(doc, s):
            about = _country_before(named, countries, leaders, s, doc)
            country = about.place if about is not None else None
        if country is None or _named_after(doc, named, end):
            continue
        code = country.country or ""
        if code not in capitals:  # one look-up per country, however often it is named
            capitals[code] = _capital_place(gazetteer, code)
        place = capitals[code]
        if place is not None:
            out.append(Mention(start=s, end=e, surface=doc.text[s:e], kind="toponym",
                               place=place, precision=PRECISION_EXACT,
                               confidence=_COREF_CONFIDENCE, sentence=_sentence_of(doc, s),
                               reason="coreference"))
    return out


def _capital_country(doc: Document, named: _Sorted, s: int, e: int,
                     gazetteer: PlaceSource) -> tuple[Place | None, int]:
    """The country that qualifies a capital term at ``[s, e)``, and where the phrase
    ends: named right after it ("capital of Mali", "عاصمة مالي"), its adjective right
    after it ("capitale malienne", "العاصمة المالية", which the geoparser doubts alone),
    or, in English, right before it ("Mali's capital", "the Malian capital"). A place
    after it that is no country ends the phrase with no country: "the capital Niamey"."""
    after = next(iter(named.between(e, e + _APPOSITION_CHARS)), None)
    if after is not None and doc.words_between(e, after.start) <= 1:
        is_country = after.place is not None and after.place.type == "country"
        return (after.place if is_country else None), after.end
    word = doc.text[e:e + _APPOSITION_CHARS].split()[:1]
    adjective = _demonym_country(gazetteer, word[0]) if word else None
    if adjective is not None:
        return adjective, e + doc.text[e:].index(word[0]) + len(word[0])
    before = named.last_before(s, floor=max(0, s - _APPOSITION_CHARS))
    if (doc.lang == "en" and before is not None and before.place is not None
            and before.place.type == "country" and doc.words_between(before.end, s) <= 1):
        return before.place, e
    return None, e


def _demonym_country(gazetteer: PlaceSource, word: str) -> Place | None:
    """The country whose nationality adjective ``word`` is, if it is one."""
    key = normalize_key(word.strip(".,;:!?()«»\"'"))
    keys = (key, key[2:]) if key.startswith("ال") else (key,)  # names are kept bare
    codes = {gazetteer.place(n.place_id).country for k in keys for n in gazetteer.lookup(k)
             if n.kind == "demonym" and n.place_id}
    return gazetteer.country(codes.pop() or "") if len(codes) == 1 else None


def _definite(doc: Document, s: int) -> bool:
    """Whether the capital term at ``s`` is definite: "the capital", "la capitale",
    "العاصمة" (the Arabic article is inside the term, behind any proclitic)."""
    if doc.lang == "ar":
        return "ال" in doc.text[s:s + 4]
    before = doc.text[max(0, s - 5):s].split()
    return bool(before) and before[-1].lower() in {"the", "la"}


def _capital_place(gazetteer: PlaceSource, iso2: str) -> Place | None:
    """The most populous town of ``iso2`` under its capital's name, if the gazetteer has it."""
    name = capital_names().get(iso2)
    if not name:
        return None
    ids = dict.fromkeys(n.place_id for n in gazetteer.lookup(normalize_key(name))
                        if n.kind == "toponym")
    towns = [p for p in map(gazetteer.place, ids) if p.country == iso2
             and p.type not in {"country", "admin1", "region", "group"}]
    return max(towns, key=lambda p: p.population or 0, default=None)


def _named_areas(doc: Document, mentions: Sequence[Mention],
                 gazetteer: PlaceSource) -> list[Mention]:
    """Triangle terms that are themselves gazetteer names of an area ("zone des trois
    frontières" is the curated three-borders area) when the geoparser left them.

    Only the first triangle term of the text, and only when no states follow it in
    its clause: "المثلث الحدودي بين الجزائر ومالي وموريتانيا" is defined by its
    states and later terms refer back (see :func:`triangles`)."""
    out: list[Mention] = []
    for s, e in doc.phrase_spans(_terms("triangle", doc.lang))[:1]:  # later ones refer back
        clause = doc.clause_at(s)
        states = {m.place.country for m in mentions if m.place is not None and m.place.country
                  and m.place.type == "country" and e <= m.start < clause.end}
        # A term defined by the states after it is no area's name.
        if len(states) >= 2 or _Sorted(mentions).overlaps(s, e):
            continue
        ids = [n.place_id for n in gazetteer.lookup(normalize_key(doc.text[s:e]))
               if n.kind == "toponym"]
        places = [p for p in (gazetteer.place(i) for i in dict.fromkeys(ids))
                  if p.type in _REGION_TYPES]
        if len(places) == 1:  # an ambiguous name stays a plain coreference term
            sentence = _sentence_of(doc, s)
            out.append(Mention(start=s, end=e, surface=doc.text[s:e], kind="toponym",
                               place=places[0], precision=PRECISION_REGION,
                               confidence=_NAMED_CONFIDENCE, sentence=sentence,
                               reason="coreference"))
    return out


def triangles(doc: Document, mentions: Sequence[Mention]) -> list[tuple[int, Place]]:
    """Return ``(offset, place)`` for every border-triangle term, in text order.

    A border-area place named with the term (the gazetteer's own outline) is
    taken first; else three or more states named after the term in its
    clause make a tripoint place; else the term refers to the previous one.
    """
    out: list[tuple[int, Place]] = []
    index = _Sorted(mentions)
    for s, _ in doc.phrase_spans(_terms("triangle", doc.lang)):
        clause = doc.clause_at(s)
        near = [m.place for m in index.between(s - index.longest, clause.end)
                if m.place is not None and m.end > s]
        codes = tuple(dict.fromkeys(p.country for p in near if p.country and p.type != "group"))
        area = next((p for p in near if p.type == "border_area"), None)
        if area is not None:
            out.append((s, area if area.members or len(codes) < 3 else replace(
                area, members=codes[:3])))
        elif len(codes) >= 3:
            out.append((s, tripoint_place(codes[:3], near)))
        elif out:
            out.append((s, out[-1][1]))
    return out


def tripoint_place(codes: Sequence[str], places: Sequence[Place]) -> Place:
    """Return a synthetic place for the border triangle of three states (ISO codes).

    ``places`` are the places named with it, for names and a rough centre.
    """
    named = {p.country: p for p in places if p.country in codes}
    names = [named[c].name if c in named and named[c].type == "country" else c for c in codes]
    lat = sum(named[c].lat for c in codes if c in named) / max(1, len(named))
    lon = sum(named[c].lon for c in codes if c in named) / max(1, len(named))
    return Place(id="tripoint:" + "-".join(sorted(codes)),
                 name="–".join(names) + " border triangle", names={}, type="tripoint",
                 lat=lat, lon=lon, members=tuple(codes), source="kharita:coreference")


def neighbours_in(doc: Document, start: int, end: int) -> bool:
    """Whether "the neighbouring states" (or the like) is said within the span."""
    return bool(doc.phrase_spans(_terms("neighbours", doc.lang), start=start, end=end))


__all__ = ["PRECISION_REGION", "coreference_mentions", "neighbours_in", "triangles",
           "tripoint_place"]
