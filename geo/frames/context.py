"""What frame binders know about one document, and how they pick places.

One :class:`FrameContext` per document holds the prepared text, the mentions
(datelines, names of organisations and the like left out, coreference added),
actors, border triangles, dates and status cues, and finds the trigger
:class:`Hit` of every frame. The helpers below pick the places of a hit by
its frame's ``places`` setting and assemble a :class:`~geo.frames.Frame`
with the fields all frames share (actor, status, date, evidence).
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from geopy.distance import geodesic

from geo.distance import km_between
from geo.frames.actors import Actor, ActorFinder, actor_phrase_lists, find_organisations
from geo.frames.clauses import Clause, Document, SpanIndex
from geo.frames.coref import coref_phrase_lists, coreference_mentions, triangles
from geo.frames.exclusions import NOT_LOCATION, Exclusions, exclusion_phrase_lists
from geo.frames.phrasehits import PhraseList, phrase_scan
from geo.frames.quantities import find_dates
from geo.frames.status import HEDGE_FACTOR, HEDGES, StatusCues, status_phrase_lists
from geo.lexicon import FrameSpec, frame_specs, lexicon, phrases_for
from geo.normalize import normalize_key
from geo.placegeometry import PlaceSource
from geo.records import (
    PRECISION_ADMIN2,
    PRECISION_COUNTRY,
    Frame,
    GeoparseResult,
    Mention,
    Participant,
    Place,
    SkippedFrame,
    Span,
)

#: Words allowed between a trigger and its first place, and between listed places.
FIRST_GAP, _LIST_GAP = 15, 3
POINT_PRECISION = 3  # places at least this precise are points (towns, sites, second-level)
_INFERRED = 0.8  # confidence factor for places not named in the clause itself
_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
#: Farthest distance from a named place at which a text describes an unnamed one.
OFFSET_MAX_KM = 150.0
#: Words that name a camp right before or after its name.
_CAMP_BEFORE = {
    "fr": re.compile(r"\bcamps?\s+(?:de\s+réfugiés\s+)?(?:de|du|d['’])\s*$", re.IGNORECASE),
    "en": re.compile(r"\bcamps?\s+(?:of|at)\s+$", re.IGNORECASE),
    "ar": re.compile(r"مخيم(?:ات)?\s+(?:اللاجئين\s+)?(?:في\s+)?$"),
}
_CAMP_AFTER = {"en": re.compile(r"\s+(?:refugee\s+|displacement\s+|IDP\s+)?camps?\b",
                                re.IGNORECASE)}
#: A town then a distance from another place ("Kaya, à 5 km de Bol"): the words the
#: distance phrase may take, and how far beyond its figure the town may still lie.
_PLACED_WORDS, _PLACED_SLACK, _PLACED_KM = 10, 1.5, 50.0
_TOWN_TYPES = frozenset({"city", "town", "village"})
_SUBJECT_REACH = 4  # words between a subject and its verb ("civils ont fui vers")
_VERB_SUBJECT = 3  # words between an Arabic verb and its subject after it
_BLOCK_GAP = 2  # words between a ``blocked_by`` phrase and the trigger it cancels
_BLOCK_CHARS = 40  # no two words span more characters than this
_SENSE_REACH, _SENSE_CHARS = 4, 80  # a companion word of an ambiguous trigger: words, chars
_CUE_REACH, _CUE_CHARS = 2, 40  # a role cue before its place: words, characters
_OFFSET_REACH, _OFFSET_CHARS = 9, 90  # ...before a distance phrase ("à 65 km au nord-ouest de")
_RELATIVE_REACH = 8  # words from "où"/"where"/"حيث" to a trigger of its relative clause
_HIT_GAP = 8  # words between two triggers of one frame type that state two events
_BEFORE_REACH = 8  # words between a place and the trigger after it ("Gao was attacked")
_WEAK_BEFORE = 4  # words between a cued place and a bare noun after it ("à Ménaka, les combats")
#: Frames whose bare nouns ("fighting", "les combats") may follow the place they happen at;
#: a general word of risk ("en proie aux violences") after a place states no threat to it.
_VIOLENCE = frozenset({"attack", "strike"})
_CONJUNCTIONS = frozenset({"and", "or", "et", "ou", "و", "او"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """A trigger occurrence: the frame it fires, its span and clause.

    ``weak`` marks a trigger of the frame's ``weak`` list (a bare noun such as
    "troops"): it binds only places a role cue introduces.
    """

    spec: FrameSpec
    span: Span
    clause: Clause
    weak: bool = False


def _multiword(connectors: Sequence[str]) -> tuple[str, ...]:
    """The connectors of more than one word ("كل من": each of)."""
    return tuple(p for p in connectors if " " in p.strip())


@lru_cache(maxsize=4)
def frame_phrase_lists(lang: str) -> tuple[PhraseList, ...]:
    """Every phrase list the frame stage reads in a text of ``lang``: triggers and their
    cues, role cues and the words binders look for near a trigger, terrain, connectors,
    actors, coreference terms, exclusion and status cues. :class:`FrameContext` finds them
    all in one pass (:mod:`geo.frames.phrasehits`)."""
    lists = [*actor_phrase_lists(lang), *coref_phrase_lists(lang),
             *exclusion_phrase_lists(lang), *status_phrase_lists(lang)]
    lists += [(phrases_for(entry["phrases"], lang), None)
              for entry in lexicon("terrain").values()]
    lists.append((_multiword(phrases_for(lexicon("coref")["connectors"], lang)), None))
    lists.append((phrases_for(lexicon("coref")["relatives"], lang), None))
    for spec in frame_specs():
        tables = (spec.triggers, spec.weak, spec.references, spec.excluded_by, spec.blocked_by,
                  spec.blocked_after, spec.senses.get("triggers", {}), spec.senses.get("with", {}),
                  *spec.roles.values(), spec.visits, spec.hosts, spec.toll, spec.strength,
                  spec.needs_subject, spec.weak_excluded_by, spec.formation,
                  spec.composition)
        lists += [(phrases_for(table, lang), None) for table in tables if table]
    return tuple(dict.fromkeys(lists))


class FrameContext:
    """Everything binders need about one document, computed once."""

    def __init__(self, result: GeoparseResult, published: datetime.date | None,
                 gazetteer: PlaceSource) -> None:
        self.doc = Document(result, phrase_scan(frame_phrase_lists(result.lang)))
        self.gazetteer = gazetteer
        terrain = SpanIndex(self._terrain_spans())
        # A nationality adjective inside a terrain phrase ("المناطق الصحراوية") is no state.
        resolved = sorted((m for m in result.resolved if not (
            m.kind == "demonym" and terrain.overlaps(m.start, m.end))), key=lambda m: m.start)
        orgs = find_organisations(self.doc)
        self.exclusions = Exclusions(self.doc, resolved, [(s, e) for _, s, e in orgs])
        # Datelines, names of organisations, persons, comparisons: in no frame at all.
        resolved = [m for m in resolved if not self.exclusions.hard(m)]
        resolved = [self._offset(m) for m in self._within_their_distance(resolved)]
        # A place a long distance is measured from is no antecedent of "the town".
        antecedents = [m for m in resolved if self.exclusions.reason(m) != "reference"]
        self.mentions = sorted([*resolved, *coreference_mentions(self.doc, antecedents,
                                                                 gazetteer)],
                               key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self.actors = ActorFinder(self.doc, self.mentions, orgs)
        self.triangles = triangles(self.doc, self.mentions)
        self._triangle_starts = [offset for offset, _ in self.triangles]
        self.dates = find_dates(self.doc.text, self.doc.lang, reference=published)
        self._date_starts = [d.start for d in self.dates]
        self.cues = StatusCues(self.doc, self.dates, published)
        connectors = phrases_for(lexicon("coref")["connectors"], self.doc.lang)
        self.connectors = frozenset(w for p in connectors for w in normalize_key(p).split())
        # Multi-word connectors ("كل من": each of) hold words that are role cues elsewhere.
        self.connector_spans = SpanIndex(self.doc.phrase_spans(
            _multiword(connectors))) if connectors else SpanIndex(())
        # Triggers dropped next to a kept one of their frame ("were killed ... in an attack
        # on a village in Yobe"), by the kept one's (frame, start): tried when it binds nothing.
        self.alternates: dict[tuple[str, int], list[Hit]] = {}
        self._hits: list[Hit] | None = None
        self._countries: tuple[str, ...] | None = None
        self._camps: frozenset[str] | None = None

    def _within_their_distance(self, resolved: list[Mention]) -> list[Mention]:
        """Drop a town placed by a distance from another place ("Kaya, à 5 kilomètres de
        Bol", "سومبي، على بعد 100 كلم من تمبكتو") whose reading lies much farther from it:
        that reading is another town of the same name (Kaya in Burkina Faso, Sumbe in
        Angola), and the distance phrase still places the event."""
        kept: list[Mention] = []
        for i, m in enumerate(resolved):
            base = resolved[i + 1] if i + 1 < len(resolved) else None
            found = self.exclusions.offset(base) if base is not None else None
            if (found is not None and base is not None and base.place is not None
                    and m.place is not None and m.place.type in _TOWN_TYPES
                    and self.doc.words_between(m.end, base.start) <= _PLACED_WORDS
                    and km_between(m.place.lat, m.place.lon, base.place.lat, base.place.lon)
                    > found.km * _PLACED_SLACK + _PLACED_KM):
                continue
            kept.append(m)
        return kept

    def _offset(self, m: Mention) -> Mention:
        """A place a distance is measured from in a given direction stands for the point
        it describes ("à 65 km au nord-ouest de Tillia": 65 km at 315° from Tillia),
        which frames may bind. Without a direction, or farther than
        :data:`OFFSET_MAX_KM` (a town placed on the map for the reader: "Ménaka, à 700
        km à l'est de Tombouctou"), it stays a reference."""
        if m.place is None or self.exclusions.reason(m) != "reference":
            return m
        found = self.exclusions.offset(m)
        if found is None or found.bearing is None or found.km > OFFSET_MAX_KM:
            return m
        return offset_mention(m, m.place, found.km, found.bearing)

    def camps(self) -> frozenset[str]:
        """Ids of the places the report names as camps ("le camp de Mbera", "the Mbera
        camp", "مخيم امبرة"): where displaced people are, never where they come from.
        Computed once per document from the words around each mention."""
        if self._camps is None:
            before, after = _CAMP_BEFORE.get(self.doc.lang), _CAMP_AFTER.get(self.doc.lang)
            text = self.doc.text
            self._camps = frozenset(
                m.place.id for m in self.mentions if m.place is not None and (
                    (before is not None and before.search(text, max(0, m.start - 30), m.start))
                    or (after is not None and after.match(text, m.end))))
        return self._camps

    def countries_named(self) -> tuple[str, ...]:
        """ISO codes of the countries the report names (by name or nationality), in the
        order it first names them; computed once per document."""
        if self._countries is None:
            self._countries = tuple(dict.fromkeys(
                m.place.country for m in self.mentions if m.place is not None
                and m.place.type == "country" and m.place.country))
        return self._countries

    def _terrain_spans(self) -> list[tuple[int, int]]:
        return [span for entry in lexicon("terrain").values()
                for span in self.doc.phrase_spans(phrases_for(entry["phrases"], self.doc.lang))]

    def scope(self, spec: FrameSpec, clause: Clause) -> tuple[int, int]:
        """Return the span where ``spec`` binds participants."""
        if spec.scope == "sentence":
            return self.doc.sentences[clause.sentence]
        return clause.start, clause.end

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)`` (mentions are in text order: bisect)."""
        starts = self._mention_starts
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def locations_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)`` that can be where something happens: not
        a place that only qualifies a person, a body or an object ("the president
        of Niger", "French-made"), nor one a long distance is measured from."""
        return [m for m in self.mentions_in(start, end)
                if self.exclusions.reason(m) not in NOT_LOCATION]

    def hits(self) -> list[Hit]:
        """Return the first trigger of each frame type per clause (per sentence if scoped so),
        a strong one rather than a ``weak`` one.

        A frame that ``yields_to`` another one has no trigger in a clause where
        that one has ("killed in a drone strike" is a strike, not an attack); its
        ``excluded_by`` phrases anywhere in the clause cancel it, and its
        ``weak_excluded_by`` ones its weak triggers ("13 soldiers were killed"). A trigger inside
        the name of an organisation is part of the name. Computed once: a binder may
        ask which triggers stand near its own.
        """
        if self._hits is None:
            self._hits = self._find_hits()
        return self._hits

    def _find_hits(self) -> list[Hit]:
        """The hits of :meth:`hits`, found afresh."""
        found: dict[tuple[str, int], list[Hit]] = {}
        names = SpanIndex((o[1], o[2]) for o in self.actors.orgs)
        forces = {(s, e) for org, s, e in self.actors.orgs if org.get("members")}
        for spec in frame_specs():
            weak = set(self._phrase_spans(spec.weak))
            references = SpanIndex(self._phrase_spans(spec.references))
            excluded = SpanIndex(self._phrase_spans(spec.excluded_by))
            weak_excluded = SpanIndex(self._phrase_spans(spec.weak_excluded_by))
            for s, e in self._trigger_spans(spec):
                clause = self.doc.clause_at(s)
                if excluded.overlaps(clause.start, clause.end) or (
                        names.overlaps(s, e) and (s, e) not in forces) or (
                        (s, e) in weak and weak_excluded.overlaps(clause.start, clause.end)):
                    continue  # "Groupe salafiste pour la prédication et le combat" is a name
                unit = clause.sentence if spec.scope == "sentence" else clause.start
                hit = Hit(spec=spec, span=self.doc.span(s, e), clause=clause,
                          weak=(s, e) in weak or self._referring(references, s))
                self._keep(found.setdefault((spec.frame, unit), []), hit)
        hits = [h for unit in found.values() for h in unit]
        fired = {(h.spec.frame, h.clause.start) for h in hits}
        kept = [h for h in hits
                if not any((other, h.clause.start) in fired for other in h.spec.yields_to)]
        return sorted(kept, key=lambda h: h.span.start)

    def _keep(self, unit: list[Hit], hit: Hit) -> None:
        """Add ``hit`` to the hits of its frame in its clause: a strong trigger replaces a
        weak one next to it; a trigger far from the last one states another event
        ("the battle for Tripoli ... fighting broke out in Murzuq") in a clause-scoped
        frame; one near it restates the same event and is kept as an alternate."""
        last = unit[-1] if unit else None
        if last is None:
            unit.append(hit)
        elif self.doc.words_between(last.span.end, hit.span.start) < _HIT_GAP or (
                hit.spec.scope == "sentence"):
            if last.weak and not hit.weak:
                unit[-1] = hit
            else:
                self.alternates.setdefault((hit.spec.frame, last.span.start), []).append(hit)
        else:
            unit.append(hit)

    def _referring(self, references: SpanIndex, s: int) -> bool:
        """Whether a ``references`` phrase ends at most two words before ``s`` ("after
        the attack": an attack told elsewhere)."""
        return any(e <= s and self.doc.words_between(e, s) <= _CUE_REACH
                   for _, e in references.overlapping(s - _CUE_CHARS, s))

    def _phrase_spans(self, table: Mapping[str, tuple[str, ...]]) -> list[tuple[int, int]]:
        """Matches of a ``{lang: [phrases]}`` table in the whole text."""
        phrases = phrases_for(table, self.doc.lang) if table else ()
        return self.doc.phrase_spans(phrases) if phrases else []

    def _trigger_spans(self, spec: FrameSpec) -> list[tuple[int, int]]:
        """Trigger matches of ``spec`` less those its ``blocked_by`` phrases cancel (up
        to two words before: "across their common borders"), its ``blocked_after``
        phrases (right after: "raid aérien"), and ``senses`` triggers without a
        companion word within four words ("نشرت الصحيفة تقريرا" publishes, "نشرت قوات"
        deploys)."""
        spans = self.doc.phrase_spans(phrases_for(spec.triggers, self.doc.lang))
        if spec.frame == "coalition":  # a named group of states is a coalition by itself
            spans += [(m.start, m.end) for m in self.mentions if m.place is not None
                      and m.place.type == "group" and m.place.id not in spec.plain_groups]
            spans += [(s, e) for org, s, e in self.actors.orgs if org.get("members")]
        before, after = (SpanIndex(self._phrase_spans(t))
                         for t in (spec.blocked_by, spec.blocked_after))
        ambiguous = set(self._phrase_spans(spec.senses.get("triggers", {})))
        companions = SpanIndex(self._phrase_spans(spec.senses.get("with", {})))
        return [(s, e) for s, e in sorted(spans) if not any(
            be <= s and self.doc.words_between(be, s) <= _BLOCK_GAP
            for _, be in before.overlapping(s - _BLOCK_CHARS, s)) and not any(
            bs >= e and self.doc.words_between(e, bs) <= 1
            for bs, _ in after.overlapping(e, e + _BLOCK_CHARS))
            and ((s, e) not in ambiguous or self._companion(companions, s, e))]

    def _companion(self, companions: SpanIndex, s: int, e: int) -> bool:
        """Whether a companion word stands within four words of ``[s, e)``."""
        return any((ce <= s and self.doc.words_between(ce, s) <= _SENSE_REACH)
                   or (cs >= e and self.doc.words_between(e, cs) <= _SENSE_REACH)
                   for cs, ce in companions.overlapping(s - _SENSE_CHARS, e + _SENSE_CHARS))

    def status(self, spec: FrameSpec, trigger: Span) -> str:
        """Return the status cued for the trigger (hedges first), else the frame's default."""
        return self.cues.status(trigger, spec.status, spec.statuses, spec.hedges)

    def date(self, trigger: Span) -> str | None:
        """Return the explicit date nearest the trigger: in its clause, else its sentence.

        "On 12 March 2012, armed groups seized Kidal" dates the control frame
        even though the Arabic comma puts the date in a clause of its own.
        """
        clause = self.doc.clause_at(trigger.start)
        for start, end in ((clause.start, clause.end), self.doc.sentences[clause.sentence]):
            lo, hi = bisect_left(self._date_starts, start), bisect_left(self._date_starts, end)
            inside = [d for d in self.dates[lo:hi] if d.end <= end]
            if inside:
                return min(inside, key=lambda d: min(abs(d.start - trigger.start),
                                                     abs(d.end - trigger.start))).value
        return None

    def terrain(self, start: int, end: int) -> str | None:
        """Return the first terrain kind named within the span."""
        for kind, entry in lexicon("terrain").items():
            if self.doc.phrase_spans(phrases_for(entry["phrases"], self.doc.lang),
                                     start=start, end=end):
                return kind
        return None

    def relative(self, clause: Clause) -> list[Mention]:
        """Places a relative clause refers to: those ending the previous clause.

        "..., in northern Mali, which is held by ..." / "... شمال مالي، التي ...".
        Only when a place ends the previous clause of the same sentence.
        """
        i = self.doc.clause_index(clause.start)
        if i == 0 or self.doc.clauses[i - 1].sentence != clause.sentence:
            return []
        prev = self.doc.clauses[i - 1]
        places = areas(self.locations_in(prev.start, prev.end))
        if places and not self.doc.text[places[-1].end:prev.end].strip(" \t\"'»”«“،,"):
            return places
        return []

    def triangle_at(self, start: int, end: int) -> Mention | None:
        """Return a mention-like stand-in for a triangle term within the span."""
        i = bisect_left(self._triangle_starts, start)
        for offset, place in self.triangles[i:i + 1]:
            if offset < end:
                return Mention(start=offset, end=offset, surface="", kind="toponym",
                               place=place, precision=5, confidence=0.8,
                               sentence=self.doc.sentences[self.doc.clause_at(offset).sentence],
                               reason="coreference")
        return None


def offset_mention(m: Mention, base: Place, km: float, bearing: float) -> Mention:
    """``m`` read as the point ``km`` kilometres from ``base`` at ``bearing`` degrees.

    The place is derived (``<base id>@<km>km<bearing>``), a point of type ``offset``
    whose name says how the text describes it; its precision is a second-level area's,
    as a distance "à une centaine de kilomètres" is rounded.
    """
    end = geodesic(kilometers=km).destination((base.lat, base.lon), bearing)
    compass = _COMPASS[round(bearing / 45.0) % 8]
    place = Place(id=f"{base.id}@{km:g}km{bearing:g}", name=f"{km:g} km {compass} of {base.name}",
                  type="offset", lat=round(end.latitude, 5), lon=round(end.longitude, 5),
                  country=base.country, source=f"{km:g} km at {bearing:g}° from {base.id}")
    return replace(m, place=place, precision=PRECISION_ADMIN2,
                   confidence=m.confidence * _INFERRED, reason="offset")


def areas(mentions: Sequence[Mention]) -> list[Mention]:
    """Places usable as areas: toponyms and references ("the north of the
    country"), not nationalities, not groups of states."""
    return [m for m in mentions if m.kind != "demonym" and m.place is not None
            and m.place.type != "group"]


def prune(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop repeats, and a country when a part of it is also named ("Mali ... northern Mali")."""
    seen: dict[str, Mention] = {}
    for m in mentions:
        assert m.place is not None
        seen.setdefault(m.place.id, m)
    finer = {m.place.country for m in seen.values()
             if m.place and m.precision is not None and m.precision < PRECISION_COUNTRY}
    return [m for m in seen.values() if m.place and not (
        m.place.type == "country" and m.place.country in finer)]


def participants(mentions: Sequence[Mention], role: str, via: str = "mention") -> (
    tuple[Participant, ...]
):
    factor = 1.0 if via == "mention" else _INFERRED
    return tuple(Participant(role=role, place=m.place, mention=m, via=via,
                             confidence=m.confidence * factor)
                 for m in mentions if m.place is not None)


def enumeration(ctx: FrameContext, mentions: list[Mention], start: int,
                 extra: frozenset[str] = frozenset()) -> list[Mention]:
    """Keep the first place after ``start`` and the ones enumerated right after it.

    "... to Niger, Nigeria and Burkina Faso" binds three; "... like Niger, giving
    a boost to the Algerian branch" stops at Niger: between listed places only
    connectors ("and", "و", "et le"...) or the ``extra`` words may stand.
    """
    out: list[Mention] = []
    allowed = ctx.connectors | extra
    for m in mentions:
        gap = ctx.doc.words(out[-1].end if out else start, m.start)
        if (len(gap) > FIRST_GAP) if not out else (
                len(gap) > _LIST_GAP or not set(gap) <= allowed):
            break
        out.append(m)
    return out


def select(ctx: FrameContext, hit: Hit) -> tuple[list[Mention], str]:
    """Pick the places of a frame by its ``places`` and ``fallback`` settings."""
    start, end = ctx.scope(hit.spec, hit.clause)
    found = areas(ctx.locations_in(start, end))
    if hit.spec.places == "after":
        found = enumeration(ctx, [m for m in found if m.start >= hit.span.end], hit.span.end)
    elif hit.spec.places == "nearest" and found:
        # "deployed in X" names the place after the trigger, "X deployed" the actor; in
        # Arabic the subject follows the verb ("ونشرت النيجر ... في أغاديز"): the finest wins.
        after = [m for m in found if m.start >= hit.span.end
                 and ctx.doc.words_between(hit.span.end, m.start) <= FIRST_GAP]
        after.sort(key=lambda m: (m.precision or PRECISION_COUNTRY, m.start))
        found = after[:1] or [m for m in found if m.end <= hit.span.start][-1:]
    elif hit.spec.places == "around":
        found = _around(ctx, hit, found)
    if not found and hit.spec.fallback == "relative" and not hit.weak:
        return prune(ctx.relative(hit.clause)), "relative"
    return prune(found), "mention"


def _around(ctx: FrameContext, hit: Hit, found: list[Mention]) -> list[Mention]:
    """"Attacks on Gao and Kidal", "kidnapped ... from the town of Dakoro in central
    Niger", "Gao was attacked": the places enumerated after the trigger from the first
    town-level one (else from the first one), else the place right before the trigger
    with the places listed before it ("Ménaka and Gao were attacked")."""
    if hit.weak:  # "the fighting in Gao", "معركة طرابلس"; not "fleeing the fighting" after Gao
        first = next((m for m in found if m.start >= hit.span.end
                      and ctx.doc.words_between(hit.span.end, m.start) <= hit.spec.weak_reach
                      and (located(ctx, hit, m)
                           or ctx.doc.words_between(hit.span.end, m.start) <= _CUE_REACH)),
                     None)
        if first is not None:
            return enumeration(ctx, [m for m in found if m.start >= first.start], first.start)
        if hit.spec.frame not in _VIOLENCE:
            return []
        before = [m for m in found if m.end <= hit.span.start][-1:]  # "in Kufra, fighting"
        return [m for m in before if located(ctx, hit, m)
                and ctx.doc.words_between(m.end, hit.span.start) <= _WEAK_BEFORE]
    after = [m for m in found if m.start >= hit.span.end
             and ctx.doc.words_between(hit.span.end, m.start) <= FIRST_GAP]
    fine = [m for m in after if (m.precision or PRECISION_COUNTRY) <= POINT_PRECISION]
    if after:
        first = (fine or after)[0]
        listed = enumeration(ctx, [m for m in found if m.start >= first.start], first.start)
        for m in reversed([m for m in after if m.end <= first.start]):  # "Timbuktu and Gao"
            if not set(ctx.doc.words(m.end, listed[0].start)) <= ctx.connectors:
                break
            listed.insert(0, m)
        return listed
    before = [m for m in found if m.end <= hit.span.start]
    if not before or ctx.doc.words_between(before[-1].end, hit.span.start) > _BEFORE_REACH:
        return []
    listed = before[-1:]
    for m in reversed(before[:-1]):  # "Les régions de Ménaka et Gao sont le théâtre"
        if not set(ctx.doc.words(m.end, listed[0].start)) <= ctx.connectors:
            break
        listed.insert(0, m)
    return listed


def located(ctx: FrameContext, hit: Hit, m: Mention) -> bool:
    """Whether a ``location`` cue of the frame's ``roles`` ("in", "à", "في") ends at
    most two words before the place, or is the Arabic preposition fused to it ("بنيامي":
    in Niamey)."""
    cues = phrases_for(hit.spec.roles.get("location", {}), ctx.doc.lang)
    if not cues:
        return False
    if fused_in(ctx, m):
        return True
    # A point measured from a place takes the cue of its whole distance phrase: "à une
    # centaine de kilomètres au sud-ouest de Tombouctou".
    reach, chars = (_OFFSET_REACH, _OFFSET_CHARS) if m.reason == "offset" else (
        _CUE_REACH, _CUE_CHARS)
    found = ctx.doc.phrase_spans(cues, start=max(0, m.start - chars), end=m.start)
    return any(ctx.doc.words_between(e, m.start) <= reach for _, e in found)


def fused_in(ctx: FrameContext, m: Mention) -> bool:
    """Whether the Arabic preposition ب ("in", "at") is fused to the place's name, behind
    an optional و or ف ("بنيامي", "وبغاو"), and is not a letter of the name itself
    ("بماكو", Bamako; "بنين", Benin)."""
    if ctx.doc.lang != "ar" or m.place is None or m.kind != "toponym":
        return False
    surface = normalize_key(m.surface)
    names = {normalize_key(n) for n in m.place.names.values() if n}
    for conjunction in ("", "و", "ف"):
        word = surface[len(conjunction):]
        if surface.startswith(conjunction) and word.startswith("ب") and len(word) > 1:
            return word not in names and not any(
                n.startswith("ب") and word.startswith(n[:3]) for n in names)
    return False


def finest(ctx: FrameContext, mentions: Sequence[Mention]) -> list[Mention]:
    """Drop the areas that only locate the finer place of the same country right before
    them ("Boulkessi, in the Mopti region", "Yirgou, in north-central Burkina Faso"): one
    event, one place. Places joined by "and" are events of their own ("Timbuktu and
    Gao", "تمبكتو وغاو")."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        locates = (prev is not None and prev.place is not None and m.place is not None
                   and (m.precision or PRECISION_COUNTRY) > POINT_PRECISION
                   >= (prev.precision or PRECISION_COUNTRY)
                   and m.place.country == prev.place.country
                   and not _conjoined(ctx, prev, m))
        if not locates:
            out.append(m)
    return out


def _conjoined(ctx: FrameContext, a: Mention, b: Mention) -> bool:
    """Whether "and" (or "or") joins two listed places."""
    gap = set(ctx.doc.words(a.end, b.start))
    return bool(gap & _CONJUNCTIONS) or (ctx.doc.lang == "ar" and b.surface[:1] == "و")


def hosts_of(ctx: FrameContext, hit: Hit, *, finest: int | None = None) -> list[Mention]:
    """Places right before a host verb of the frame (``hosts``) in the trigger's sentence
    ("Niamey a accueilli une réunion", "La région de Diffa abrite 300 000 réfugiés", also
    across a comma: "مخيمين في النيجر، يؤويان آلاف اللاجئين"), or right after it in Arabic
    ("استضافت نواكشوط", "يوجد بالنيجر"), nearest verb first.

    ``finest`` keeps only places at least that precise (a meeting's venue is a town).
    """
    if not hit.spec.hosts:
        return []
    start, end = ctx.doc.sentences[hit.clause.sentence]  # "مخيمين في النيجر، يؤويان ..."
    verbs = ctx.doc.phrase_spans(phrases_for(hit.spec.hosts, ctx.doc.lang), start=start, end=end)
    everywhere = areas(ctx.locations_in(start, end))
    places = [m for m in everywhere
              if finest is None or (m.precision or PRECISION_COUNTRY) <= finest]
    found: list[Mention] = []
    for s, e in sorted(verbs, key=lambda v: abs(v[0] - hit.span.start)):
        found += [m for m in places if m not in found and (
            (m.end <= s and ctx.doc.words_between(m.end, s) <= 1)
            or (ctx.doc.lang == "ar" and m.start >= e and ctx.doc.words_between(e, m.start) <= 1))]
    return found + [m for m in _where_before(ctx, hit, everywhere) if m not in found]


def _where_before(ctx: FrameContext, hit: Hit, places: list[Mention]) -> list[Mention]:
    """The place right before the relative adverb ("où", "where", "حيث") that opens the
    relative clause holding the trigger: "le Mali, où une intervention militaire est en
    cours" is an intervention in Mali, whatever the place's size; a word may stand between
    them ("مدينة غاو المالية، حيث")."""
    relatives = ctx.doc.phrase_spans(phrases_for(lexicon("coref")["relatives"], ctx.doc.lang),
                                     start=hit.clause.start, end=hit.span.start)
    if not relatives:
        return []
    s, e = max(relatives)
    if ctx.doc.words_between(e, hit.span.start) > _RELATIVE_REACH:
        return []
    return [m for m in places if m.end <= s and ctx.doc.words_between(m.end, s) <= 1][-1:]


def make_frame(ctx: FrameContext, hit: Hit, places: tuple[Participant, ...],
               **extra: object) -> Frame:
    """Assemble a frame with the common fields (status, actor, evidence...)."""
    start, end = ctx.scope(hit.spec, hit.clause)
    actor = actor_of(ctx, hit, start, end)
    confidence = hit.spec.confidence * (
        sum(p.confidence for p in places) / len(places) if places else 1.0)
    status = ctx.status(hit.spec, hit.span)
    if status in HEDGES:
        confidence *= HEDGE_FACTOR
    fields: dict[str, object] = {
        "type": hit.spec.frame, "layer": hit.spec.layer, "places": places,
        "trigger": hit.span, "evidence": (ctx.doc.span(start, end),),
        "confidence": confidence, "actor": actor.label if actor else None,
        "status": status, "sentence": hit.clause.sentence,
        "date": ctx.date(hit.span),
    }
    fields.update(extra)
    return Frame(**fields)  # type: ignore[arg-type]


def actor_of(ctx: FrameContext, hit: Hit, start: int, end: int) -> Actor | None:
    """The actor nearest the trigger; with ``actor_side: before``, one before it first.

    "The US administration is weighing strikes on AQIM bases": the group after
    the trigger is the target, the subject before it is the actor.
    """
    if not hit.spec.actor:
        return None
    sides, forces = hit.spec.actor_sides, hit.spec.actor_forces
    before = (ctx.actors.nearest(start, hit.span.start, hit.span.start, sides, forces=forces)
              if hit.spec.actor_side == "before" else None)
    return before or ctx.actors.nearest(start, end, hit.span.start, sides, forces=forces)


def rejected(ctx: FrameContext, hit: Hit) -> SkippedFrame | None:
    """Skip a frame whose subject (nearest actor a few words before the trigger) is on
    a side the frame refuses (``reject_subjects``: civilians fleeing to a city are
    displaced, not taking refuge; armed groups fleeing to a refuge are no refugees),
    whose ``needs_subject`` trigger has no subject on its sides, or without the actor
    it ``requires_actor`` (a refuge is taken by armed groups)."""
    subject = _subject(ctx, hit)
    if subject is not None and subject.side in hit.spec.reject_subjects:
        return skip(ctx, hit, f"subject {subject.label!r} ({subject.side}) is not "
                               f"the actor of a {hit.spec.frame} frame")
    if hit.spec.needs_subject and (subject is None or subject.side not in hit.spec.actor_sides):
        needs = phrases_for(hit.spec.needs_subject, ctx.doc.lang)
        if ctx.doc.phrase_spans(needs, start=hit.span.start, end=hit.span.end):
            return skip(ctx, hit, f"no {' or '.join(hit.spec.actor_sides)} subject for "
                                  f"{hit.span.text!r}")
    if hit.spec.requires_actor:
        # The actor may be the subject of the sentence before ("... armed groups take
        # refuge in the triangle; several groups fled to it").
        start = ctx.doc.sentences[max(0, hit.clause.sentence - 1)][0]
        if actor_of(ctx, hit, start, ctx.scope(hit.spec, hit.clause)[1]) is None:
            return skip(ctx, hit, f"no {' or '.join(hit.spec.actor_sides)} actor for a "
                                  f"{hit.spec.frame} frame")
    return None


def _subject(ctx: FrameContext, hit: Hit) -> Actor | None:
    """The nearest actor at most four words before the trigger in its clause; in Arabic,
    where the subject follows its verb, else one starting within three words of the
    verb ("وتلجأ الجماعات المسلحة إلى ...")."""
    subject = ctx.actors.nearest(hit.clause.start, hit.span.start, hit.span.start)
    if subject is not None and ctx.doc.words_between(subject.end, hit.span.start) <= (
            _SUBJECT_REACH):
        return subject
    if ctx.doc.lang != "ar":
        return None
    after = [a for a in ctx.actors.within(hit.span.start, hit.clause.end)
             if ctx.doc.words_between(hit.span.start, a.start) <= _VERB_SUBJECT]
    return after[0] if after else None


def skip(ctx: FrameContext, hit: Hit, reason: str) -> SkippedFrame:
    start, end = ctx.scope(hit.spec, hit.clause)
    return SkippedFrame(type=hit.spec.frame, trigger=hit.span,
                        evidence=(ctx.doc.span(start, end),), reason=reason,
                        sentence=hit.clause.sentence)
