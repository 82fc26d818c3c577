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

import re
import unicodedata
from functools import lru_cache

import numpy as np

import geo.scan
from geo.compiled import is_compiled
from geo.scan import fold_words

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


class _Folds(dict[str, str]):
    """Fold of every character seen so far (``_fold_char`` behind a plain dict).

    A dict's ``__getitem__`` can be mapped over a string at C speed, which the
    ``lru_cache`` wrapper cannot; the size bound keeps adversarial input (every
    code point once) from growing it without limit.
    """

    def __missing__(self, ch: str) -> str:
        folded = _fold_char(ch)
        if len(self) < _MAX_FOLDS:
            self[ch] = folded
        return folded


_MAX_FOLDS = 1 << 16
_FOLDS = _Folds()
_fold = _FOLDS.__getitem__


class _WordFolds(dict[int, str]):
    """A ``str.translate`` table: the fold of every code point seen so far,
    with what is not a letter or a digit as spaces (bounded like ``_Folds``)."""

    def __missing__(self, cp: int) -> str:
        folded = "".join(ch if ch.isalnum() else " " for ch in _fold(chr(cp)))
        if len(self) < _MAX_FOLDS:
            self[cp] = folded
        return folded


_WORD_FOLDS = _WordFolds()

#: Texts shorter than this take the per-character loop: below it numpy's fixed
#: per-call cost (about a dozen array operations) outweighs the loop.
_VECTOR_MIN = 80
_BMP = 0x10000
# Kind of each code point, learnt on first sight: dropped, folded to exactly one
# BMP character (looked up in _MAP), anything else (expansions such as oe, astral
# characters; handled by the general vector path), or not seen yet.
_DROP, _ONE, _OTHER, _UNSEEN = 0, 1, 2, 3
_KIND = np.full(0x110000, _UNSEEN, dtype=np.uint8)
_MAP = np.arange(_BMP, dtype=np.uint32)
#: Whether a code point of kind _ONE folds to a letter or digit (learnt with _KIND).
_WORDY = np.zeros(_BMP, dtype=bool)
_WORDY_BYTES = _WORDY.view(np.uint8)  # the same table, as the compiled loop reads it
#: Whether scan_form takes geo.scan's loop: only where it runs compiled.
_FOLD_LOOP = is_compiled(geo.scan)
#: What the matcher turns into spaces: anything but a letter or a digit.
_NON_WORD = re.compile(r"[\W_]")


def _learn(codes: np.ndarray) -> None:
    """Fill ``_KIND`` and ``_MAP`` for the code points of ``codes`` not seen yet.

    A set, not ``np.unique``: that imports ``numpy.ma`` on its first call, 30 ms
    (100 ms on a loaded machine) of the first text a process parses; the order of
    learning does not matter (each code point fills its own entries).
    """
    for cp in set(codes[_KIND[codes] == _UNSEEN].tolist()):
        folded = _fold(chr(cp))
        if cp < _BMP and len(folded) == 1:
            _MAP[cp] = ord(folded)
            _WORDY[cp] = folded.isalnum()
        # _MAP is written before _KIND so that a thread reading a learnt kind
        # always finds its mapping in place.
        _KIND[cp] = min(len(folded), _OTHER) if cp < _BMP else _OTHER


def code_points(text: str) -> np.ndarray:
    """Code points of ``text`` (lone surrogates included) as a uint32 array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _fold_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Folded code points of ``text`` and, for each, its source index (no collapsing)."""
    codes = code_points(text)
    kinds = _KIND[codes]
    if kinds.max(initial=_DROP) == _UNSEEN:
        _learn(codes)
        kinds = _KIND[codes]
    if kinds.max(initial=_DROP) == _OTHER:
        folds = list(map(_fold, text))
        widths = np.fromiter(map(len, folds), dtype=np.intp, count=len(folds))
        return code_points("".join(folds)), np.repeat(np.arange(len(text)), widths)
    src = np.flatnonzero(kinds)
    return _MAP[codes[src]], src


def _normalize_vector(text: str) -> tuple[str, np.ndarray]:
    """:func:`normalize` with numpy array operations (fast on long texts)."""
    folded, src = _fold_codes(text)
    # A space is dropped at the start and after another space, so each run of
    # white space keeps its first character, as in _normalize_loop.
    space = np.empty(len(folded) + 1, dtype=bool)
    space[0] = True
    np.equal(folded, ord(" "), out=space[1:])
    keep = ~(space[1:] & space[:-1])
    return folded[keep].tobytes().decode("utf-32-le", "surrogatepass"), src[keep]


