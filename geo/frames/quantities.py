"""Numbers and explicit dates in Arabic, French and English text.

"25 ألفا", "٢٥ ألف", "أربعون ألف جندي", "خمسة وعشرون ألفا", "40,000",
"40 000", "quarante mille", "vingt-cinq mille", "quatre-vingt-quinze mille",
"nonante mille", "forty thousand" and "1.5 million" all come out as integers
with the offsets of their text (:func:`find_quantities`). The number words
live in ``geo/data/frames/numbers.yaml``.

"12 March 2012", "March 12, 2012", "le 1er mars 2012", "في 12 آذار 2012",
"2012-03-12" and "in April 2013" come out as ISO 8601 dates (``2012-03-12``,
or ``2013-04`` when only month and year are given) with :func:`find_dates`;
month names live in ``geo/data/frames/months.yaml``. Numbers inside a date
(its day) are not quantities.

Trade-off: numbers are read left to right with additive small words, a
multiplying "hundred", closing scales and a few fixed compounds
("quatre-vingt" is 80, not 4 + 20); this covers troop and refugee counts as
written in news, not arbitrary numerals. A date without a year ("le 3 mars",
"on 12 March", "في ٣ مارس") is read only against a ``reference`` day (the
report's date): it is the latest such day not more than
:data:`YEARLESS_AHEAD_DAYS` after it, so a report of 2 December 2024 saying
"on 3 March" means 3 March 2024. Numeric forms such as "12/03/2012" are not
read (day-month or month-day depends on the writer). Arabic-Indic digits
("٣ مارس ٢٠٢٤") are digits like any other.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from geo.lexicon import LANGS, lexicon
from geo.normalize import normalize_indexed, normalize_key

#: Digits with optional thousands separators (comma, dot, space) or a decimal part.
_TOKEN = re.compile(r"\d{1,3}(?:[,. ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?|\w+")
_YEARS = range(1900, 2101)
#: A yearless date up to this many days after the report is announced (planned), not last year's.
YEARLESS_AHEAD_DAYS = 31
#: ISO 8601 calendar dates, read on the original text (normalisation turns "-" into " ").
_ISO_DATE = re.compile(r"(?<![\w-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])")


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
        In text order. Bare four-digit years (1900-2100) and the numbers
        inside explicit dates ("12 March 2012") are left out.
    """
    end = len(text) if end is None else end
    norm, index = normalize_indexed(text[start:end])
    table = lexicon("numbers").get(lang, lexicon("numbers")["en"])
    found = [q for q in _read_numbers(norm, table, lang) if q[0] > 0]
    dates = _read_dates(text, lang, start, end, None)  # impossible dates too: "31" is no strength
    out = (Quantity(value=v, start=start + int(index[s]), end=start + int(index[e - 1]) + 1)
           for v, s, e in found if not (v in _YEARS and re.fullmatch(r"\d{4}", norm[s:e])))
    return tuple(q for q in out if not any(s < q.end and q.start < e for s, e, _ in dates))


@lru_cache(maxsize=4)
def _compounds(lang: str) -> dict[tuple[str, ...], float]:
    """Return the fixed multi-word numbers of ``lang`` ("quatre vingt" -> 80)."""
    table = lexicon("numbers").get(lang, lexicon("numbers")["en"])
    return {tuple(normalize_key(k).split()): float(v)
            for k, v in (table.get("compounds") or {}).items()}


def _compound(tokens: Sequence[re.Match[str]], i: int, norm: str,
              compounds: Mapping[tuple[str, ...], float]) -> tuple[int, float] | None:
    """Return (number of tokens, value) of a compound starting at ``tokens[i]``."""
    for size in sorted({len(k) for k in compounds}, reverse=True):
        words = tokens[i:i + size]
        if len(words) == size and all(not norm[a.end():b.start()].strip()
                                      for a, b in pairwise(words)):
            value = compounds.get(tuple(w.group() for w in words))
            if value is not None:
                return size, value
    return None


def _read_numbers(norm: str, table: Mapping[str, Any], lang: str = "") -> (
    Iterator[tuple[int, int, int]]
):
    """Yield (value, start, end) over normalised text."""
    compounds = _compounds(lang) if lang else {}
    joiners = set(table.get("joiners", ()))
    tokens = list(_TOKEN.finditer(norm))
    reader = _Reader()
    i = 0
    while i < len(tokens):
        match, width = tokens[i], 1
        token = match.group()
        # Punctuation ends a number; a joiner does not ("soixante et onze", "hundred and ten").
        if reader.used and not set(norm[reader.end:match.start()].split()) <= joiners:
            yield reader.value, reader.start, reader.end
            reader = _Reader()
        kind_value: tuple[str, float] | None
        if token[0].isdigit():
            kind_value = ("small", _digits(token))
            if reader.used:  # two digit groups in a row are two numbers
                yield reader.value, reader.start, reader.end
                reader = _Reader()
        elif (compound := _compound(tokens, i, norm, compounds)) is not None:
            width, kind_value = compound[0], ("small", compound[1])
        else:
            kind_value = _word_value(token, table)
        if kind_value is not None:
            reader.feed(*kind_value, match.start(), tokens[i + width - 1].end())
        elif token not in table.get("joiners", ()) and reader.used:
            yield reader.value, reader.start, reader.end
            reader = _Reader()
        i += width
    if reader.used:
        yield reader.value, reader.start, reader.end


