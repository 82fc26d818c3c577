"""Bind the participants of each triggered frame (used by :mod:`geo.frames`).

Each frame type has a small binder that picks its places by role from the
document's :class:`~geo.frames.context.FrameContext` and returns a
:class:`~geo.frames.Frame`, a :class:`~geo.frames.Partial` (missing a
participant, may continue an earlier frame) or a
:class:`~geo.frames.SkippedFrame` with a reason. Movements live in
:mod:`geo.frames.movements`, attacks in :mod:`geo.frames.violence`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import replace

from geo.frames.context import (
    FrameContext,
    Hit,
    areas,
    enumeration,
    finest,
    hosts_of,
    located,
    make_frame,
    participants,
    prune,
    rejected,
    select,
    skip,
)
from geo.frames.coref import neighbours_in
from geo.frames.movements import bind_deployment, bind_displacement
from geo.frames.violence import bind_attack, target_of, toll_of
from geo.lexicon import frame_specs, phrases_for
from geo.placegeometry import PlaceSource
from geo.records import (
    PRECISION_COUNTRY,
    Frame,
    GeoparseResult,
    Mention,
    Partial,
    Participant,
    SkippedFrame,
)

Draft = Frame | Partial | SkippedFrame
_TOWN = 3  # precision of a town: a venue named next to "summit" without a cue
_VENUE_REACH = 3  # a country is a venue right after the verb: "met recently in Mauritania"


def bind_areas(ctx: FrameContext, hit: Hit, role: str = "area") -> Draft:
    """Bind the places of a control, risk, strike or border-security frame."""
    mentions, via = select(ctx, hit)
    if hit.spec.places == "around":
        mentions = finest(ctx, mentions)
    if len(mentions) < hit.spec.min_places:
        where = "after the trigger" if hit.spec.places == "after" else "in the clause"
        return skip(ctx, hit, f"no place {where}")
    qualifiers = ("neighbours",) if neighbours_in(ctx.doc, hit.clause.start, hit.clause.end) else ()
    return make_frame(ctx, hit, participants(mentions, role, via), qualifiers=qualifiers,
                  target=target_of(ctx, hit), toll=toll_of(ctx, hit))


def _as_state(ctx: FrameContext, hit: Hit, m: Mention) -> Mention:
    """A town standing for its state ("الجزائر" read as Algiers, "Niamey decided to
    close its borders") when the frame is about states (``as_state`` place types)."""
    place = m.place
    if place is None or place.type not in hit.spec.as_state or not place.country:
        return m
    state = ctx.gazetteer.country(place.country)
    if state is None:
        return m
    return replace(m, place=state, precision=PRECISION_COUNTRY)


def bind_borders(ctx: FrameContext, hit: Hit) -> Draft:
    """Border security: the places of the clause, those after a ``counterpart`` cue
    ("closed their common borders with Libya") in role ``counterpart``.

    A band is then drawn between each place and each counterpart only, not between
    the states closing their borders (:func:`geo.features.border_features`).
    """
    mentions, via = select(ctx, hit)
    mentions = prune([_as_state(ctx, hit, m) for m in mentions])
    if len(mentions) < hit.spec.min_places:
        return skip(ctx, hit, "no place in the clause")
    cues = hit.spec.roles.get("counterpart")
    counterparts = phrases_for(cues, ctx.doc.lang) if cues else ()
    bound: list[Participant] = []
    cursor = hit.clause.start
    for m in mentions:
        gap = ctx.doc.phrase_spans(counterparts, start=cursor, end=m.start) if counterparts else []
        listed = bool(bound) and bound[-1].role == "counterpart" and set(
            ctx.doc.words(cursor, m.start)) <= ctx.connectors  # "with Algeria, Libya and Mali"
        role = "counterpart" if listed or (
            gap and ctx.doc.words_between(gap[-1][1], m.start) <= 1) else "area"
        bound.extend(participants([m], role, via))
        cursor = m.end
    if bound and bound[-1].role == "counterpart" and bound[-1].mention is not None:
        bound.extend(participants(_listed_on(ctx, hit, bound[-1].mention), "counterpart", via))
    if all(p.role == "counterpart" for p in bound):
        # "The Nigerien authorities closed the border with Burkina Faso": the state
        # closing it is the nationality (or the state named only as an owner) before.
        subject = _subject_state(ctx, hit, {p.place.country for p in bound},
                                 min(p.mention.start for p in bound if p.mention))
        bound = ([*participants([subject], "area", "subject"), *bound] if subject
                 else [replace(p, role="area") for p in bound])
    qualifiers = ("neighbours",) if neighbours_in(ctx.doc, hit.clause.start, hit.clause.end) else ()
    return make_frame(ctx, hit, tuple(bound), qualifiers=qualifiers)


def _listed_on(ctx: FrameContext, hit: Hit, last: Mention) -> list[Mention]:
    """States listed on after the clause's last counterpart, past the clause end, in
    the same sentence: Arabic commas end clauses but also separate the items of a list
    ("فتح الحدود مع الجزائر، وبوركينا فاسو، وليبيا")."""
    end = ctx.doc.sentences[hit.clause.sentence][1]
    after = [m for m in areas(ctx.locations_in(hit.clause.end, end))
             if m.place is not None and m.place.type == "country"]
    return enumeration(ctx, [last, *after], last.start)[1:]


def _subject_state(ctx: FrameContext, hit: Hit, others: set[str | None],
                   end: int) -> Mention | None:
    """The state named by a nationality or as an owner in the sentence before the first
    counterpart ("the Nigerien authorities", "the government of Niger", "أغلقت السلطات
    النيجرية الحدود مع ...", "أعادت السلطات في النيجر، فتح الحدود مع"), as its country."""
    start = ctx.doc.sentences[hit.clause.sentence][0]
    codes = [m for m in ctx.mentions_in(start, end)
             if m.place is not None and m.place.country and m.place.country not in others
             and (m.kind == "demonym" or m.place.type == "country")]
    code = codes[-1].place.country if codes and codes[-1].place else None
    state = ctx.gazetteer.country(code) if code else None
    return replace(codes[-1], kind="toponym", place=state,
                   precision=PRECISION_COUNTRY) if state is not None else None


def bind_meeting(ctx: FrameContext, hit: Hit) -> Draft:
    """A meeting happens at one venue: the finest town a location cue introduces
    (its clause first, then its sentence, after the trigger first; a country too
    for a ``visits`` trigger or right after the verb: "met in Mauritania"). A town that
    only names the meeting ("the Abuja summit", "قمة أبوجا", "le sommet de Lomé") is no
    venue (GUIDELINE.md: a place inside an event's name yields nothing)."""
    venue = _venue(ctx, hit)
    if venue is None:
        return skip(ctx, hit, "no venue for the meeting")
    return make_frame(ctx, hit, participants([venue], "location"))


def _venue(ctx: FrameContext, hit: Hit) -> Mention | None:
    clause = (hit.clause.start, hit.clause.end)
    visits = phrases_for(hit.spec.visits, ctx.doc.lang) if hit.spec.visits else ()
    visit = bool(visits and ctx.doc.phrase_spans(visits, start=hit.span.start, end=hit.span.end))
    for start, end in (clause, ctx.doc.sentences[hit.clause.sentence]):
        cued = [m for m in areas(ctx.locations_in(start, end)) if located(ctx, hit, m)
                and (visit or (m.precision or PRECISION_COUNTRY) <= _TOWN or (
                    m.start >= hit.span.end
                    and ctx.doc.words_between(hit.span.end, m.start) <= _VENUE_REACH))]
        if cued:
            after = [m for m in cued if m.start >= hit.span.end] or cued
            return min(after, key=lambda m: (m.precision or PRECISION_COUNTRY,
                                             abs(m.start - hit.span.start)))
    return _host(ctx, hit)


def _host(ctx: FrameContext, hit: Hit) -> Mention | None:
    """The town that hosts the meeting: right before a host verb ("Niamey a accueilli une
    réunion", "Abuja hosted talks"), or right after it in Arabic ("استضافت نواكشوط")."""
    towns = hosts_of(ctx, hit, finest=_TOWN)
    return towns[0] if towns else None


def bind_sanctuary(ctx: FrameContext, hit: Hit) -> Draft:
    """Refuge in a border triangle (named or referred back to) or in named places."""
    triangle = ctx.triangle_at(hit.clause.start, hit.clause.end)
    if triangle is not None and triangle.place is not None:
        return make_frame(ctx, hit, participants([triangle], "area", "coreference"),
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


def bind_pursuit(ctx: FrameContext, hit: Hit) -> Draft:
    """Hot pursuit among the states named in the sentence (else in the sentences around
    it, ``context_states``), with the terrain named."""
    start, end = ctx.scope(hit.spec, hit.clause)
    codes, used = _states(ctx.mentions_in(start, end))
    via = "mention"
    if len(codes) < hit.spec.min_places and hit.spec.context_states:
        codes, used = _states([*used, *_nearby_states(ctx, hit)])
        via = "context"
    if not codes and hit.spec.composition:
        codes, used = _states(_force_composition(ctx, hit))
    unique = list({m.place.id: m for m in used if m.place is not None}.values())
    frame = make_frame(ctx, hit, participants(unique, "state", via), members=codes,
                       terrain=ctx.terrain(start, end))
    if len(codes) < hit.spec.min_places:
        reason = f"pursuit needs two states or more, found {len(codes)}: {', '.join(codes) or '-'}"
        return Partial(frame=frame, skipped=skip(ctx, hit, reason))
    return frame


def _nearby_states(ctx: FrameContext, hit: Hit) -> list[Mention]:
    """The states listed together in the nearest sentence around the trigger's that
    lists some: a named group of states, or states enumerated ("Cameroon, Chad, Niger
    and Nigeria"), not states named apart ("from southern Libya to Niger")."""
    i, reach = hit.clause.sentence, hit.spec.context_states
    order = sorted(range(max(0, i - reach), min(len(ctx.doc.sentences), i + reach + 1)),
                   key=lambda j: (abs(j - i), j))
    for j in order:
        listed = _listed_states(ctx, *ctx.doc.sentences[j]) if j != i else []
        if listed:
            return listed
    return []


def _force_composition(ctx: FrameContext, hit: Hit) -> list[Mention]:
    """The states a force is said to be made of anywhere in the report ("a force with
    8,700 troops from Cameroon, Chad, Niger and Nigeria"), nearest to the trigger first:
    who pursues "across borders" when the trigger's own sentences name no state."""
    spans = ctx.doc.phrase_spans(phrases_for(hit.spec.composition, ctx.doc.lang))
    for start, _ in sorted(spans, key=lambda span: abs(span[0] - hit.span.start)):
        sentence_end = ctx.doc.sentences[ctx.doc.sentence_index(start)][1]
        listed = _listed_states(ctx, start, sentence_end)
        if len(listed) >= 2:
            return listed
    return []


def _listed_states(ctx: FrameContext, start: int, end: int) -> list[Mention]:
    """Groups of states, and runs of two or more states joined by connectors only."""
    states = _states(ctx.mentions_in(start, end))[1]
    groups = [m for m in states if m.place is not None and m.place.type == "group"]
    run: list[Mention] = []
    best: list[Mention] = []
    for m in states:
        joined = run and set(ctx.doc.words(run[-1].end, m.start)) <= ctx.connectors
        run = [*run, m] if joined else [m]
        best = run if len(run) > len(best) else best
    return [*groups, *(best if len(best) >= 2 else [])]


def bind_coalition(ctx: FrameContext, hit: Hit) -> Draft:
    """Members: states enumerated after a coalition phrase, plus the members of a named
    group of states or a joint force that the report names somewhere.

    Membership is never completed from the gazetteer (eval/events/GUIDELINE.md): "the
    G5 Sahel" in a report naming no member draws nothing; in one naming Mali and Niger it
    draws Mali and Niger. A name with no coalition phrase of its own is an event only
    with members listed around it or its making told; otherwise the force is only named
    in passing ("fighting between Boko Haram and MNJTF soldiers near the Chad border").
    """
    start, end = ctx.scope(hit.spec, hit.clause)
    mentions = ctx.mentions_in(start, end)
    groups = [m for m in mentions if m.place is not None and m.place.type == "group"]
    names = [(m.start, m.end) for m in groups] + [
        (s, e) for _, s, e in ctx.actors.named_in(start, end)]
    explicit = [(s, e) for s, e in ctx.doc.phrase_spans(  # not "Multinational Joint Task Force"
        phrases_for(hit.spec.triggers, ctx.doc.lang), start=start, end=end)
        if not any(ns <= s and e <= ne for ns, ne in names)]
    listed = [m for m in mentions if explicit and m.start >= explicit[0][1]
              and m.kind == "toponym" and m.place is not None and m.place.type == "country"]
    if explicit and not listed:  # "Niger, Mali and Burkina Faso, part of the Sahel Alliance"
        listed = [m for m in _listed_states(ctx, start, end)
                  if m.place is not None and m.place.type == "country"]
    named = ctx.countries_named()
    forces = [org for org in ctx.actors.orgs_in(start, end) if org.get("members")]
    known = {c for m in groups if m.place is not None for c in m.place.members}
    known |= {c for org in forces for c in org["members"]}
    listed_codes, _ = _states(listed)
    codes = tuple(dict.fromkeys([*listed_codes, *(c for c in named if c in known)]))
    if not explicit and not _in_the_making(ctx, hit, start, end) and not _members_listed(
            ctx, hit):
        return skip(ctx, hit, "a coalition named in passing: no members listed with it")
    if len(codes) < hit.spec.min_places:
        return skip(ctx, hit, f"a coalition needs two named members or more, found {len(codes)}")
    return make_frame(ctx, hit, participants(groups, "group"), members=codes)


def _members_listed(ctx: FrameContext, hit: Hit) -> bool:
    """Whether two states or more are listed in the trigger's sentence or the next one:
    "The Multinational Joint Task Force attacked. Nigeria, Niger and Chad take part"."""
    i = hit.clause.sentence
    for start, end in ctx.doc.sentences[i:i + 2]:
        codes, _ = _states([m for m in _listed_states(ctx, start, end)
                            if m.place is not None and m.place.type != "group"])
        if len(codes) >= hit.spec.min_places:
            return True
    return False


def _in_the_making(ctx: FrameContext, hit: Hit, start: int, end: int) -> bool:
    """Whether the sentence tells of the coalition's making or founding text."""
    return bool(ctx.doc.phrase_spans(phrases_for(hit.spec.formation, ctx.doc.lang),
                                     start=start, end=end))


_BINDERS: dict[str, Callable[[FrameContext, Hit], Draft]] = {
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


def bind_frames(result: GeoparseResult, published: datetime.date | None,
                gazetteer: PlaceSource) -> list[Draft]:
    """Return one draft per trigger hit of ``result``, in text order.

    ``published`` is the report's day: events dated well before it are ``past``.
    """
    if not result.text.strip():
        return []
    ctx = FrameContext(result, published, gazetteer)
    drafts: list[Draft] = []
    for hit in ctx.hits():
        draft = _located_event(ctx, _bind(ctx, hit))
        drafts += [draft, *_threatened(draft)]
    return drafts


def _threatened(draft: Draft) -> list[Frame]:
    """A possible attack on a place puts it at risk: "une attaque jihadiste pourrait
    intervenir contre la ville de Ménaka" is a hypothetical attack (off the default map)
    and, beside it, Ménaka as a risk zone (eval/events/GUIDELINE.md: an armed group's
    offensive against a place is a stated threat)."""
    if not (isinstance(draft, Frame) and draft.type == "attack"
            and draft.status == "hypothetical"):
        return []
    (risk,) = [spec for spec in frame_specs() if spec.frame == "risk"]
    places = tuple(replace(p, role="area") for p in draft.places)
    confidence = risk.confidence * sum(p.confidence for p in places) / len(places)
    return [replace(draft, type=risk.frame, layer=risk.layer, status=risk.status,
                    confidence=confidence, places=places, target=None, toll=None)]


def _bind(ctx: FrameContext, hit: Hit) -> Draft:
    """Bind ``hit``; when it binds nothing, the first of the triggers next to it that
    restate the event and bind ("15 people were killed ... in an attack on a village
    in Yobe": the attack binds Yobe), else its own reason for skipping."""
    draft = rejected(ctx, hit) or _BINDERS[hit.spec.frame](ctx, hit)
    if not isinstance(draft, SkippedFrame):
        return draft
    for other in ctx.alternates.get((hit.spec.frame, hit.span.start), ()):
        retry = rejected(ctx, other) or _BINDERS[other.spec.frame](ctx, other)
        if isinstance(retry, Frame):
            return retry
    return draft


#: Point events: an attack or a strike happens at a place, not across a whole country.
POINT_EVENTS = frozenset({"attack", "strike"})


def _located_event(ctx: FrameContext, draft: Draft) -> Draft:
    """An attack or strike placed only at whole countries moves to the finer places its
    sentence names in them, else it is skipped.

    "Fifteen people were killed in Nigeria in an attack on a village in Yobe state": the
    attack is in Yobe. "Violence has ravaged Mali", "attacks by armed groups in Burkina
    Faso": a country is where such a statement sums up a conflict, not where one event
    happened, and a point layer drawn there tints the country whole.
    """
    if not (isinstance(draft, Frame) and draft.type in POINT_EVENTS and draft.places
            and all(p.place.type == "country" for p in draft.places)):
        return draft
    codes = {p.place.country for p in draft.places}
    role = draft.places[0].role
    finer = [m for m in areas(ctx.locations_in(*ctx.doc.sentences[draft.sentence]))
             if m.place is not None and m.place.type != "country" and m.place.country in codes]
    if finer:
        return replace(draft, places=tuple(participants(finest(ctx, finer), role, "finer")))
    return SkippedFrame(type=draft.type, trigger=draft.trigger, evidence=draft.evidence,
                        reason="a whole country is no place for one attack or strike",
                        sentence=draft.sentence)
