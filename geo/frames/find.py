"""Event frames found in a geoparsed text: who does what, where, how many.

A frame is fired by a trigger phrase (``geo/data/frames/<type>.yaml``) and
binds participants found in its clause or sentence: places from the
geoparser's mentions (by role: ``area``, ``state``, ``origin``,
``destination``, ``member``, ``location``), an actor (:mod:`geo.frames.actors`), a
strength and a date (:mod:`geo.frames.quantities`), a terrain and a status. Frames that cannot
be completed (a hot pursuit naming one state) are returned as
:class:`SkippedFrame` with a reason, never as bogus geometry.

Frames about the same thing are merged, keeping every piece of evidence:
a frame whose places are a subset of an earlier frame of the same type
("the triangle" after "the border triangle between Algeria, Mali and
Mauritania"), a pursuit with no states right after one with states ("these
pursuits will take place in open desert areas"), and a force without a place
restated with the same strength.

>>> frames = find_frames(geoparse(text))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from geo.frames.binding import bind_frames
from geo.placegeometry import PlaceSource
from geo.records import Frame, Frames, GeoparseResult, Partial, Place, SkippedFrame

#: Statuses of events the default map does not draw as current: background the report
#: recalls, events it denies, and conditional ones (eval/events/GUIDELINE.md).
BACKGROUND_STATUSES = frozenset({"past", "negated", "hypothetical"})


def find_frames(result: GeoparseResult) -> tuple[Frame, ...]:
    """Return the event frames of a geoparsed text, in text order.

    Parameters
    ----------
    result : GeoparseResult
        The output of :func:`geo.geoparse`.

    Returns
    -------
    tuple of Frame
        Complete, merged frames. Use :func:`extract_frames` to also get the
        skipped ones with their reasons.
    """
    return extract_frames(result).found


def extract_frames(result: GeoparseResult, *, published: datetime.date | None = None,
                   gazetteer: PlaceSource | None = None) -> Frames:
    """Return complete frames and skipped triggers (with reasons) of a text.

    ``published`` is the report's day: events the text dates well before it are
    background (``status: past``); without it, the latest full date of the text
    stands for it. ``gazetteer`` is the one ``result`` was resolved with (the
    shared one if None): frames read states and named areas from it.
    """
    if gazetteer is None:
        from geo.gazetteer import get_gazetteer

        gazetteer = get_gazetteer()

    drafts = bind_frames(result, published, gazetteer)
    found = _Found()
    skipped: list[SkippedFrame] = []
    for draft in drafts:
        if isinstance(draft, Frame):
            _merge_into(found, draft)
        elif isinstance(draft, Partial):
            if not _continue(found, draft):
                skipped.append(draft.skipped)
        else:
            skipped.append(draft)
    return Frames(found=tuple(found.frames), skipped=tuple(skipped))


#: Frames merge with earlier frames whose last sentence is at most this many sentences
#: back: a long article restates its events, a corpus of articles does not.
MERGE_WINDOW = 60


class _Found:
    """Frames found so far, with the recent ones of each type at hand.

    Merging looks at the frames of one type within :data:`MERGE_WINDOW`
    sentences only, so a long text is merged in linear time.
    """

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self._recent: dict[str, list[int]] = {}
        self._kept: dict[str, int] = {}

    def recent(self, frame_type: str, sentence: int) -> list[int]:
        """Indices of the frames of ``frame_type`` near ``sentence``, oldest first."""
        ids = self._recent.setdefault(frame_type, [])
        if len(ids) > 2 * self._kept.get(frame_type, 8):  # prune now and then: amortised
            ids[:] = [i for i in ids if sentence - self.frames[i].sentence <= MERGE_WINDOW]
            self._kept[frame_type] = max(8, len(ids))
        return [i for i in ids if sentence - self.frames[i].sentence <= MERGE_WINDOW]

    def append(self, frame: Frame) -> None:
        self._recent.setdefault(frame.type, []).append(len(self.frames))
        self.frames.append(frame)


def _key(frame: Frame) -> frozenset[str]:
    """Return what a frame is about: its member states, else its place ids."""
    return frozenset(frame.members or {p.place.id for p in frame.places})


def _merge_into(found: _Found, frame: Frame) -> None:
    """Append ``frame`` or fold it into an earlier frame about the same thing."""
    for i in found.recent(frame.type, frame.sentence):
        other = found.frames[i]
        if other.strength != frame.strength and frame.type == "deployment":
            continue
        a, b = _key(other), _key(frame)
        if a and b and (a <= b or b <= a):
            found.frames[i] = (_combine(other, frame) if len(a) >= len(b)
                               else _combine(frame, other))
            return
        if frame.type in NESTED_TYPES and abs(frame.sentence - other.sentence) <= NESTED_WINDOW:
            fine = _locates(other, frame) or _locates(frame, other)
            if fine is not None:
                coarse = frame if fine is other else other
                found.frames[i] = _combine(fine, replace(coarse, places=()))
                return
    found.append(frame)


#: Point events told at two scales ("an attack in Borno State ... the attack happened in
#: Huyum") are one event when their sentences are this close: the finer place stays.
NESTED_TYPES = frozenset({"attack", "strike"})
NESTED_WINDOW = 2
_FINE = 3  # town-level precision and finer


def _locates(fine: Frame, coarse: Frame) -> Frame | None:
    """``fine`` if every place of ``coarse`` is an area of the country of a finer place of
    ``fine`` (the coarse frame only places the fine one), else ``None``."""
    towns = [p.place for p in fine.places
             if p.mention is not None and (p.mention.precision or 6) <= _FINE]
    areas = [p.place for p in coarse.places
             if p.mention is None or (p.mention.precision or 6) > _FINE]
    if towns and coarse.places and len(areas) == len(coarse.places) and all(
            any(_holds(area, town) for town in towns) for area in areas):
        return fine
    return None


def _holds(area: Place, town: Place) -> bool:
    """Whether ``area`` holds ``town``: its bounding box is around the town (the Ségou
    region does not hold a town of the Timbuktu region, though both are in Mali), or,
    for an area without one, the same country."""
    if area.bbox is None:
        return bool(area.country) and area.country == town.country
    west, south, east, north = area.bbox
    return west <= town.lon <= east and south <= town.lat <= north


#: Evidence spans a merged frame keeps (the first ones in the text): an event
#: restated all through a long text would otherwise carry every sentence.
MAX_EVIDENCE = 24


def _combine(main: Frame, extra: Frame) -> Frame:
    """Return ``main`` enriched with the evidence and qualifiers of ``extra``."""
    evidence = main.evidence
    if len(evidence) < MAX_EVIDENCE:
        evidence = tuple(sorted({*main.evidence, *extra.evidence},
                                key=lambda s: s.start))[:MAX_EVIDENCE]
    actor = main.actor
    if extra.actor and (actor is None or _rank(extra.actor) > _rank(actor)):
        actor = extra.actor
    status = _merged_status(main.status, extra.status)
    trigger = min(main.trigger, extra.trigger, key=lambda s: s.start)
    return replace(main, evidence=evidence, actor=actor, status=status, trigger=trigger,
                   terrain=main.terrain or extra.terrain,
                   strength=main.strength or extra.strength, date=main.date or extra.date,
                   target=main.target or extra.target, toll=main.toll or extra.toll,
                   qualifiers=tuple(dict.fromkeys(main.qualifiers + extra.qualifiers)),
                   confidence=max(main.confidence, extra.confidence),
                   sentence=max(main.sentence, extra.sentence))


def _merged_status(main: str, extra: str) -> str:
    """The status of two frames about the same thing: a current one wins over background
    (an event the report states as news stays news when it also recalls the place's
    past: "the army took Kidal ... the offensive had resumed"); otherwise the more
    specific one (anything over ``reported``)."""
    if (main in BACKGROUND_STATUSES) != (extra in BACKGROUND_STATUSES):
        return extra if main in BACKGROUND_STATUSES else main
    return main if main != "reported" else extra


def _rank(actor: str) -> int:
    """Specificity of an actor label: linked groups > named > generic."""
    from geo.lexicon import lexicon

    generic = {g["label"] for g in lexicon("actors")["generic"]}
    return 0 if actor in generic else (2 if actor.endswith("groups") else 1)


def _continue(found: _Found, partial: Partial) -> bool:
    """Fold a partial frame into the earlier frame it restates.

    "These pursuits will take place in open desert areas" has no states of
    its own; it qualifies the pursuit of the sentence just before (only the
    last pursuit, only from the next sentence). A force restated with the
    same strength and no place is the force named before.
    """
    extra = partial.frame
    prior = found.recent(extra.type, extra.sentence)
    if extra.type == "deployment":
        prior = [i for i in prior if extra.strength
                 and found.frames[i].strength == extra.strength]
    elif prior and extra.sentence - found.frames[prior[-1]].sentence > 1:
        prior = []
    if not prior:
        return False
    i = prior[-1]
    found.frames[i] = _combine(found.frames[i], replace(extra, places=(), members=()))
    return True
