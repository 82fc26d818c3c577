"""Language identification (ar/fr/en) and sentence spans.

Both are deliberately simple and linear in the text size: Arabic is told by
its script, French from English by function-word counts. That is all the
geoparser needs to pick normalisation and casing rules; it is not a general
language identifier.
"""

from __future__ import annotations

import re

LANGUAGES = ("ar", "fr", "en")

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "une",
        "est",
        "et",
        "dans",
        "pour",
        "que",
        "qui",
        "sur",
        "au",
        "aux",
        "avec",
        "pas",
        "par",
        "ces",
        "cette",
        "sont",
        "été",
        "ont",
        "sa",
        "ses",
        "leur",
        "leurs",
        "selon",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "with",
        "on",
        "was",
        "were",
        "are",
        "by",
        "from",
        "this",
        "have",
        "has",
        "said",
        "their",
        "which",
        "its",
        "at",
    ]
)
# A sentence ends at . ! ? ؟ or … followed by space, or at a line break.
#: Words that end with a full stop inside a sentence in news copy: initials ("U.N.",
#: "U.S."), months, titles and ranks (English and French).
_ABBREVIATION = re.compile(
    r"(?:(?<![\w.])(?:[A-Z]\.){1,3}|\b(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|"
    r"Gen|Col|Lt|Sgt|Capt|Maj|Gov|Sen|Rep|Pres|Prof|St|No|vs|etc|Mme|Mlle|Me|Mgr|Cdt|janv|"
    r"févr|avr|juil|sept|oct|nov|déc)\.)$")
#: A sentence end: its closing mark, then (group ``gap``) the quotes and brackets
#: after it and the white space that follows; or a run of line breaks. The regex
#: starts at the mark rather than looking behind for one at every character, so
#: the engine skips straight from one mark or line break to the next.
_SENTENCE_END = re.compile(r"[.!?؟…](?P<gap>[\"'»”)\]]*\s+)|\n+")


def detect_language(text: str, *, sample: int = 20000) -> str:
    """Return ``"ar"``, ``"fr"`` or ``"en"`` for ``text``.

    Parameters
    ----------
    text : str
        Any text; only its first ``sample`` characters are read.
    sample : int
        How many characters to look at.

    Returns
    -------
    str
        ``"ar"`` when Arabic letters make up at least 30% of the letters,
        else ``"fr"`` when French function words outnumber English ones, else
        ``"en"`` (also for empty text).
    """
    head = text[:sample]
    arabic = len(_ARABIC.findall(head))
    latin = len(_LATIN.findall(head))
    if arabic and arabic >= 0.3 * (arabic + latin):
        return "ar"
    words = re.findall(r"[a-zà-ÿ]+", head.lower())
    fr = sum(1 for w in words if w in _FR_WORDS)
    en = sum(1 for w in words if w in _EN_WORDS)
    return "fr" if fr > en else "en"


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Split ``text`` into sentence spans ``(start, end)`` without white space.

    Spans are ``str`` offsets into ``text``, cover every non-blank character
    and never overlap.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        gap = match.start("gap")
        end = gap if gap >= 0 else match.start()  # after the mark, or at the line break
        if _abbreviation(text, end):
            continue
        _add_span(text, start, end, spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return tuple(spans)


def _abbreviation(text: str, end: int) -> bool:
    """Whether the full stop ending at ``end`` closes an abbreviation ("the U.N. Office",
    "an Aug. 4 airstrike", "Lt. Col. Badjeck", "M. Macron"), not a sentence.

    Trade-off: a sentence that ends with one ("... left the U.S. Then ...") runs on into
    the next; news copy puts these inside sentences far more often than at their end.
    """
    found = _ABBREVIATION.search(text, max(0, end - 12), end)
    return found is not None


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append ``text[start:end]`` stripped of surrounding white space, if any."""
    # str.strip removes exactly the characters str.isspace accepts.
    piece = text[start:end]
    kept = piece.strip()
    if kept:
        first = start + len(piece) - len(piece.lstrip())
        spans.append((first, first + len(kept)))
