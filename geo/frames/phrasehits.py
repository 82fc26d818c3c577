"""Every phrase list of the frame lexicon found in one pass over a document.

Frame triggers, actor names, coreference terms, exclusion and status cues are
lists of phrases, each compiled to one alternation (:func:`geo.lexicon.compile_phrases`).
Scanning the text once per list tried every phrase of every list at every word
(about a hundred scans of the whole text). :class:`PhraseScan` instead puts a
literal of each phrase (:func:`geo.lexicon.phrase_anchor`) into one Aho-Corasick
automaton; one pass over the text finds where any literal stands, and a list's
pattern is tried only there. :class:`PhraseHits` holds the result, read by list
for the whole text or for a span (a clause, the words before a place).

The hits of a list are exactly those of ``pattern.finditer`` over the
normalised text (or a span of it): every match holds one of the list's
literals, so the places tried include every place a match starts; trying them
in text order and skipping those inside the previous hit is what ``finditer``
does. Trade-off: a list with a phrase that opens with a gap or an organisation
name has no literal to look for and is scanned on its own, as before.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain

import ahocorasick

from geo.lexicon import compile_phrases, phrase_anchor

#: A phrase list as :func:`geo.lexicon.compile_phrases` takes it: phrases and the
#: pattern an ``{org}`` placeholder stands for.
PhraseList = tuple[tuple[str, ...], str | None]
_NON_WORD = re.compile(r"\W")


class PhraseScan:
    """The automaton of the literals of some phrase lists (built once per set of lists).

    Each automaton key maps to ``(length, lead, group)``: a literal that must start a
    word (``lead`` 0) is stored behind a space, one of an Arabic word that clitics may
    precede (``lead`` characters at most) is stored bare; ``group`` numbers the set of
    lists holding the literal (``groups``), so a common word ("in", "من") shared by
    many lists is noted once per occurrence.
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
        members = {key: tuple(sorted(ids)) for key, ids in keys.items()}
        groups = {ids: g for g, ids in enumerate(dict.fromkeys(members.values()))}
        #: For each list, the groups of lists that hold one of its literals.
        self.groups_of: list[list[int]] = [[] for _ in self.lists]
        for group, g in groups.items():
            for i in group:
                self.groups_of[i].append(g)
        self.group_count = len(groups)
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for (literal, lead), group in members.items():
            key = literal if lead else " " + literal
            self.automaton.add_word(key, (len(key), lead, groups[group]))
        if keys:
            self.automaton.make_automaton()

    def starts(self, norm: str) -> list[array[int]]:
        """Return, per group of lists, the offsets of ``norm`` where one of the group's
        literals allows a match to start (word starts only; unsorted, maybe repeated).
        Typed arrays: a long text has millions of them."""
        out: list[array[int]] = [array("q") for _ in range(self.group_count)]
        if not len(self.automaton):
            return out
        # Non-word characters become spaces (one for one, offsets kept) and a space goes
        # in front: a space before an offset of ``padded`` marks a word start of ``norm``.
        padded = " " + _NON_WORD.sub(" ", norm)
        for end, (size, lead, group) in self.automaton.iter(padded):
            first = end - size + 1  # in ``padded``: the key's space, or the literal
            if not lead:
                out[group].append(first)
                continue
            literal = first - 1  # the literal's offset in ``norm``
            floor = max(0, literal - lead)
            word = padded.rfind(" ", floor, literal + 1)
            while word >= 0:  # every word start within ``lead`` before the literal
                out[group].append(word)
                word = padded.rfind(" ", floor, word)
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
    gives, for the whole text (kept once found) or a span (a clause, the words
    before a place). A list is tried only where the one pass found one of its
    literals; nothing is tried for a list until it is asked for.
    """

    def __init__(self, norm: str, scan: PhraseScan) -> None:
        self._norm = norm
        self._scan = scan
        self._found = scan.starts(norm)
        # A list's offsets are sorted when it is first asked for, its hits in the whole
        # text found then too: many lists (role cues such as "in", "من") are only ever
        # looked for near a trigger.
        self._starts: dict[int, array[int]] = {}
        self._hits: dict[int, list[tuple[int, int]]] = {}

    def spans(self, phrases: tuple[str, ...], org: str | None = None, start: int = 0,
              end: int | None = None) -> list[tuple[int, int]] | None:
        """The hits of a list within ``[start, end)`` (the whole text by default), or
        None when the scan did not include the list."""
        i = self._scan.position.get((phrases, org))
        if i is None:
            return None
        whole = start == 0 and end is None
        if whole and i in self._hits:
            return self._hits[i]
        end = len(self._norm) if end is None else end
        pattern = self._scan.patterns[i]
        if i in self._scan.alone:
            found = _scanned(self._norm, pattern, start, end)
        else:
            starts = self._list_starts(i)
            inside = starts[bisect_left(starts, start):bisect_left(starts, end)]
            found = _matches(self._norm, pattern, inside, end)
        if whole:
            self._hits[i] = found
        return found

    def _list_starts(self, i: int) -> array[int]:
        """The sorted offsets where list ``i`` may match (its groups' offsets merged)."""
        if i not in self._starts:
            groups = (self._found[g] for g in self._scan.groups_of[i])
            self._starts[i] = array("q", sorted(set(chain.from_iterable(groups))))
        return self._starts[i]


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
