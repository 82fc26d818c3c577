"""Bind the participants of each triggered frame (used by :mod:`geo.frames`).

One :class:`_Context` per document holds the prepared text, the mentions
(plus coreference), actors and border triangles; each frame type has a small
binder that picks its places by role and returns a
:class:`~geo.frames.Frame`, a :class:`~geo.frames.Partial` (missing a
participant, may continue an earlier frame) or a
:class:`~geo.frames.SkippedFrame` with a reason.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from geo.actors import Actor, ActorFinder, find_organisations
from geo.clauses import Clause, Document, Span, SpanIndex
from geo.coref import coreference_mentions, neighbours_in, triangles
from geo.exclusions import Exclusions
from geo.frames import Frame, Partial, Participant, SkippedFrame
from geo.lexicon import FrameSpec, compile_phrases, frame_specs, lexicon, phrases_for
from geo.normalize import normalize_key
from geo.quantities import find_dates, find_quantities
from geo.records import PRECISION_COUNTRY, GeoparseResult, Mention
from geo.status import HEDGE_FACTOR, HEDGES, StatusCues

Draft = Frame | Partial | SkippedFrame
#: Words allowed between a trigger and its first place, and between listed places.
_FIRST_GAP, _LIST_GAP = 15, 3
_INFERRED = 0.8  # confidence factor for places not named in the clause itself
_MIN_STRENGTH = 10  # "one of the units" is not a strength
_SUBJECT_REACH = 4  # words between a subject and its verb ("civils ont fui vers")
_BLOCK_GAP = 2  # words between a ``blocked_by`` phrase and the trigger it cancels
_BLOCK_CHARS = 40  # no two words span more characters than this
_POINT_PRECISION = 3  # places at least this precise are points (towns, sites, second-level)
_TOLL_REACH = 3  # words between a number and the word that makes it a death toll


@dataclass(frozen=True, slots=True, kw_only=True)
class _Hit:
    """A trigger occurrence: the frame it fires, its span and clause."""

    spec: FrameSpec
    span: Span
    clause: Clause


class _Context:
    """Everything binders need about one document, computed once."""

    def __init__(self, result: GeoparseResult,
                 published: datetime.date | None = None) -> None:
        self.doc = Document(result)
        terrain = SpanIndex(self._terrain_spans())
        # A nationality adjective inside a terrain phrase ("المناطق الصحراوية") is no state.
        resolved = sorted((m for m in result.resolved if not (
            m.kind == "demonym" and terrain.overlaps(m.start, m.end))), key=lambda m: m.start)
        orgs = find_organisations(self.doc)
        self.exclusions = Exclusions(self.doc, resolved, [(s, e) for _, s, e in orgs])
        # Datelines, names of organisations, persons, comparisons: in no frame at all.
        resolved = [m for m in resolved if not self.exclusions.hard(m)]
        self.mentions = sorted([*resolved, *coreference_mentions(self.doc, resolved)],
                               key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self.actors = ActorFinder(self.doc, self.mentions, orgs)
        self.triangles = triangles(self.doc, self.mentions)
        self.dates = find_dates(self.doc.text, self.doc.lang)
        self._date_starts = [d.start for d in self.dates]
        self.cues = StatusCues(self.doc, self.dates, published)
        self.connectors = frozenset(
            w for p in phrases_for(lexicon("coref")["connectors"], self.doc.lang)
            for w in normalize_key(p).split())

    def _terrain_spans(self) -> list[tuple[int, int]]:
        return [span for entry in lexicon("terrain").values()
                for span in self.doc.find(compile_phrases(phrases_for(entry["phrases"],
                                                                      self.doc.lang)))]

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
        of Niger", "French-made")."""
        return [m for m in self.mentions_in(start, end)
                if self.exclusions.reason(m) != "qualifier"]

    def hits(self) -> list[_Hit]:
        """Return the first trigger of each frame type per clause (per sentence if scoped so).

        A frame that ``yields_to`` another one has no trigger in a clause where
        that one has ("killed in a drone strike" is a strike, not an attack).
        """
        found: dict[tuple[str, int], _Hit] = {}
        for spec in frame_specs():
            for s, e in self._trigger_spans(spec):
                clause = self.doc.clause_at(s)
                unit = clause.sentence if spec.scope == "sentence" else clause.start
                found.setdefault((spec.frame, unit),
                                 _Hit(spec=spec, span=self.doc.span(s, e), clause=clause))
        fired = {(h.spec.frame, h.clause.start) for h in found.values()}
        kept = [h for h in found.values()
                if not any((other, h.clause.start) in fired for other in h.spec.yields_to)]
        return sorted(kept, key=lambda h: h.span.start)

    def _trigger_spans(self, spec: FrameSpec) -> list[tuple[int, int]]:
        """Trigger matches of ``spec`` less those its ``blocked_by`` phrases cancel (up
        to two words before: "across their common borders") or its ``blocked_after``
        phrases (right after: "raid aérien")."""
        spans = self.doc.find(compile_phrases(phrases_for(spec.triggers, self.doc.lang)))
        if spec.frame == "coalition":  # a named group of states is a coalition by itself
            spans += [(m.start, m.end) for m in self.mentions
                      if m.place is not None and m.place.type == "group"]
        before, after = (SpanIndex(self.doc.find(compile_phrases(phrases_for(
            table, self.doc.lang)))) if table else SpanIndex(())
            for table in (spec.blocked_by, spec.blocked_after))
        return [(s, e) for s, e in sorted(spans) if not any(
            be <= s and self.doc.words_between(be, s) <= _BLOCK_GAP
            for _, be in before.overlapping(s - _BLOCK_CHARS, s)) and not any(
            bs >= e and self.doc.words_between(e, bs) <= 1
            for bs, _ in after.overlapping(e, e + _BLOCK_CHARS))]

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
            if self.doc.find(compile_phrases(phrases_for(entry["phrases"], self.doc.lang)),
                             start, end):
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
        places = _areas(self.locations_in(prev.start, prev.end))
        if places and not self.doc.text[places[-1].end:prev.end].strip(" \t\"'»”«“،,"):
            return places
        return []

    def triangle_at(self, start: int, end: int) -> Mention | None:
        """Return a mention-like stand-in for a triangle term within the span."""
        for offset, place in self.triangles:
            if start <= offset < end:
                return Mention(start=offset, end=offset, surface="", kind="toponym",
                               place=place, precision=5, confidence=0.8,
                               sentence=self.doc.sentences[self.doc.clause_at(offset).sentence],
                               reason="coreference")
        return None


