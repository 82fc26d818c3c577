"""Violence at a place: attacks with their target and toll (for :mod:`geo.frames.binding`)."""

from __future__ import annotations

from bisect import bisect_left

from geo.frames.context import (
    POINT_PRECISION,
    FrameContext,
    Hit,
    actor_of,
    areas,
    finest,
    located,
    make_frame,
    participants,
    select,
    skip,
)
from geo.frames.quantities import find_quantities
from geo.lexicon import phrases_for
from geo.records import PRECISION_COUNTRY, Frame, Mention, Partial, SkippedFrame

Draft = Frame | Partial | SkippedFrame
_TOLL_REACH = 3  # words between a number and the word that makes it a death toll
_LATER_REACH = 30  # words between an attack and a cued place later in its sentence


def bind_attack(ctx: FrameContext, hit: Hit) -> Draft:
    """An attack at each place named around the trigger, with its target and death toll."""
    mentions, via = select(ctx, hit)
    mentions = finest(ctx, mentions) or _cued_later(ctx, hit)
    if not mentions:
        return skip(ctx, hit, "no place for the attack")
    return make_frame(ctx, hit, participants(mentions, "location", via),
                  target=target_of(ctx, hit), toll=toll_of(ctx, hit))


def _cued_later(ctx: FrameContext, hit: Hit) -> list[Mention]:
    """The first town a location cue introduces later in the trigger's sentence, before
    another frame's trigger, when its clause names none: "clashed, after weeks of tension
    between the communities, with loyalist forces in Kidal" (the words between push the
    place out of the trigger's clause; Arabic often does so with a comma: "اشتبك ...، مع
    القوات ... في بلدة كيدال")."""
    if hit.weak:
        return []
    _, end = ctx.doc.sentences[hit.clause.sentence]
    hits = ctx.hits()  # in text order: look from the trigger on, within the sentence
    for other in hits[bisect_left(hits, hit.span.end, key=lambda h: h.span.start):]:
        if other.span.start >= end:
            break
        if other.spec.frame != hit.spec.frame and not other.weak:  # "the attack came on
            end = other.span.start  # the day of the visit to Gao": Gao is the visit's; not
            break                   # a bare noun the attack is on ("un camp militaire")
    later = [m for m in areas(ctx.locations_in(hit.span.end, end))
             if ctx.doc.words_between(hit.span.end, m.start) <= _LATER_REACH
             and (m.precision or PRECISION_COUNTRY) <= POINT_PRECISION]
    return next(([m] for m in later if located(ctx, hit, m)), [])


def target_of(ctx: FrameContext, hit: Hit) -> str | None:
    """Who was attacked or struck: the nearest actor after the trigger in its clause
    that is not the frame's actor (Arabic puts the subject after the verb: "هاجم
    مسلحون ...")."""
    if not hit.spec.target:
        return None
    start, end = ctx.scope(hit.spec, hit.clause)
    actor = actor_of(ctx, hit, start, end)
    after = [a for a in ctx.actors.within(hit.span.end, hit.clause.end) if a != actor]
    return after[0].label if after else None


def toll_of(ctx: FrameContext, hit: Hit) -> int | None:
    """People killed: a number a few words from a ``toll`` word of the sentence."""
    if not hit.spec.toll:
        return None
    start, end = ctx.doc.sentences[hit.clause.sentence]
    words = ctx.doc.phrase_spans(phrases_for(hit.spec.toll, ctx.doc.lang), start=start, end=end)
    for q in find_quantities(ctx.doc.text, ctx.doc.lang, start=start, end=end):
        if any(ctx.doc.words_between(q.end, ws) <= _TOLL_REACH if ws >= q.end
               else ctx.doc.words_between(we, q.start) <= _TOLL_REACH - 1
               for ws, we in words):
            return q.value
    return None
