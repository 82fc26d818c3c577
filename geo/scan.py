"""The geoparser's loops that run per character or per raw match.

:func:`fold_words` turns a text into the form the matcher scans, and every
raw match of the name automaton passes through :func:`word_matches` (tens of
thousands per megabyte of English, most of them common words that are also
place names: "to", "said"). Everything after them runs per candidate. They
are plain Python here; ``scan.pxd`` gives Cython C types for them
(``setup.py`` compiles both), so compiled they are C loops with no Python
object per character and none per match beyond the automaton's own tuples.
Trade-off: one loop for short and long texts alike, where the numpy code it
replaces paid a few dozen array calls per text (most of the cost of a
one-paragraph text) to be quick on megabytes.
"""

from __future__ import annotations

from typing import Any, Protocol


class Ints(Protocol):
    """Integers by position: a list, a ``memoryview`` or a numpy array (the
    compiled functions take the latter two as C arrays)."""

    def __getitem__(self, index: int, /) -> Any: ...


class MutableInts(Ints, Protocol):
    """:class:`Ints` that can be written."""

    def __setitem__(self, index: int, value: int, /) -> None: ...


def word_matches(
    automaton: Any,
    words: str,
    text: str,
    offsets: Ints,
    lengths: Ints,
    lower_ok: Ints | None,
    prefix_endings: frozenset[str],
) -> list[tuple[int, int, int]]:
    """Every automaton match in ``words`` as ``(end, value, name_start)``, in
    the automaton's order, less those that cannot start a name.

    Dropped: matches whose first letter in ``text`` is a lower-case ASCII
    letter when no name behind the pattern may be written so (``lower_ok``
    flags those patterns, None: none may); whole words matched only as their
    elided form (negative value); and matches inside a word after a letter
    that ends no proclitic (``prefix_endings``).

    Parameters
    ----------
    automaton : ahocorasick.Automaton
        Values are pattern numbers + 1, negative for an elided article form.
    words : str
        The normalised text with non-word characters as spaces, padded with
        a space at both ends (``words[-1]`` is a space).
    text : str
        The original text; ``offsets[i]`` is the index in it of ``words[i]``.
    lengths : sequence of int
        Length of each pattern's key.
    """
    out: list[tuple[int, int, int]] = []
    for end, value in automaton.iter(words):
        pattern = (value if value > 0 else -value) - 1
        start = end - lengths[pattern] + (1 if value < 0 else 0)
        first = text[offsets[start]]
        if "a" <= first <= "z" and (lower_ok is None or not lower_ok[pattern]):
            continue
        before = words[start - 1]  # a match at 0 reads words[-1], a space
        if before == " ":
            if value < 0:
                continue  # the elided form stands only after a proclitic
        elif before not in prefix_endings:
            continue
        out.append((end, value, start))
    return out


def fold_words(
    text: str,
    kinds: Ints,
    folds: Ints,
    wordy: Ints,
    words: MutableInts,
    source: MutableInts,
) -> int:
    """Write the matcher's form of ``text`` (see :func:`geo.normalize.scan_form`)
    into ``words`` (code points) and ``source`` (index in ``text`` of each),
    one character at a time from the folding tables; return how many
    characters ``words`` holds, or -1 if a character is not in the tables as
    one folding to exactly one (then the caller's general path takes over).

    ``words`` and ``source`` have room for ``len(text) + 2`` and
    ``len(text) + 1``: the form starts and ends with a space, and the first
    maps to 0. A C loop once compiled; :mod:`geo.normalize` calls it only
    then (as Python, its array version is the faster).
    """
    words[0] = 32
    source[0] = 0
    n = 1
    last_space = True
    for i, ch in enumerate(text):
        cp = ord(ch)
        kind = kinds[cp]
        if kind == 0:
            continue  # dropped (diacritics, direction marks)
        if kind != 1:
            return -1
        folded = folds[cp]
        if folded == 32:
            if last_space:
                continue  # a run of white space keeps its first character
            last_space = True
        else:
            last_space = False
        words[n] = folded if wordy[cp] else 32
        source[n] = i
        n += 1
    words[n] = 32
    return n + 1
