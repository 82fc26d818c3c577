"""Every phrase list of the frame lexicon found in one pass over a document.

Frame triggers, actor names, coreference terms, exclusion and status cues are
lists of phrases, each compiled to one alternation (:func:`geo.lexicon.compile_phrases`).
Scanning the text once per list tried every phrase of every list at every word
(about a hundred scans of the whole text). :class:`PhraseScan` instead puts a
literal of each phrase (:func:`geo.lexicon.phrase_anchor`) into one Aho-Corasick
automaton; one pass over the text finds where any literal stands, and a list's
pattern is tried only there. :class:`PhraseHits` holds the result, read by list.

The hits of a list are exactly those of ``pattern.finditer`` over the whole
normalised text: every match holds one of the list's literals, so the places
tried include every place a match starts; trying them in text order and
skipping those inside the previous hit is what ``finditer`` does. Trade-off: a
list with a phrase that opens with a gap or an organisation name has no
literal to look for and is scanned on its own, as before.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache

import ahocorasick

from geo.lexicon import compile_phrases, phrase_anchor

#: A phrase list as :func:`geo.lexicon.compile_phrases` takes it: phrases and the
#: pattern an ``{org}`` placeholder stands for.
PhraseList = tuple[tuple[str, ...], str | None]
_NON_WORD = re.compile(r"\W")


class PhraseScan:
    """The automaton of the literals of some phrase lists (built once per set of lists).

    Each automaton key maps to ``(length, lead, lists)``: a literal that must start a
    word (``lead`` 0) is stored behind a space, one of an Arabic word that clitics may
    precede (``lead`` characters at most) is stored bare.
    """

    def __init__(self, lists: Iterable[PhraseList]) -> None:
        self.lists = tuple(dict.fromkeys(lists))
        self.patterns = tuple(compile_phrases(phrases, org) for phrases, org in self.lists)
        self.position = {key: i for i, key in enumerate(self.lists)}
        keys: dict[tuple[str, int], set[int]] = {}
        alone: list[int] = []
        for i, (phrases, _) in enumerate(self.lists):
            anchors = [phrase_anchor(p) for p in phrases]
            if any(a is None for a in anchors):
                alone.append(i)
                continue
            for literal, lead in (a for a in anchors if a is not None):
                keys.setdefault((_blank(literal), lead), set()).add(i)
        self.alone = tuple(alone)
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for (literal, lead), ids in keys.items():
            key = literal if lead else " " + literal
            self.automaton.add_word(key, (len(key), lead, tuple(sorted(ids))))
        if keys:
            self.automaton.make_automaton()

    def starts(self, norm: str) -> list[set[int]]:
        """Return, per list, the offsets of ``norm`` where one of its literals allows a
        match to start (word starts only)."""
        out: list[set[int]] = [set() for _ in self.lists]
        if not len(self.automaton):
            return out
        # Non-word characters become spaces (one for one, offsets kept) and a space goes
        # in front: a space before an offset of ``padded`` marks a word start of ``norm``.
        padded = " " + _NON_WORD.sub(" ", norm)
        for end, (size, lead, ids) in self.automaton.iter(padded):
            first = end - size + 1  # in ``padded``: the key's space, or the literal
            if not lead:
                found: Iterable[int] = (first,)
            else:
                literal = first - 1  # the literal's offset in ``norm``
                found = [p for p in range(max(0, literal - lead), literal + 1)
                         if padded[p] == " "]
            for i in ids:
                out[i].update(found)
        return out


@lru_cache(maxsize=8)
def phrase_scan(lists: tuple[PhraseList, ...]) -> PhraseScan:
    """Return the scan of ``lists`` (cached: one automaton per language's lists)."""
    return PhraseScan(lists)


def _blank(literal: str) -> str:
    """``literal`` as it reads in the text with non-word characters made spaces."""
    return _NON_WORD.sub(" ", literal)


class PhraseHits:
    """The hits of every list of a :class:`PhraseScan` in one normalised text.

    Hits are ``(start, end)`` offsets into the normalised text, in text order,
    the same as ``compile_phrases(phrases, org).finditer(norm, start, end)``
    gives: the whole text's are found at once, a span's (a clause, the words
    before a place) when asked, trying the list only where the scan found one of
    its literals.
    """

    def __init__(self, norm: str, scan: PhraseScan) -> None:
        self._norm = norm
        self._scan = scan
        # Offsets as a typed array: a long text has millions of them.
        self._starts = [array("q", sorted(found)) for found in scan.starts(norm)]
        self._hits = [_matches(norm, pattern, self._starts[i], len(norm))
                      for i, pattern in enumerate(scan.patterns)]
        for i in scan.alone:
            self._hits[i] = _scanned(norm, scan.patterns[i], 0, len(norm))

    def spans(self, phrases: tuple[str, ...], org: str | None = None, start: int = 0,
              end: int | None = None) -> list[tuple[int, int]] | None:
        """The hits of a list within ``[start, end)`` (the whole text by default), or
        None when the scan did not include the list."""
        i = self._scan.position.get((phrases, org))
        if i is None:
            return None
        if start == 0 and end is None:
            return self._hits[i]
        end = len(self._norm) if end is None else end
        pattern = self._scan.patterns[i]
        if i in self._scan.alone:
            return _scanned(self._norm, pattern, start, end)
        starts = self._starts[i]
        inside = starts[bisect_left(starts, start):bisect_left(starts, end)]
        return _matches(self._norm, pattern, inside, end)


def _matches(norm: str, pattern: re.Pattern[str], starts: Sequence[int],
             end: int) -> list[tuple[int, int]]:
    """``pattern``'s hits in ``norm[:end]``, trying it only at ``starts`` (sorted): the
    first match at or after the end of the previous hit, as ``finditer`` takes them. No
    match is empty: each holds a literal."""
    out: list[tuple[int, int]] = []
    after = 0
    for start in starts:
        if start < after:
            continue
        found = pattern.match(norm, start, end)
        if found is None:
            continue
        out.append((start, found.end()))
        after = found.end()
    return out


def _scanned(norm: str, pattern: re.Pattern[str], start: int,
             end: int) -> list[tuple[int, int]]:
    """``pattern``'s non-empty hits in ``norm[start:end]`` by a scan of its own."""
    return [m.span() for m in pattern.finditer(norm, start, end) if m.end() > m.start()]
