"""Numbers in Arabic, French and English text: digits and number words.

"25 ألفا", "٢٥ ألف", "أربعون ألف جندي", "خمسة وعشرون ألفا", "40,000",
"40 000", "quarante mille", "vingt-cinq mille", "forty thousand" and
"1.5 million" all come out as integers with the offsets of their text. The
number words live in ``geo/data/frames/numbers.yaml``.

Trade-off: numbers are read left to right with additive small words, a
multiplying "hundred" and closing scales; this covers troop and refugee
counts as written in news, not arbitrary numerals ("quatre-vingt-dix" reads
as 4 + 20 + 10, which is why French 70-99 are not in the word list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from geo.lexicon import lexicon
from geo.normalize import normalize

#: Digits with optional thousands separators (comma, dot, space) or a decimal part.
_TOKEN = re.compile(r"\d{1,3}(?:[,. ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?|\w+")
_YEARS = range(1900, 2101)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A number found in a text, with ``text[start:end]`` its surface."""

    value: int
    start: int
    end: int


def _digits(token: str) -> float:
    """Return the value of a digit token ("40,000", "40 000", "1.5", "٢٥")."""
    if re.fullmatch(r"\d{1,3}(?:[,. ]\d{3})+", token):
        return float(re.sub(r"\D", "", token))
    return float(token.replace(",", "."))


def _word_value(word: str, table: Mapping[str, Any]) -> tuple[str, float] | None:
    """Classify a number word as ('small'|'hundred'|'scale', value) or None."""
    for candidate in (word, word[1:] if word[:1] in table.get("joiners", ()) else None):
        if not candidate:
            continue
        if candidate in table["small"]:
            return "small", float(table["small"][candidate])
        if candidate in table["hundred"]:
            return "hundred", 100.0
        if candidate in table["scales"]:
            return "scale", float(table["scales"][candidate])
    return None


class _Reader:
    """Accumulates one number token by token ("quarante" "mille" -> 40000)."""

    def __init__(self) -> None:
        self.total = 0.0
        self.current = 0.0
        self.start = -1
        self.end = -1
        self.used = False

    def feed(self, kind: str, value: float, start: int, end: int) -> None:
        if self.start < 0:
            self.start = start
        self.end, self.used = end, True
        if kind == "small":
            self.current += value
        elif kind == "hundred":
            self.current = max(self.current, 1.0) * value
        else:  # a scale closes the group: "خمسة وعشرون ألفا"
            self.total += max(self.current, 1.0) * value
            self.current = 0.0

    @property
    def value(self) -> int:
        return round(self.total + self.current)


def find_quantities(text: str, lang: str, *, start: int = 0, end: int | None = None) -> (
    tuple[Quantity, ...]
):
    """Return the numbers written in ``text[start:end]``.

    Parameters
    ----------
    text : str
        The whole document (offsets refer to it).
    lang : str
        ``ar``, ``fr`` or ``en``: which number words to read.
    start, end : int, optional
        The span to search, e.g. one clause.

    Returns
    -------
    tuple of Quantity
        In text order. Bare four-digit years (1900-2100) are left out.
    """
    end = len(text) if end is None else end
    norm, index = normalize(text[start:end])
    table = lexicon("numbers").get(lang, lexicon("numbers")["en"])
    found = [q for q in _read_numbers(norm, table) if q[0] > 0]
    return tuple(
        Quantity(value=v, start=start + index[s], end=start + index[e - 1] + 1)
        for v, s, e in found
        if not (v in _YEARS and re.fullmatch(r"\d{4}", norm[s:e]))
    )


def _read_numbers(norm: str, table: Mapping[str, Any]) -> Iterator[tuple[int, int, int]]:
    """Yield (value, start, end) over normalised text."""
    reader = _Reader()
    for match in _TOKEN.finditer(norm):
        token = match.group()
        if reader.used and norm[reader.end:match.start()].strip():  # punctuation ends a number
            yield reader.value, reader.start, reader.end
            reader = _Reader()
        if token[0].isdigit():
            kind_value: tuple[str, float] | None = ("small", _digits(token))
            if reader.used:  # two digit groups in a row are two numbers
                yield reader.value, reader.start, reader.end
                reader = _Reader()
        else:
            kind_value = _word_value(token, table)
        if kind_value is not None:
            reader.feed(*kind_value, match.start(), match.end())
        elif token not in table.get("joiners", ()) and reader.used:
            yield reader.value, reader.start, reader.end
            reader = _Reader()
    if reader.used:
        yield reader.value, reader.start, reader.end
