"""Sentences, clauses and phrase search over one document, with exact offsets.

Frames are found clause by clause: a clause is a part of a sentence ended by
a boundary from ``geo/data/frames/clauses.yaml`` (the Arabic comma, a
semicolon, ", which"...). Every search runs on the normalised text (see
:mod:`geo.normalize`) and reports offsets into the original text, so
``text[start:end]`` is always the surface that matched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from geo.frames.phrasehits import PhraseHits, PhraseScan
from geo.lexicon import compile_phrases, lexicon
from geo.normalize import normalize_indexed
from geo.records import GeoparseResult, Span

_WORD = re.compile(r"[^\W_]+'?")


class SpanIndex:
    """Spans of a text, sorted, for overlap queries in logarithmic time.

    Only the spans starting less than the longest span's length before a
    query can overlap it, so each query looks at a handful of spans.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans overlapping ``[start, end)``."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if start < e and s < end]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span overlaps ``[start, end)``."""
        return bool(self.overlapping(start, end))

    def __len__(self) -> int:
        return len(self.spans)


@dataclass(frozen=True, slots=True, kw_only=True)
class Clause:
    """A clause: ``start``/``end`` offsets and the index of its sentence."""

    start: int
    end: int
    sentence: int


@lru_cache(maxsize=4)
def _boundaries(lang: str) -> re.Pattern[str]:
    """Return the clause boundary pattern of ``lang`` (English rules if unknown)."""
    table = lexicon("clauses")
    return re.compile("|".join(table.get(lang, table["en"])))


@lru_cache(maxsize=4)
def _coordination(lang: str) -> re.Pattern[str] | None:
    """Return the pattern of comma + coordinating conjunction of ``lang`` (if any)."""
    table = lexicon("clauses").get("coordination") or {}
    return re.compile("|".join(table[lang])) if table.get(lang) else None


#: A comma this many words or fewer before ", and" makes it the end of an enumeration.
_LIST_WORDS = 3


class Document:
    """One text prepared for frame search: normalised once, split once.

    Holds the normalised text and its offset map (a numpy array: a list of
    Python ints would cost several times the memory of a long text); cheap to
    query many times: every lookup by offset is a binary search. Given a
    :class:`PhraseScan`, it finds the hits of all its phrase lists in one pass
    (:meth:`phrase_spans` reads them).
    """

    def __init__(self, result: GeoparseResult, scan: PhraseScan | None = None) -> None:
        self.text = result.text
        self.lang = result.lang
        self.norm, self.index = normalize_indexed(result.text)
        self.hits = PhraseHits(self.norm, scan) if scan is not None else None
        self.sentences = result.sentences or ((0, len(result.text)),)
        self.sentence_starts = [s for s, _ in self.sentences]
        self.clauses = tuple(self._split_clauses())
        self.clause_starts = [c.start for c in self.clauses]  # clause_at runs per mention

    def _norm_pos(self, original: int) -> int:
        """Return the position in the normalised text of an original offset."""
        return int(np.searchsorted(self.index, original, side="left"))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised ``[start, end)`` back to original offsets."""
        return int(self.index[start]), int(self.index[end - 1]) + 1

    def _cuts(self, a: int, b: int) -> list[int]:
        """Return the normalised ends of the clause boundaries within ``[a, b)``."""
        cuts = [m.end() for m in _boundaries(self.lang).finditer(self.norm, a, b)]
        coordination = _coordination(self.lang)
        if coordination is not None:
            for m in coordination.finditer(self.norm, a, b):
                floor = max([a, *(c for c in cuts if c <= m.start())])
                comma = self.norm.rfind(",", floor, m.start())
                if comma < 0 or len(_WORD.findall(self.norm, comma, m.start())) > _LIST_WORDS:
                    cuts.append(m.end())
        return sorted(set(cuts))

    def _split_clauses(self) -> list[Clause]:
        """Cut every sentence at its clause boundaries."""
        out: list[Clause] = []
        for i, (s, e) in enumerate(self.sentences):
            a, b = self._norm_pos(s), self._norm_pos(e)
            cut = s
            for end in self._cuts(a, b):
                stop = int(self.index[end - 1]) + 1
                if stop > cut:
                    out.append(Clause(start=cut, end=stop, sentence=i))
                    cut = stop
            if e > cut:
                out.append(Clause(start=cut, end=e, sentence=i))
        return out

    def find(self, pattern: re.Pattern[str], start: int = 0, end: int | None = None) -> (
        list[tuple[int, int]]
    ):
        """Return the original ``(start, end)`` of every match within the span."""
        a = self._norm_pos(start)
        b = len(self.norm) if end is None else self._norm_pos(end)
        return [self.original(m.start(), m.end()) for m in pattern.finditer(self.norm, a, b)
                if m.end() > m.start()]

    def phrase_spans(self, phrases: tuple[str, ...], org: str | None = None, *,
                     start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Return the original ``(start, end)`` of every match of a phrase list within
        the span (the whole text by default), as :meth:`find` with its compiled pattern:
        read from the one scan when it covered the list, else scanned now."""
        found = None
        if self.hits is not None:
            a = self._norm_pos(start)
            found = self.hits.spans(phrases, org, a, None if end is None
                                    else self._norm_pos(end))
        if found is None:
            return self.find(compile_phrases(phrases, org), start, end)
        return [self.original(s, e) for s, e in found]

    def span(self, start: int, end: int) -> Span:
        """Return the :class:`Span` of ``text[start:end]``, trimmed of white space."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Span(start=start, end=end, text=self.text[start:end])

    def clause_at(self, offset: int) -> Clause:
        """Return the clause containing ``offset``."""
        return self.clauses[self.clause_index(offset)]

    def clause_index(self, offset: int) -> int:
        """Return the index in :attr:`clauses` of the clause containing ``offset``."""
        return max(0, bisect_right(self.clause_starts, offset) - 1)

    def sentence_index(self, offset: int) -> int:
        """Return the index in :attr:`sentences` of the sentence at (or before) ``offset``."""
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def words(self, start: int, end: int) -> list[str]:
        """Return the normalised words between two original offsets, punctuation dropped."""
        a, b = sorted((start, end))
        return _WORD.findall(self.norm, self._norm_pos(a), self._norm_pos(b))

    def words_between(self, start: int, end: int) -> int:
        """Return how many words lie between two original offsets (punctuation standing
        alone, "/" or "—", is no word)."""
        a, b = sorted((start, end))
        return sum(1 for token in self.text[a:b].split() if _WORD.search(token))