def _areas(mentions: Sequence[Mention]) -> list[Mention]:
    """Toponyms usable as areas: not nationalities, not groups of states."""
    return [m for m in mentions if m.kind == "toponym" and m.place is not None
            and m.place.type != "group"]


def _prune(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop repeats, and a country when a part of it is also named ("Mali ... northern Mali")."""
    seen: dict[str, Mention] = {}
    for m in mentions:
        assert m.place is not None
        seen.setdefault(m.place.id, m)
    finer = {m.place.country for m in seen.values()
             if m.place and m.precision is not None and m.precision < PRECISION_COUNTRY}
    return [m for m in seen.values() if m.place and not (
        m.place.type == "country" and m.place.country in finer)]


def _participants(mentions: Sequence[Mention], role: str, via: str = "mention") -> (
    tuple[Participant, ...]
):
    factor = 1.0 if via == "mention" else _INFERRED
    return tuple(Participant(role=role, place=m.place, mention=m, via=via,
                             confidence=m.confidence * factor)
                 for m in mentions if m.place is not None)


def _enumeration(ctx: _Context, mentions: list[Mention], start: int,
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
        if (len(gap) > _FIRST_GAP) if not out else (
                len(gap) > _LIST_GAP or not set(gap) <= allowed):
            break
        out.append(m)
    return out


def _select(ctx: _Context, hit: _Hit) -> tuple[list[Mention], str]:
    """Pick the places of a frame by its ``places`` and ``fallback`` settings."""
    start, end = ctx.scope(hit.spec, hit.clause)
    found = _areas(ctx.locations_in(start, end))
    if hit.spec.places == "after":
        found = _enumeration(ctx, [m for m in found if m.start >= hit.span.end], hit.span.end)
    elif hit.spec.places == "nearest" and found:
        # "deployed in X" names the place after the trigger, "X deployed" the actor; in
        # Arabic the subject follows the verb ("ونشرت النيجر ... في أغاديز"): the finest wins.
        after = [m for m in found if m.start >= hit.span.end
                 and ctx.doc.words_between(hit.span.end, m.start) <= _FIRST_GAP]
        after.sort(key=lambda m: (m.precision or PRECISION_COUNTRY, m.start))
        found = after[:1] or [m for m in found if m.end <= hit.span.start][-1:]
    elif hit.spec.places == "around":
        found = _around(ctx, hit, found)
    if not found and hit.spec.fallback == "relative":
        return _prune(ctx.relative(hit.clause)), "relative"
    return _prune(found), "mention"


def _around(ctx: _Context, hit: _Hit, found: list[Mention]) -> list[Mention]:
    """"Attacks on Gao and Kidal", "kidnapped ... from the town of Dakoro in central
    Niger", "Gao was attacked": the places enumerated after the trigger from the first
    town-level one (else from the first one), else the place right before the trigger."""
    after = [m for m in found if m.start >= hit.span.end
             and ctx.doc.words_between(hit.span.end, m.start) <= _FIRST_GAP]
    fine = [m for m in after if (m.precision or PRECISION_COUNTRY) <= _POINT_PRECISION]
    if after:
        first = (fine or after)[0]
        rest = [m for m in found if m.start >= first.start]
        return _enumeration(ctx, rest, first.start)
    return [m for m in found if m.end <= hit.span.start][-1:]


def _finest(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop the areas that only locate a finer place of the same country ("Boulkessi,
    in the Mopti region", "Yirgou, in north-central Burkina Faso"): one event, one place."""
    fine = {m.place.country for m in mentions if m.place is not None
            and (m.precision or PRECISION_COUNTRY) <= _POINT_PRECISION}
    return [m for m in mentions if m.place is not None and not (
        (m.precision or PRECISION_COUNTRY) > _POINT_PRECISION and m.place.country in fine)]


def _frame(ctx: _Context, hit: _Hit, places: tuple[Participant, ...], **extra: object) -> Frame:
    """Assemble a frame with the common fields (status, actor, evidence...)."""
    start, end = ctx.scope(hit.spec, hit.clause)
    actor = _actor(ctx, hit, start, end)
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


def _actor(ctx: _Context, hit: _Hit, start: int, end: int) -> Actor | None:
    """The actor nearest the trigger; with ``actor_side: before``, one before it first.

    "The US administration is weighing strikes on AQIM bases": the group after
    the trigger is the target, the subject before it is the actor.
    """
    if not hit.spec.actor:
        return None
    sides = hit.spec.actor_sides
    before = (ctx.actors.nearest(start, hit.span.start, hit.span.start, sides)
              if hit.spec.actor_side == "before" else None)
    return before or ctx.actors.nearest(start, end, hit.span.start, sides)


def _rejected(ctx: _Context, hit: _Hit) -> SkippedFrame | None:
    """Skip a frame whose subject (nearest actor a few words before the trigger) is
    on a side the frame refuses (``reject_subjects``): civilians fleeing to a city
    are displaced, not taking refuge; armed groups fleeing to a refuge are no refugees."""
    if not hit.spec.reject_subjects:
        return None
    subject = ctx.actors.nearest(hit.clause.start, hit.span.start, hit.span.start)
    if subject is None or subject.side not in hit.spec.reject_subjects or (
            ctx.doc.words_between(subject.end, hit.span.start) > _SUBJECT_REACH):
        return None
    return _skip(ctx, hit, f"subject {subject.label!r} ({subject.side}) is not "
                           f"the actor of a {hit.spec.frame} frame")


def _skip(ctx: _Context, hit: _Hit, reason: str) -> SkippedFrame:
    start, end = ctx.scope(hit.spec, hit.clause)
    return SkippedFrame(type=hit.spec.frame, trigger=hit.span,
                        evidence=(ctx.doc.span(start, end),), reason=reason,
                        sentence=hit.clause.sentence)


def bind_areas(ctx: _Context, hit: _Hit, role: str = "area") -> Draft:
    """Bind the places of a control, risk, strike or border-security frame."""
    mentions, via = _select(ctx, hit)
    if len(mentions) < hit.spec.min_places:
        where = "after the trigger" if hit.spec.places == "after" else "in the clause"
        return _skip(ctx, hit, f"no place {where}")
    qualifiers = ("neighbours",) if neighbours_in(ctx.doc, hit.clause.start, hit.clause.end) else ()
    return _frame(ctx, hit, _participants(mentions, role, via), qualifiers=qualifiers,
                  target=_target(ctx, hit), toll=_toll(ctx, hit))


def _as_state(ctx: _Context, hit: _Hit, m: Mention) -> Mention:
    """A town standing for its state ("الجزائر" read as Algiers, "Niamey decided to
    close its borders") when the frame is about states (``as_state`` place types)."""
    place = m.place
    if place is None or place.type not in hit.spec.as_state or not place.country:
        return m
    from geo.gazetteer import get_gazetteer

    state = get_gazetteer().country(place.country)
    if state is None:
        return m
    return replace(m, place=state, precision=PRECISION_COUNTRY)


def bind_borders(ctx: _Context, hit: _Hit) -> Draft:
    """Border security: the places of the clause, those after a ``counterpart`` cue
    ("closed their common borders with Libya") in role ``counterpart``.

    A band is then drawn between each place and each counterpart only, not between
    the states closing their borders (:func:`geo.features.border_features`).
    """
    mentions, via = _select(ctx, hit)
    mentions = _prune([_as_state(ctx, hit, m) for m in mentions])
    if len(mentions) < hit.spec.min_places:
        return _skip(ctx, hit, "no place in the clause")
    cues = hit.spec.roles.get("counterpart")
    pattern = compile_phrases(phrases_for(cues, ctx.doc.lang)) if cues else None
    bound: list[Participant] = []
    cursor = hit.clause.start
    for m in mentions:
        gap = ctx.doc.find(pattern, cursor, m.start) if pattern is not None else []
        role = "counterpart" if gap and ctx.doc.words_between(gap[-1][1], m.start) <= 1 else (
            "area")
        bound.extend(_participants([m], role, via))
        cursor = m.end
    if all(p.role == "counterpart" for p in bound):
        bound = [replace(p, role="area") for p in bound]
    qualifiers = ("neighbours",) if neighbours_in(ctx.doc, hit.clause.start, hit.clause.end) else ()
    return _frame(ctx, hit, tuple(bound), qualifiers=qualifiers)


def bind_meeting(ctx: _Context, hit: _Hit) -> Draft:
    """A meeting happens at one place: the first named after the trigger."""
    mentions, via = _select(ctx, hit)
    if not mentions:
        return _skip(ctx, hit, "no place after the trigger")
    return _frame(ctx, hit, _participants(mentions[:1], "location", via))


def bind_sanctuary(ctx: _Context, hit: _Hit) -> Draft:
    """Refuge in a border triangle (named or referred back to) or in named places."""
    triangle = ctx.triangle_at(hit.clause.start, hit.clause.end)
    if triangle is not None and triangle.place is not None:
        return _frame(ctx, hit, _participants([triangle], "area", "coreference"),
                      members=triangle.place.members)
    return bind_areas(ctx, hit)


def _states(mentions: Sequence[Mention]) -> tuple[tuple[str, ...], list[Mention]]:
    """Return the ISO codes of the states named (directly, by nationality or as group)."""
    codes: dict[str, None] = {}
    used: list[Mention] = []
    for m in mentions:
        place = m.place
        if place is None:
            continue
        new = place.members if place.type == "group" else (place.country,) if place.country else ()
        if new:
            used.append(m)
            codes.update(dict.fromkeys(c for c in new if c))
    return tuple(codes), used


def bind_pursuit(ctx: _Context, hit: _Hit) -> Draft:
    """Hot pursuit among the states named in the sentence, with the terrain named."""
    start, end = ctx.scope(hit.spec, hit.clause)
    codes, used = _states(ctx.mentions_in(start, end))
    unique = list({m.place.id: m for m in used if m.place is not None}.values())
    frame = _frame(ctx, hit, _participants(unique, "state"), members=codes,
                   terrain=ctx.terrain(start, end))
    if len(codes) < hit.spec.min_places:
        reason = f"pursuit needs two states or more, found {len(codes)}: {', '.join(codes) or '-'}"
        return Partial(frame=frame, skipped=_skip(ctx, hit, reason))
    return frame


def bind_coalition(ctx: _Context, hit: _Hit) -> Draft:
    """Members: named groups of states plus states enumerated after a coalition phrase."""
    start, end = ctx.scope(hit.spec, hit.clause)
    mentions = ctx.mentions_in(start, end)
    groups = [m for m in mentions if m.place is not None and m.place.type == "group"]
    pattern = compile_phrases(phrases_for(hit.spec.triggers, ctx.doc.lang))
    explicit = ctx.doc.find(pattern, start, end)
    listed = [m for m in mentions if explicit and m.start >= explicit[0][1]
              and m.kind == "toponym" and m.place is not None and m.place.type == "country"]
    codes, _ = _states([*groups, *listed])
    if len(codes) < hit.spec.min_places:
        return _skip(ctx, hit, f"a coalition needs two members or more, found {len(codes)}")
    return _frame(ctx, hit, _participants(groups, "group"), members=codes)


def bind_deployment(ctx: _Context, hit: _Hit) -> Draft:
    """Forces at the place nearest the trigger, with the strength said in the clause."""
    quantities = [q for q in find_quantities(ctx.doc.text, ctx.doc.lang, start=hit.clause.start,
                                             end=hit.clause.end) if q.value >= _MIN_STRENGTH]
    after = [q for q in quantities if q.start >= hit.span.start]
    chosen = after or quantities
    value = chosen[0].value if chosen else None
    mentions, via = _select(ctx, hit)
    frame = _frame(ctx, hit, _participants(mentions, "location", via), strength=value)
    if not mentions:
        skipped = _skip(ctx, hit, "no place for the force")
        return Partial(frame=frame, skipped=skipped) if value else skipped
    return frame


def bind_displacement(ctx: _Context, hit: _Hit) -> Draft:
    """Origins and destinations after the trigger, told apart by the word before each."""
    roles = hit.spec.roles
    cue_words = frozenset(w for r in roles for p in phrases_for(roles[r], ctx.doc.lang)
                          for w in normalize_key(p).split())
    start, end = ctx.scope(hit.spec, hit.clause)
    after = [m for m in _areas(ctx.locations_in(start, end)) if m.start >= hit.span.end]
    mentions = _prune(_enumeration(ctx, after, hit.span.end, cue_words))
    patterns = {r: compile_phrases(phrases_for(roles[r], ctx.doc.lang)) for r in roles}
    cursor, role = hit.span.start, "origin"
    bound: list[Participant] = []
    for m in mentions:
        # The cue nearest the place wins; of cues ending together, the longest
        # ("en direction du" over its last word "du", an origin cue).
        cues = [(e, -s, r) for r, p in patterns.items()
                for s, e in ctx.doc.find(p, cursor, m.start)]
        role = max(cues)[2] if cues else role
        bound.extend(_participants([m], role))
        cursor = m.end
    if not bound:
        return _skip(ctx, hit, "no origin or destination after the trigger")
    inferred = () if any(p.role == "destination" for p in bound) else ("neighbours",)
    return _frame(ctx, hit, tuple(bound), qualifiers=inferred)


def bind_attack(ctx: _Context, hit: _Hit) -> Draft:
    """An attack at each place named around the trigger, with its target and death toll."""
    mentions, via = _select(ctx, hit)
    mentions = _finest(mentions)
    if not mentions:
        return _skip(ctx, hit, "no place for the attack")
    return _frame(ctx, hit, _participants(mentions, "location", via),
                  target=_target(ctx, hit), toll=_toll(ctx, hit))


def _target(ctx: _Context, hit: _Hit) -> str | None:
    """Who was attacked or struck: the nearest actor after the trigger in its clause
    that is not the frame's actor (Arabic puts the subject after the verb: "هاجم
    مسلحون ...")."""
    if not hit.spec.target:
        return None
    start, end = ctx.scope(hit.spec, hit.clause)
    actor = _actor(ctx, hit, start, end)
    after = [a for a in ctx.actors.within(hit.span.end, hit.clause.end) if a != actor]
    return after[0].label if after else None


def _toll(ctx: _Context, hit: _Hit) -> int | None:
    """People killed: a number a few words from a ``toll`` word of the sentence."""
    if not hit.spec.toll:
        return None
    start, end = ctx.doc.sentences[hit.clause.sentence]
    words = ctx.doc.find(compile_phrases(phrases_for(hit.spec.toll, ctx.doc.lang)), start, end)
    for q in find_quantities(ctx.doc.text, ctx.doc.lang, start=start, end=end):
        if any(ctx.doc.words_between(q.end, ws) <= _TOLL_REACH if ws >= q.end
               else ctx.doc.words_between(we, q.start) <= _TOLL_REACH - 1
               for ws, we in words):
            return q.value
    return None


_BINDERS: dict[str, Callable[[_Context, _Hit], Draft]] = {
    "control": bind_areas,
    "risk": bind_areas,
    "border_security": bind_borders,
    "strike": lambda ctx, hit: bind_areas(ctx, hit, "target"),
    "meeting": bind_meeting,
    "sanctuary": bind_sanctuary,
    "pursuit": bind_pursuit,
    "coalition": bind_coalition,
    "deployment": bind_deployment,
    "displacement": bind_displacement,
    "attack": bind_attack,
}


def bind_frames(result: GeoparseResult,
                published: datetime.date | None = None) -> list[Draft]:
    """Return one draft per trigger hit of ``result``, in text order.

    ``published`` is the report's day: events dated well before it are ``past``.
    """
    if not result.text.strip():
        return []
    ctx = _Context(result, published)
    return [_rejected(ctx, hit) or _BINDERS[hit.spec.frame](ctx, hit) for hit in ctx.hits()]
