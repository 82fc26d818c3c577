"""Movements: forces deployed, sent or withdrawn, people fleeing (used by :mod:`geo.binding`).

Movement frames keep their roles: each place is an ``origin``, a
``destination``, a ``route`` or a ``location``, told apart by the cue word
right before it (``roles`` in the frame's YAML file). Deployments are drawn
where the forces are or are going; flows from origin to destination.
"""

from __future__ import annotations

from geo.framecontext import (
    FrameContext,
    Hit,
    areas,
    enumeration,
    make_frame,
    participants,
    prune,
    select,
    skip,
)
from geo.frames import Frame, Partial, Participant, SkippedFrame
from geo.lexicon import compile_phrases, phrases_for
from geo.normalize import normalize_key
from geo.quantities import find_quantities

Draft = Frame | Partial | SkippedFrame
_MIN_STRENGTH = 10  # "one of the units" is not a strength


def bind_deployment(ctx: FrameContext, hit: Hit) -> Draft:
    """Forces at the place nearest the trigger, with the strength said in the clause."""
    quantities = [q for q in find_quantities(ctx.doc.text, ctx.doc.lang, start=hit.clause.start,
                                             end=hit.clause.end) if q.value >= _MIN_STRENGTH]
    after = [q for q in quantities if q.start >= hit.span.start]
    chosen = after or quantities
    value = chosen[0].value if chosen else None
    mentions, via = select(ctx, hit)
    frame = make_frame(ctx, hit, participants(mentions, "location", via), strength=value)
    if not mentions:
        skipped = skip(ctx, hit, "no place for the force")
        return Partial(frame=frame, skipped=skipped) if value else skipped
    return frame


def bind_displacement(ctx: FrameContext, hit: Hit) -> Draft:
    """Origins and destinations after the trigger, told apart by the word before each."""
    roles = hit.spec.roles
    cue_words = frozenset(w for r in roles for p in phrases_for(roles[r], ctx.doc.lang)
                          for w in normalize_key(p).split())
    start, end = ctx.scope(hit.spec, hit.clause)
    after = [m for m in areas(ctx.locations_in(start, end)) if m.start >= hit.span.end]
    mentions = prune(enumeration(ctx, after, hit.span.end, cue_words))
    patterns = {r: compile_phrases(phrases_for(roles[r], ctx.doc.lang)) for r in roles}
    cursor, role = hit.span.start, "origin"
    bound: list[Participant] = []
    for m in mentions:
        # The cue nearest the place wins; of cues ending together, the longest
        # ("en direction du" over its last word "du", an origin cue).
        cues = [(e, -s, r) for r, p in patterns.items()
                for s, e in ctx.doc.find(p, cursor, m.start)]
        role = max(cues)[2] if cues else role
        bound.extend(participants([m], role))
        cursor = m.end
    if not bound:
        return skip(ctx, hit, "no origin or destination after the trigger")
    inferred = () if any(p.role == "destination" for p in bound) else ("neighbours",)
    return make_frame(ctx, hit, tuple(bound), qualifiers=inferred)