def _normalize_loop(text: str) -> tuple[str, list[int]]:
    """:func:`normalize` one character at a time (fast on short texts)."""
    out: list[str] = []
    index: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        for f in _fold(ch):
            if f == " ":
                if last_space:
                    continue
                last_space = True
            else:
                last_space = False
            out.append(f)
            index.append(i)
    return "".join(out), index


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
    if len(text) >= _VECTOR_MIN:
        norm, index = _normalize_vector(text)
        return norm, index.tolist()
    return _normalize_loop(text)


def normalize_indexed(text: str) -> tuple[str, np.ndarray]:
    """:func:`normalize`, with the source indices as a numpy ``int64`` array.

    The matcher's form: a 10 MB text's index costs 80 MB as an array but
    several times that as a list of Python ints.
    """
    if len(text) >= _VECTOR_MIN:
        return _normalize_vector(text)
    norm, index = _normalize_loop(text)
    return norm, np.asarray(index, dtype=np.int64)


def scan_form(text: str) -> tuple[str, np.ndarray]:
    """The form the matcher scans: :func:`normalize_indexed`'s text with every
    character but letters and digits as a space (one for one, not collapsed),
    between two spaces; and the source index of each character but the last
    space (the first maps to 0).

    One pass over the folding tables where the text allows it: the regular
    expression that did the spaces cost as much as the folding itself. The
    compiled geoparser makes that pass a C loop (:func:`geo.scan.fold_words`),
    which beats the array operations on texts of any length.
    """
    if _FOLD_LOOP:
        words = np.empty(len(text) + 2, dtype=np.uint32)
        source = np.empty(len(text) + 1, dtype=np.int64)
        n = fold_words(str(text), _KIND, _MAP, _WORDY_BYTES, words, source)
        if n >= 0:
            return words[:n].tobytes().decode("utf-32-le", "surrogatepass"), source[:n - 1]
    if len(text) >= _VECTOR_MIN:
        codes = code_points(text)
        kinds = _KIND[codes]
        if kinds.max(initial=_DROP) == _UNSEEN:
            _learn(codes)
            kinds = _KIND[codes]
        if kinds.max(initial=_DROP) != _OTHER:
            src = np.flatnonzero(kinds)
            kept = codes[src]
            folded = _MAP[kept]
            space = np.empty(len(folded) + 1, dtype=bool)
            space[0] = True
            np.equal(folded, ord(" "), out=space[1:])
            keep = ~(space[1:] & space[:-1])  # runs of white space keep their first
            kept = kept[keep]
            words = np.full(len(kept) + 2, ord(" "), dtype=np.uint32)
            words[1:-1] = np.where(_WORDY[kept], folded[keep], ord(" "))
            source = np.zeros(len(kept) + 1, dtype=src.dtype)
            source[1:] = src[keep]
            return words.tobytes().decode("utf-32-le", "surrogatepass"), source
    norm, index = normalize_indexed(text)
    return " " + _NON_WORD.sub(" ", norm) + " ", np.concatenate(([0], index))


def normalize_key(name: str) -> str:
    """Return the canonical matching key of a gazetteer name."""
    # Same as normalize(name)[0].strip() without the index: folds only ever
    # produce " " as white space, so split/join collapses exactly those runs.
    return " ".join(fold(name).split())


def folded_words(text: str) -> str:
    """The folded words of ``text``, one space between them: what is left of
    :func:`fold` once every run of characters other than letters and digits
    is one space, without spaces at either end.

    One ``str.translate`` and a split: twice as fast as a regular expression
    over the folded text, and the context checks ask this of the words around
    every candidate.
    """
    return " ".join(text.translate(_WORD_FOLDS).split())


def fold(text: str) -> str:
    """Every character of ``text`` folded, white space left as it comes."""
    return "".join(map(_fold, text))


def is_arabic(ch: str) -> bool:
    """Whether ``ch`` is an Arabic-script letter (after or before folding)."""
    return ch in ARABIC_LETTERS


def has_non_arabic_letters(name: str) -> bool:
    """Whether an Arabic-script name uses Persian/Urdu/Pashto-only letters.

    GeoNames alternate names are untagged; names with these letters are
    Persian or Urdu spellings and are kept out of the Arabic index.
    """
    return any(ch in "پچژگکیۀہھےڈڑںٹۓېۍڅځښږډړټګڼ" for ch in name)
