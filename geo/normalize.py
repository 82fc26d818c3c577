"""Text normalisation with an offset map back to the original text.

Gazetteer names and input texts go through the same :func:`normalize_key`
so that matching happens on one canonical form:

* Arabic: diacritics, tatweel and Quranic marks dropped; hamza-carrying alef
  forms (أ إ آ ٱ) to ا; ى to ي; ة to ه; ؤ to و; ئ to ي; Persian/Urdu letter
  variants (ک ی ۀ ہ ھ گ پ چ ژ ڤ) to their Arabic counterparts.
* Latin: case folded, accents stripped (é to e), ligatures expanded (œ to
  oe), typographic apostrophes to ``'``.
* Hyphens, underscores and runs of white space (including bidi marks, which
  are dropped) become one space.

:func:`normalize` also returns, for each output character, the index of the
input character it came from, so a match found in the normalised text maps
back to ``text[start:end]`` exactly.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ARABIC_DIACRITICS = frozenset(
    chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]
)
BIDI_MARKS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\ufeff\u00ad")

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه",
    "ؤ": "و",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ڨ": "ق",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
    "-": " ", "‐": " ", "‑": " ", "–": " ", "_": " ",
    "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss",
}

ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B)) | frozenset("ٱکیۀہھگپچژڤڨ")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Return the normalised form of one character ('' to drop it)."""
    if ch in ARABIC_DIACRITICS or ch in BIDI_MARKS or ch in ZERO_WIDTH:
        return ""
    if ch in _FOLD:
        return _FOLD[ch]
    if ch.isspace():
        return " "
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold() if base else ""


def normalize(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` and map every output character to its source index.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    tuple of (str, list of int)
        The normalised text and, for each of its characters, the index in
        ``text`` of the character that produced it. Runs of white space are
        collapsed to one space, mapped to the first of them.
    """
    out: list[str] = []
    index: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for f in folded:
            if f == " ":
                if last_space:
                    continue
                last_space = True
            else:
                last_space = False
            out.append(f)
            index.append(i)
    return "".join(out), index


def normalize_key(name: str) -> str:
    """Return the canonical matching key of a gazetteer name."""
    return normalize(name)[0].strip()


def is_arabic(ch: str) -> bool:
    """Whether ``ch`` is an Arabic-script letter (after or before folding)."""
    return ch in ARABIC_LETTERS


def has_non_arabic_letters(name: str) -> bool:
    """Whether an Arabic-script name uses Persian/Urdu/Pashto-only letters.

    GeoNames alternate names are untagged; names with these letters are
    Persian or Urdu spellings and are kept out of the Arabic index.
    """
    return any(ch in "پچژگکیۀہھےڈڑںٹۓېۍڅځښږډړټ" for ch in name)
