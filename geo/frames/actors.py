"""Actors of a frame: armed groups, organisations, state forces.

Labels are normalised to English so the map legend reads the same whatever
the language of the source: "جماعات موالية لتنظيم القاعدة" and "groupes liés
à AQMI" become "AQIM-linked groups" (al-Qaeda references take the name of
its regional branch when the document names that branch), "les groupes
armés" becomes "armed groups", "الجنود الجزائريين" / "Algerian troops"
becomes "Algerian troops", "الإدارة الأميركية" / "l'administration américaine"
becomes "US administration". Names and patterns live in
``geo/data/frames/actors.yaml``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from geo.frames.clauses import Document
from geo.frames.phrasehits import PhraseList
from geo.lexicon import lexicon, phrases_for, words_pattern
from geo.normalize import normalize_key
from geo.records import Mention

#: How many words may separate a forces or government noun from its nationality
#: adjective; a country name must stand right next to it ("US administration").
_FORCES_REACH, _NAME_REACH = 2, 0
_REACH_CHARS = 200  # no two-word reach spans more characters than this
_OVERLAP_SCAN = 64  # actors starting at or before another that may still contain it


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """An actor found in the text, with ``rank`` its specificity (higher wins)."""

    label: str
    rank: int
    start: int
    end: int
    side: str = "armed"  # armed | state | official | civilian (see actors.yaml)
    force: bool = False  # an armed force: it deploys and fights but does not meet


@lru_cache(maxsize=4)
def _org_phrases(lang: str) -> tuple[tuple[Mapping[str, Any], tuple[str, ...]], ...]:
    """Return (organisation entry, its names) pairs."""
    return tuple((org, phrases_for(org["names"], lang))
                 for org in lexicon("actors")["organisations"])


#: Entries of actors.yaml whose patterns wrap an organisation name.
_WRAPPERS = ("linked", "loyal")


@lru_cache(maxsize=8)
def _linked_phrases(lang: str, key: str = "linked") -> PhraseList:
    """Return the "<group noun> linked to <organisation>" phrases (or ``key``'s) with
    the pattern of the organisation names their ``{org}`` stands for."""
    orgs = lexicon("actors")["organisations"]
    names = sorted((n for o in orgs for n in phrases_for(o["names"], lang)), key=len, reverse=True)
    # French elision ("liés à l'EIGS") in front of the name; Arabic clitics come with it.
    org = "(?:l'|d')?(?:" + "|".join(words_pattern(n) for n in names) + ")"
    return phrases_for(lexicon("actors")[key]["patterns"], lang), org


@lru_cache(maxsize=4)
def _adjectives() -> tuple[str, ...]:
    """Return the English nationality adjectives (four letters or more)."""
    return tuple(a for a in lexicon("actors")["adjectives"].values() if len(a) >= 4)


def _government_nouns(lang: str) -> Mapping[str, str]:
    """Return the government nouns of ``lang`` (all languages' if unknown) with their
    English."""
    nouns = lexicon("actors")["governments"]["nouns"]
    return nouns.get(lang) or {k: v for table in nouns.values() for k, v in table.items()}


def actor_phrase_lists(lang: str) -> list[PhraseList]:
    """The phrase lists :class:`ActorFinder` reads in a text of ``lang`` (see
    :mod:`geo.frames.phrasehits`)."""
    actors = lexicon("actors")
    lists: list[PhraseList] = [(names, None) for _, names in _org_phrases(lang)]
    lists += [_linked_phrases(lang, key) for key in _WRAPPERS if actors.get(key)]
    lists += [(phrases_for(entry["names"], lang), None) for entry in actors["generic"]]
    lists.append((phrases_for(actors["forces"]["nouns"], lang), None))
    lists += [((noun,), None) for noun in _government_nouns(lang)]
    return [*lists, (_adjectives(), None)] if lang == "en" else lists


def _outermost(found: list[Actor]) -> list[Actor]:
    """The actors not inside another one; only actors starting no later are
    compared (sorted by start), so long texts stay near-linear."""
    by_start = sorted(found, key=lambda a: a.start)
    starts = [a.start for a in by_start]
    kept = []
    for a in found:
        upto = bisect_right(starts, a.start)
        candidates = (b for b in by_start[max(0, upto - _OVERLAP_SCAN):upto] if b.end >= a.end)
        if not any(_inside(a, b) for b in candidates):
            kept.append(a)
    return kept


def find_organisations(doc: Document) -> list[tuple[Mapping[str, Any], int, int]]:
    """Return (organisation, start, end) for every organisation name, by start.

    Specific names come first in ``actors.yaml``: a later name overlapping an
    earlier one's match is no match of its own.
    """
    found: list[tuple[Mapping[str, Any], int, int]] = []
    for org, names in _org_phrases(doc.lang):
        taken = sorted((s, e) for _, s, e in found)
        starts = [s for s, _ in taken]
        found += [(org, s, e) for s, e in doc.phrase_spans(names)
                  if not _overlaps_any(taken, starts, s, e)]
    return sorted(found, key=lambda item: item[1])


def _overlaps_any(spans: Sequence[tuple[int, int]], starts: Sequence[int], s: int,
                  e: int) -> bool:
    """Whether ``[s, e)`` overlaps one of the sorted, disjoint ``spans`` (``starts``
    their starts): only the spans either side of ``s`` can."""
    i = bisect_right(starts, s)
    return any(ts < e and s < te for ts, te in spans[max(0, i - 1):i + 1])


#: Words that may join a generic noun to the named group after it ("fighters of ISGS").
_OF = frozenset({"of", "from", "de", "du", "des", "d'", "l'", "the", "من", "التابعين", "التابعون",
                 "ل"})


def _absorb_generic(doc: Document, actors: list[Actor]) -> list[Actor]:
    """Fold a generic noun into the named group next to it: "Boko Haram fighters",
    "combattants de l'EIGS", "مسلحو بوكو حرام" are the group, not "armed groups"."""
    out: list[Actor] = []
    for a in actors:
        prev = out[-1] if out else None
        if prev is not None and _joined(doc, prev, a):
            keep, generic = (prev, a) if prev.rank > a.rank else (a, prev)
            out[-1] = replace(keep, start=min(keep.start, generic.start),
                              end=max(keep.end, generic.end))
            continue
        out.append(a)
    return out


def _joined(doc: Document, a: Actor, b: Actor) -> bool:
    """Whether a generic armed noun and a named group stand side by side (``a`` first)."""
    if {a.rank, b.rank} != {1, 2} or "armed" not in (a.side, b.side) or a.side != b.side:
        return False
    gap = doc.words(a.end, b.start)
    if a.rank == 1:  # "fighters of the Islamic State"
        return len(gap) <= 2 and all(w in _OF for w in gap)
    return not gap  # "Boko Haram fighters"


def _inside(a: Actor, b: Actor) -> bool:
    """Whether ``a`` lies within a different, more specific or longer actor ``b``."""
    if a is b or not (b.start <= a.start and a.end <= b.end):
        return False
    return b.rank > a.rank or (b.end - b.start) > (a.end - a.start)


class ActorFinder:
    """Finds every actor of a document once; frames then pick the nearest.

    Trade-off: actors are matched by pattern, not parsed; the nearest actor
    to a trigger in its clause is taken, which is right for the short
    clauses of news reporting and wrong for long chains of subordinates.
    """

    def __init__(self, doc: Document, mentions: Sequence[Mention],
                 orgs: list[tuple[Mapping[str, Any], int, int]] | None = None) -> None:
        self.doc = doc
        self.orgs = find_organisations(doc) if orgs is None else orgs
        self._org_starts = [s for _, s, _ in self.orgs]  # orgs are in text order
        self.aliases = self._aliases()
        found = [*self._linked(), *self._named(), *self._generic(), *self._forces(mentions),
                 *self._governments(mentions)]
        actors = sorted(_outermost(found), key=lambda a: (a.start, -a.rank))
        self.actors = _absorb_generic(doc, actors)
        self._starts = [a.start for a in self.actors]

    def orgs_in(self, start: int, end: int) -> list[Mapping[str, Any]]:
        """The organisations named inside ``[start, end)`` (a binary search: the
        binders ask once per trigger)."""
        return [o for o, _, _ in self.named_in(start, end)]

    def named_in(self, start: int, end: int) -> list[tuple[Mapping[str, Any], int, int]]:
        """The organisations named inside ``[start, end)`` with their spans."""
        lo, hi = bisect_left(self._org_starts, start), bisect_left(self._org_starts, end)
        return [(o, os, oe) for o, os, oe in self.orgs[lo:hi] if oe <= end]

    def _aliases(self) -> dict[str, str]:
        """Map an organisation id to the label of its branch named in the document."""
        out: dict[str, str] = {}
        for org, _, _ in self.orgs:
            if org.get("parent"):
                out.setdefault(org["parent"], org["label"])
        return out

    def label_of(self, org: Mapping[str, Any]) -> str:
        """Return the label of ``org`` (its branch's label where one is named)."""
        return self.aliases.get(org["id"], org["label"])

    def _named(self) -> list[Actor]:
        return [Actor(label=self.label_of(o), rank=2, start=s, end=e,
                      side=o.get("side", "armed"), force=o.get("force", False) is True)
                for o, s, e in self.orgs]

    def _linked(self) -> list[Actor]:
        out = []
        for key in _WRAPPERS:
            spec = lexicon("actors").get(key)
            if not spec:
                continue
            starts = [os for _, os, _ in self.orgs]
            for s, e in self.doc.phrase_spans(*_linked_phrases(self.doc.lang, key)):
                near = self.orgs[bisect_left(starts, s):bisect_left(starts, e)]
                inner = [o for o, _, oe in near if oe <= e]
                if inner:
                    label = spec["label"].format(org=self.label_of(inner[-1]))
                    out.append(Actor(label=label, rank=spec["rank"], start=s, end=e,
                                     side=spec.get("side", "armed")))
        return out

    def _generic(self) -> list[Actor]:
        out = []
        for entry in lexicon("actors")["generic"]:
            names = phrases_for(entry["names"], self.doc.lang)
            out += [Actor(label=entry["label"], rank=entry["rank"], start=s, end=e,
                          side=entry.get("side", "armed"), force=entry.get("force") is True)
                    for s, e in self.doc.phrase_spans(names)]
        return out

    def _forces(self, mentions: Sequence[Mention]) -> list[Actor]:
        spec = lexicon("actors")["forces"]
        nouns = phrases_for(spec["nouns"], self.doc.lang)
        found = self._next_to_state(nouns, mentions, demonyms_only=True)
        if self.doc.lang == "en":
            found += self._next_to_adjective(nouns, found)
        return [Actor(label=spec["label"].format(adjective=adjective), rank=spec["rank"],
                      start=s, end=e, side=spec.get("side", "state"),
                      force=spec.get("force") is True)
                for s, e, adjective in found]

    def _next_to_adjective(self, nouns: tuple[str, ...],
                           found: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Forces nouns right after an English adjective of ``actors.yaml`` that the
        geoparser did not tag as a nationality ("2,500 Chadian troops")."""
        table = {normalize_key(a): a for a in lexicon("actors")["adjectives"].values()}
        adjectives = self.doc.phrase_spans(_adjectives())
        ends = [b for _, b in adjectives]
        covered = sorted((fs, fe) for fs, fe, _ in found)  # a noun and its state: short
        starts = [fs for fs, _ in covered]
        out = []
        for s, e in self.doc.phrase_spans(nouns):
            near = covered[bisect_left(starts, s - 2 * _REACH_CHARS):bisect_right(starts, s)]
            if any(e <= fe for _, fe in near):
                continue
            lo = bisect_right(ends, s - _REACH_CHARS)
            before = [(a, b) for a, b in adjectives[lo:bisect_right(ends, s)]
                      if self.doc.words_between(b, s) <= _FORCES_REACH]
            if before:
                a, b = before[-1]
                out.append((a, e, table[normalize_key(self.doc.text[a:b])]))
        return out

    def _governments(self, mentions: Sequence[Mention]) -> list[Actor]:
        spec = lexicon("actors")["governments"]
        out = []
        for noun, english in _government_nouns(self.doc.lang).items():
            out += [Actor(label=spec["label"].format(adjective=adjective, noun=english),
                          rank=spec["rank"], start=s, end=e)
                    for s, e, adjective in self._next_to_state((noun,), mentions)]
        return out

    def _next_to_state(self, nouns: tuple[str, ...], mentions: Sequence[Mention], *,
                       demonyms_only: bool = False) -> list[tuple[int, int, str]]:
        """Return (start, end, English adjective) of a noun next to a state's name.

        A nationality adjective may stand up to ``_FORCES_REACH`` words away
        ("Algerian special forces"), a country name only right next to it.
        """
        states = [m for m in mentions if m.place is not None and m.place.country and (
            m.kind == "demonym" or (not demonyms_only and m.place.type == "country"))]
        out = []
        starts = [m.start for m in states]
        for s, e in self.doc.phrase_spans(nouns):
            # Only mentions a few words away can qualify; looking at those alone
            # keeps long texts linear (words_between is linear in the distance).
            lo = bisect_right(starts, s - _REACH_CHARS)
            hi = bisect_right(starts, e + _REACH_CHARS)
            near = [m for m in states[lo:hi]
                    if (m.start >= e or m.end <= s) and min(
                        self.doc.words_between(e, m.start), self.doc.words_between(m.end, s))
                    <= (_FORCES_REACH if m.kind == "demonym" else _NAME_REACH)]
            if near:
                country = near[0].place
                assert country is not None
                adjective = lexicon("actors")["adjectives"].get(country.country, country.name)
                out.append((min(s, near[0].start), max(e, near[0].end), adjective))
        return out

    def within(self, start: int, end: int) -> list[Actor]:
        """The actors inside ``[start, end)``, in text order."""
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [a for a in self.actors[lo:hi] if a.end <= end]

    def nearest(self, start: int, end: int, anchor: int,
                sides: Sequence[str] | None = None, *, forces: bool = True) -> Actor | None:
        """Return the actor within ``[start, end)`` nearest to ``anchor``.

        Among actors overlapping each other the most specific one is kept;
        ``sides`` restricts the actors considered (``None``: all); ``forces``
        false leaves armed forces out (they do not meet).
        """
        # Actors are sorted by start: only those starting within the span are looked at.
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        inside = [a for a in self.actors[lo:hi] if a.end <= end
                  and (sides is None or a.side in sides) and (forces or not a.force)]
        if not inside:
            return None
        return min(inside, key=lambda a: (self._distance(a, anchor), -a.rank))

    @staticmethod
    def _distance(actor: Actor, anchor: int) -> int:
        """Character distance from ``anchor`` to the actor's span (0 inside)."""
        if actor.start <= anchor < actor.end:
            return 0
        return min(abs(actor.start - anchor), abs(actor.end - anchor))
