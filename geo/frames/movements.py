"""Movements: forces deployed, sent or withdrawn, people fleeing (for :mod:`geo.frames.binding`).

Movement frames keep their roles: each place is an ``origin``, a
``destination``, a ``route`` or a ``location``, told apart by the cue word
right before it (``roles`` in the frame's YAML file); a place listed right
after another one without a cue of its own shares its role ("from Mali,
Niger and Chad"). Deployments are drawn where the forces are or are going
(location, destination, route); flows from origin to destination
(:mod:`geo.features`).

Trade-off: a cue is a word before the place, not a parse: "troops from
Chad arrived in Niger" comes out right, "troops Chad sent to Niger" leaves
Chad out (no cue: the subject), which is what a map of deployments wants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.frames.context import (
    FIRST_GAP,
    FrameContext,
    Hit,
    areas,
    finest,
    hosts_of,
    make_frame,
    participants,
    prune,
    skip,
)
from geo.frames.quantities import Quantity, find_quantities
from geo.lexicon import phrases_for
from geo.records import Frame, Mention, Partial, Participant, SkippedFrame

Draft = Frame | Partial | SkippedFrame
_MIN_STRENGTH = 10  # "one of the units" is not a strength
_CUE_REACH = 2  # words between a role cue and its place ("to the town of Gao")
_CUE_CHARS = 40  # two words span no more characters than this
_STRENGTH_REACH = 2  # words between a number and its forces noun ("400 Chadian troops")
_STRENGTH_CHARS = 60  # two words span no more characters than this
_NEAR_CHARS = 30  # a nationality next to the people moving
_TOWN = 3  # precision of a town: a force's host is a town or a site
#: A unit noun with its "of" right before a place's name ("la province du", "the town of").
_UNIT_NAMES = {
    "fr": re.compile(r"\b(?:région|province|cercle|commune|département|préfecture|localité|ville|"
                     r"village|zone|wilaya|site)s?\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])"
                     r"\s*$", re.IGNORECASE),
    "en": re.compile(r"\b(?:region|province|state|district|town|city|village|area)s?\s+of"
                     r"\s+$", re.IGNORECASE),
    "ar": re.compile(r"(?:^|\s)(?:منطقة|ولاية|إقليم|اقليم|مدينة|بلدة|قرية|محافظة)\s+$"),
}
_BEFORE_REACH = 12  # words between where people are and the word for them ("À Kaya, ...")
_FRONT_WORDS = 3  # a place this near its sentence's start opens it ("Dans la Mauritanie voisine")
_LISTED = 2  # words between two fronted places listed together ("À Kaya ou à Dori")
#: Roles a deployment is drawn at (as in geo.features): where the forces are or are going.
SHOWN_ROLES = frozenset({"location", "destination", "route"})


@dataclass(frozen=True, slots=True)
class _Roled:
    """A place with its role, and whether a cue gave the role."""

    mention: Mention
    role: str
    cued: bool


def _roles(ctx: FrameContext, hit: Hit, default: str, *, before: bool = True) -> list[_Roled]:
    """The places of a movement with their roles.

    Places after the trigger (each within fifteen words of the one before)
    take the role of the cue right before them; one listed right after
    another ("Niger, Nigeria and Chad") shares its role; others take
    ``default``. Places before the trigger count only with a cue ("In Gao,
    troops were deployed"), unless ``before`` is false (people fleeing: a place
    before the word for them is where the report stands, not where they go) or the
    trigger is a weak noun ("troops" after "an attack in Gao"). For people fleeing, a
    place the report names as a camp is a destination whatever its cue ("les réfugiés de
    Mbera").
    """
    roles = hit.spec.roles
    phrases = {r: phrases_for(roles[r], ctx.doc.lang) for r in roles}
    start, end = ctx.scope(hit.spec, hit.clause)
    found = prune(areas(ctx.locations_in(start, end)))
    out: list[_Roled] = []
    for m in (m for m in found if before and not hit.weak and m.end <= hit.span.start):
        role = _cue(ctx, phrases, max(start, m.start - _CUE_CHARS), _named_from(ctx, m))
        if role is not None:
            out.append(_Roled(m, role, True))
    cursor, previous = hit.span.start, None
    for m in (m for m in found if m.start >= hit.span.end):
        if ctx.doc.words_between(cursor, m.start) > FIRST_GAP:
            break
        cued = _cue(ctx, phrases, cursor, max(cursor, _named_from(ctx, m)))
        listed = previous is not None and set(ctx.doc.words(cursor, m.start)) <= ctx.connectors
        role = cued or (previous.role if listed and previous else default)
        previous = _Roled(m, role, cued is not None or (listed and bool(previous and
                                                                         previous.cued)))
        out.append(previous)
        cursor = m.end
    if hit.spec.frame == "displacement":  # a military camp may well be where troops leave
        camps = ctx.camps()
        out = [_Roled(r.mention, "destination", True) if r.role == "origin" and r.mention.place
               is not None and r.mention.place.id in camps else r for r in out]
    return _finest_per_role(ctx, out)


def _finest_per_role(ctx: FrameContext, roled: list[_Roled]) -> list[_Roled]:
    """Drop a region that only locates the town of the same role before it ("au camp de
    Mentao, dans la province du Soum": Mentao is where they are, Soum says where it is)."""
    kept: list[_Roled] = []
    for role in dict.fromkeys(r.role for r in roled):
        own = [r for r in roled if r.role == role]
        fine = {id(m) for m in finest(ctx, [r.mention for r in own])}
        kept += [r for r in own if id(r.mention) in fine]
    return sorted(kept, key=lambda r: r.mention.start)


def _named_from(ctx: FrameContext, m: Mention) -> int:
    """Where the words naming the place begin: before a unit noun and its "of" ("dans la
    province du Soum", "to the town of Gao", "إلى مدينة غاو"), whose "du"/"of" is part of
    the name, not an origin cue."""
    found = _UNIT_NAMES.get(ctx.doc.lang)
    head = found.search(ctx.doc.text, max(0, m.start - _CUE_CHARS), m.start) if found else None
    return head.start() if head else m.start


def _cue(ctx: FrameContext, phrases: dict[str, tuple[str, ...]], start: int,
         end: int) -> str | None:
    """The role whose cue ends nearest before ``end`` (within two words); of cues
    ending together, the longest ("en direction du" over its last word "du")."""
    cues = [(e, -s, r) for r, p in phrases.items()
            for s, e in ctx.doc.phrase_spans(p, start=start, end=end)
            if ctx.doc.words_between(e, end) <= _CUE_REACH
            and not ctx.connector_spans.overlaps(s, e)]  # "إلى كل من": "من" is no origin
    return max(cues)[2] if cues else None


def strength_of(ctx: FrameContext, hit: Hit) -> int | None:
    """The force's strength: a number right before a forces noun of the frame's
    ``strength`` list ("400 troops", "2,000-strong", "1800 جندي"), nearest the trigger.

    A number that only counts refugees or gives a day of the month is none.
    """
    nouns = phrases_for(hit.spec.strength, ctx.doc.lang)
    found = [q for q in find_quantities(ctx.doc.text, ctx.doc.lang, start=hit.clause.start,
                                        end=hit.clause.end)
             if q.value >= _MIN_STRENGTH and _forces_after(ctx, nouns, q)]
    if not found:
        return None
    return min(found, key=lambda q: abs(q.start - hit.span.start)).value


def _forces_after(ctx: FrameContext, nouns: tuple[str, ...], q: Quantity) -> bool:
    """Whether a forces noun follows the number within two words."""
    end = min(q.end + _STRENGTH_CHARS, len(ctx.doc.text))
    return any(ctx.doc.words_between(q.end, s) <= _STRENGTH_REACH
               for s, _ in ctx.doc.phrase_spans(nouns, start=q.end, end=end))


def bind_deployment(ctx: FrameContext, hit: Hit) -> Draft:
    """Forces where they are or are going, with their origin and strength.

    A ``weak`` trigger (a bare noun: "troops") binds only places a role cue
    introduces ("400 troops in Niger", not "killing 12 soldiers"), or a town that hosts
    the force ("Ménaka, ville qui accueille un bataillon").
    """
    roled = _roles(ctx, hit, "location")
    if hit.weak or any(r.cued for r in roled):
        roled = [r for r in roled if r.cued]
    if not any(r.role in SHOWN_ROLES for r in roled):  # "Ménaka ... accueille un bataillon"
        roled += [_Roled(m, "location", True) for m in hosts_of(ctx, hit, finest=_TOWN)[:1]]
    bound = tuple(p for r in roled for p in participants([r.mention], r.role))
    frame = make_frame(ctx, hit, bound, strength=strength_of(ctx, hit))
    if not any(p.role in SHOWN_ROLES for p in bound):
        skipped = skip(ctx, hit, "no place where the forces are or are going")
        return Partial(frame=frame, skipped=skipped) if frame.strength else skipped
    return frame


def bind_displacement(ctx: FrameContext, hit: Hit) -> Draft:
    """Origins and destinations of people fleeing, the nationality of the people as an
    origin ("Malian refugees", "réfugiés maliens", "لاجئين ماليين").

    Without a destination after the trigger, the place where the people are is one
    before it that a destination cue introduces ("À Kaya, l'arrivée de dizaines de
    familles") or that hosts them ("La région de Diffa abrite 300 000 réfugiés"): people
    displaced "in X" are anchored at X (eval/events/GUIDELINE.md).
    """
    roled = _roles(ctx, hit, "origin", before=False)
    if not any(r.role == "destination" for r in roled):
        roled += _fronted(ctx, hit, [r for r in _roles(ctx, hit, "origin")
                                     if r.mention.end <= hit.span.start
                                     and r.role == "destination"])
        if not any(r.role == "destination" for r in roled):
            roled += [_Roled(m, "destination", True) for m in hosts_of(ctx, hit)[:1]]
    bound: list[Participant] = [*participants(_nationality(ctx, hit), "origin")]
    bound += [p for r in roled for p in participants([r.mention], r.role)]
    if not bound:
        return skip(ctx, hit, "no origin or destination")
    inferred = () if any(p.role == "destination" for p in bound) else ("neighbours",)
    return make_frame(ctx, hit, tuple(bound), qualifiers=inferred)


def _fronted(ctx: FrameContext, hit: Hit, before: list[_Roled]) -> list[_Roled]:
    """The places of ``before`` that open the trigger's sentence, close before the trigger,
    with those listed after them: a fronted setting ("À Kaya ou à Dori, ... l'arrivée de
    familles"), not the place of another verb ("they met in Mauritania and decided to care
    for the refugees who left Mali")."""
    sentence = ctx.doc.sentences[ctx.doc.clause_at(hit.span.start).sentence]
    out: list[_Roled] = []
    for r in before:
        m = r.mention
        opens = ctx.doc.words_between(sentence[0], m.start) <= _FRONT_WORDS
        listed = bool(out) and ctx.doc.words_between(out[-1].mention.end, m.start) <= _LISTED
        if (opens or listed) and ctx.doc.words_between(m.end, hit.span.start) <= _BEFORE_REACH:
            out.append(r)
    return out


def _nationality(ctx: FrameContext, hit: Hit) -> list[Mention]:
    """A nationality right before or after the trigger: the people's country."""
    near = ctx.mentions_in(max(hit.clause.start, hit.span.start - _NEAR_CHARS),
                           min(hit.clause.end, hit.span.end + _NEAR_CHARS))
    return [m for m in near if m.kind == "demonym" and m.place is not None and (
        ctx.doc.words_between(m.end, hit.span.start) if m.end <= hit.span.start
        else ctx.doc.words_between(hit.span.end, m.start)) <= 1][:1]