@dataclass(frozen=True, slots=True, kw_only=True)
class TextDate:
    """An explicit date in a text: ISO 8601 ``value``, ``text[start:end]`` its surface.

    ``value`` is ``YYYY-MM-DD``, or ``YYYY-MM`` when the text gives only a
    month and a year ("in April 2013").
    """

    value: str
    start: int
    end: int


@lru_cache(maxsize=4)
def _months(lang: str) -> dict[str, int]:
    """Return normalised month name -> month number for ``lang`` (all languages if unknown)."""
    table = lexicon("months")
    langs = (lang,) if lang in table else LANGS
    return {normalize_key(name): int(month) for code in langs
            for month, names in table[code].items() for name in names}


@lru_cache(maxsize=4)
def _date_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Return the (full date, month and year, day and month) patterns over normalised text."""
    names = sorted(_months(lang), key=len, reverse=True)
    one = "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?!\w)\.?"
    # "12 آذار (مارس) 2012", "12 mars/آذار 2012": a second name for the same month.
    month = rf"(?P<month>{one})(?:\s*[/(]\s*{one}\s*\)?)?"
    day = r"(?<![\w.,])(?P<day>\d{1,2})(?:er|st|nd|rd|th)?"
    year = r"(?P<year>\d{4})(?!\d)"
    full = (rf"{day}\s+(?:of\s+|من\s+)?{month},?\s+{year}"
            rf"|(?<!\w){month.replace('?P<month>', '?P<month2>')}\s+"
            rf"{day.replace('?P<day>', '?P<day2>')},?\s+{year.replace('?P<year>', '?P<year2>')}")
    # No year after it: "le 3 mars, des hommes...", "on March 3 gunmen...".
    no_year = r"(?!,?\s+\d)"
    yearless = (rf"{day}\s+(?:of\s+|من\s+)?{month}{no_year}"
                rf"|(?<!\w){month.replace('?P<month>', '?P<month2>')}\s+"
                rf"{day.replace('?P<day>', '?P<day2>')}(?!\d){no_year}")
    return (re.compile(full), re.compile(rf"(?<!\w){month},?\s+{year}"),
            re.compile(yearless))


def _iso(year: str, month: int, day: str | None) -> str | None:
    """Return the ISO form of a calendar date, ``None`` if it does not exist."""
    try:
        value = datetime.date(int(year), month, int(day) if day else 1)
    except ValueError:
        return None
    if value.year not in _YEARS:
        return None
    return value.isoformat() if day else value.isoformat()[:7]


def _month_number(surface: str, lang: str) -> int:
    return _months(lang)[" ".join(surface.rstrip(".").split())]


def find_dates(text: str, lang: str, *, start: int = 0, end: int | None = None,
               reference: datetime.date | None = None) -> tuple[TextDate, ...]:
    """Return the explicit dates written in ``text[start:end]``.

    Parameters
    ----------
    text : str
        The whole document (offsets refer to it).
    lang : str
        ``ar``, ``fr`` or ``en``: which month names to read (all if unknown).
    start, end : int, optional
        The span to search, e.g. one sentence.
    reference : datetime.date, optional
        The report's day: dates without a year are read against it (and
        left out without it).

    Returns
    -------
    tuple of TextDate
        In text order; impossible dates ("31 February") and years outside
        1900-2100 are left out.
    """
    end = len(text) if end is None else end
    found = _read_dates(text, lang, start, end, reference)
    return tuple(TextDate(value=v, start=s, end=e) for s, e, v in found if v)


def _read_dates(text: str, lang: str, start: int, end: int,
                reference: datetime.date | None) -> list[tuple[int, int, str | None]]:
    """Return (start, end, ISO value or None if impossible) of date-shaped spans, sorted."""
    norm, index = normalize_indexed(text[start:end])
    full, partial, yearless = _date_patterns(lang)
    found: list[tuple[int, int, str | None]] = [
        (m.start(), m.end(), _iso(m[1], int(m[2]), m[3]))
        for m in _ISO_DATE.finditer(text, start, end)]
    spans: list[tuple[int, int, str | None]] = []
    for m in full.finditer(norm):
        month = _month_number(m["month"] or m["month2"], lang)
        spans.append((m.start(), m.end(), _iso(m["year"] or m["year2"], month,
                                                m["day"] or m["day2"])))
    for m in partial.finditer(norm):
        if not any(s < m.end() and m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), _iso(m["year"], _month_number(m["month"], lang),
                                                    None)))
    if reference is not None:
        for m in yearless.finditer(norm):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                month = _month_number(m["month"] or m["month2"], lang)
                spans.append((m.start(), m.end(),
                              _nearest_before(reference, month, int(m["day"] or m["day2"]))))
    found += [(start + int(index[s]), start + int(index[e - 1]) + 1, v) for s, e, v in spans]
    return sorted(found, key=lambda d: d[0])


def _nearest_before(reference: datetime.date, month: int, day: int) -> str | None:
    """The ISO day ``month``/``day`` nearest before ``reference`` (a little after allowed)."""
    horizon = reference + datetime.timedelta(days=YEARLESS_AHEAD_DAYS)
    for year in (horizon.year, horizon.year - 1, horizon.year - 2):  # 29 February: leap years
        value = _iso(str(year), month, str(day))
        if value is not None and datetime.date.fromisoformat(value) <= horizon:
            return value
    return None
