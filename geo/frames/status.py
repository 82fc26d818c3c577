"""The status of a frame: reported, planned, agreed, ongoing, or hedged.

Cue phrases live in ``geo/data/frames/status.yaml``. Positive cues (``planned``,
``agreed``, ``ongoing``) are searched from 15 words before the trigger to 2
after it in its sentence; the nearest wins. Hedges decide first, because the
default map must not draw them as current events (eval/events/GUIDELINE.md):

* ``negated``: a negation at most three words before the trigger in its
  clause ("would not commit troops", "n'a pas attaqué", "لم تهاجم");
* ``hypothetical``: a condition or a possibility up to ten words before the
  trigger in its sentence, or right after it ("if the army withdraws, the
  town could fall");
* ``past``: background the report recalls, a cue in the clause ("had
  considered", "used in the past", "في الماضي"), an adjective right before the
  trigger ("a former stronghold", not "its headquarters in the former base"), or an
  explicit date or year in the clause older than the report ("in 2012" in a 2019 report; "since
  2012", "since fleeing their homes in March 2012" is no past: the state it
  starts still holds; nor is a trigger "since" follows: "closed since the July 26
  coup"). The report's date is its ``published`` day, else the
  latest full date the text gives.

Trade-off: cues and distances, not a parse: "not" three words before a trigger
negates it whatever the syntax, and a negation further away is missed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from geo.frames.clauses import Document, SpanIndex
from geo.frames.phrasehits import PhraseList
from geo.frames.quantities import TextDate
from geo.lexicon import lexicon, phrases_for
from geo.records import Span

#: Words before (and after) the trigger where positive status cues count.
_STATUS_BEFORE, _STATUS_AFTER = 15, 2
_NEGATION_BEFORE = 3
_HYPOTHETICAL_BEFORE, _HYPOTHETICAL_AFTER = 10, 1
_PAST_BEFORE, _PAST_AFTER = 8, 5
_ADJECTIVE_BEFORE = 1  # "son ancien fief", "a former stronghold": right before the noun
#: A dated event this many days before the report is background.
PAST_DAYS = 120
HEDGES = ("negated", "hypothetical", "past")
#: Confidence factor of a hedged frame: a denied or conditional event is less sure.
HEDGE_FACTOR = 0.5
_YEAR = re.compile(r"(?<![\w.,/-])(1[89]\d\d|20\d\d)(?![\w/-])")
#: Words between "since" ("depuis", "منذ") and the date it opens: "since fleeing their
#: homes in March 2012" dates the start of a state that still holds.
_SINCE_WORDS = 5
_SINCE_AFTER = 1  # words between a trigger and the "since" that makes it a lasting state
#: The cue tables of status.yaml :class:`StatusCues` looks up.
_CUE_KEYS = ("agreed", "planned", "ongoing", *HEDGES, "past_adjectives", "exceptions", "since")


def status_phrase_lists(lang: str) -> list[PhraseList]:
    """The phrase lists :class:`StatusCues` reads in a text of ``lang`` (see
    :mod:`geo.frames.phrasehits`)."""
    tables = [lexicon("status").get(key) for key in _CUE_KEYS]
    return [(phrases_for(table, lang), None) for table in tables if table]


class StatusCues:
    """Status cues of one document, found once and looked up by trigger.

    Parameters
    ----------
    doc : Document
        The prepared text.
    dates : sequence of TextDate
        Its explicit dates (:func:`geo.frames.quantities.find_dates`).
    published : datetime.date, optional
        The report's day; the latest full date of the text when omitted.
    """

    def __init__(self, doc: Document, dates: Sequence[TextDate],
                 published: datetime.date | None = None) -> None:
        self.doc = doc
        self._cues: dict[str, SpanIndex] = {}
        self._dates = dates
        in_dates = SpanIndex((d.start, d.end) for d in dates)
        self._years = [(m.start(), m.end(), int(m.group(1)))
                       for m in _YEAR.finditer(doc.text)
                       if not in_dates.overlaps(m.start(), m.end())]
        self.reference = published or _latest(dates)

    def _index(self, key: str) -> SpanIndex:
        if key not in self._cues:
            table = lexicon("status").get(key) or {}
            self._cues[key] = SpanIndex(self.doc.phrase_spans(phrases_for(
                table, self.doc.lang))) if table else SpanIndex(())
        return self._cues[key]

    def status(self, trigger: Span, default: str, allowed: Sequence[str],
               hedges: Sequence[str] = HEDGES) -> str:
        """The status of the frame fired by ``trigger``.

        ``allowed`` are the positive statuses the frame may take from cues,
        ``hedges`` the hedged ones (a risk is no hypothesis of its own).
        """
        for hedge, found in (("negated", self._negated), ("hypothetical", self._hypothetical),
                             ("past", self._past)):
            if hedge in hedges and found(trigger):
                return hedge
        return self._positive(trigger, allowed) or default

    def _positive(self, trigger: Span, allowed: Sequence[str]) -> str | None:
        sentence = self.doc.sentences[self.doc.clause_at(trigger.start).sentence]
        best: tuple[int, str] | None = None
        for status in ("agreed", "planned", "ongoing"):
            if status not in allowed:
                continue
            for s, e in self._index(status).overlapping(*sentence):
                distance = self._distance(s, e, trigger, _STATUS_BEFORE, _STATUS_AFTER)
                if distance is not None and (best is None or distance < best[0]):
                    best = (distance, status)
        return best[1] if best else None

    def _distance(self, s: int, e: int, trigger: Span, before: int,
                  after: int) -> int | None:
        """Words from a cue to the trigger when within ``before``/``after`` words."""
        if e <= trigger.start:
            n = self.doc.words_between(e, trigger.start)
            return n if n <= before else None
        if s >= trigger.end:
            n = self.doc.words_between(trigger.end, s)
            return n if n <= after else None
        return None

    def _cues_near(self, key: str, span: tuple[int, int], trigger: Span, before: int,
                   after: int) -> bool:
        return any(self._distance(s, e, trigger, before, after) is not None
                   for s, e in self._index(key).overlapping(*span))

    def _negated(self, trigger: Span) -> bool:
        clause = self.doc.clause_at(trigger.start)
        exceptions = self._index("exceptions")
        return any(self._distance(s, e, trigger, _NEGATION_BEFORE, -1) is not None
                   and not exceptions.overlaps(s, e)
                   for s, e in self._index("negated").overlapping(clause.start, clause.end))

    def _hypothetical(self, trigger: Span) -> bool:
        sentence = self.doc.sentences[self.doc.clause_at(trigger.start).sentence]
        return self._cues_near("hypothetical", sentence, trigger, _HYPOTHETICAL_BEFORE,
                               _HYPOTHETICAL_AFTER)

    def _past(self, trigger: Span) -> bool:
        clause = self.doc.clause_at(trigger.start)
        if self._cues_near("since", (trigger.end, clause.end), trigger, 0, _SINCE_AFTER):
            return False  # "have been closed since the coup": a state that still holds
        if self._cues_near("past", (clause.start, clause.end), trigger, _PAST_BEFORE,
                           _PAST_AFTER) or self._cues_near(
                "past_adjectives", (clause.start, clause.end), trigger, _ADJECTIVE_BEFORE, -1):
            return True
        return self.reference is not None and self._dated_before(clause.start, clause.end)

    def _dated_before(self, start: int, end: int) -> bool:
        """Whether the clause gives a date (or a year) older than the report's."""
        assert self.reference is not None
        for d in self._dates:
            if start <= d.start < end and not self._since(start, d.start):
                day = _day(d.value)
                if day is not None and (self.reference - day).days > PAST_DAYS:
                    return True
        return any(start <= s < end and year < self.reference.year
                   and not self._since(start, s)
                   for s, _, year in self._years)

    def _since(self, clause_start: int, offset: int) -> bool:
        """Whether "since" opens the date at ``offset`` (within a few words, same clause)."""
        return any(self.doc.words_between(e, offset) <= _SINCE_WORDS
                   for _, e in self._index("since").overlapping(clause_start, offset)
                   if e <= offset)


def _day(value: str) -> datetime.date | None:
    """The day of an ISO date or month (its first day)."""
    try:
        return datetime.date.fromisoformat(value if len(value) == 10 else value + "-01")
    except ValueError:
        return None


def _latest(dates: Sequence[TextDate]) -> datetime.date | None:
    """The latest full day among a text's dates (its own date, most likely)."""
    days = [d for d in (_day(t.value) for t in dates if len(t.value) == 10) if d is not None]
    return max(days) if days else None
