"""Text normalisation: the fast paths give exactly the reference loop's output."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.normalize
from geo.normalize import (
    _KIND,
    _MAP,
    _OTHER,
    _VECTOR_MIN,
    _WORDY_BYTES,
    _fold_char,
    _learn,
    _normalize_loop,
    _normalize_vector,
    fold,
    folded_words,
    normalize,
    normalize_indexed,
    normalize_key,
    scan_form,
)
from geo.scan import fold_words


def _normalize_reference(text: str) -> tuple[str, list[int]]:
    """The original per-character implementation of :func:`geo.normalize.normalize`."""
    out: list[str] = []
    index: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        for f in _fold_char(ch):
            if f == " ":
                if last_space:
                    continue
                last_space = True
            else:
                last_space = False
            out.append(f)
            index.append(i)
    return "".join(out), index


# Characters each fast path treats specially: Arabic letters, diacritics and
# tatweel, Persian variants, bidi and zero-width marks, expanding ligatures,
# astral characters, every kind of white space, combining accents, hyphens.
TRICKY = (
    "مالي أإآٱ ىةؤئ کیۀہھگپچژڤ \u064e\u064b\u0651\u0652\u0670\u0640 "
    "\u200e\u200f\u202b\u202c\u2067\u2069\u061c \u200b\u200c\u200d\ufeff\u00ad "
    "œŒæÆß ﬁ 한 \U0001F600\U0001D400 \t\n\r\u00a0\u2003\u3000 e\u0301 É ’‘`´ -‐‑–_ Ab"
)
PIECES = st.one_of(
    st.text(alphabet=st.sampled_from(TRICKY), max_size=12),
    st.text(max_size=6),
    st.characters(codec=None),  # lone surrogates too
)
TEXTS = st.one_of(
    st.text(alphabet=st.sampled_from(TRICKY)),
    st.lists(PIECES, max_size=40).map("".join),
    st.text(min_size=_VECTOR_MIN, max_size=300),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_normalize_matches_reference(text: str) -> None:
    expected = _normalize_reference(text)
    assert normalize(text) == expected
    # Both paths on every length, not just the one normalize() picks.
    assert _normalize_loop(text) == expected
    vector_text, vector_index = _normalize_vector(text)
    assert (vector_text, vector_index.tolist()) == expected
    indexed_text, indexed = normalize_indexed(text)
    assert (indexed_text, indexed.tolist()) == expected
    assert normalize_key(text) == expected[0].strip()


@pytest.mark.parametrize(
    ("text", "expected", "index"),
    [
        ("  Gao ,  Mali  ", "gao , mali ", [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13]),
        ("Cœur", "coeur", [0, 1, 1, 2, 3]),
        ("é\u0301-x", "e x", [0, 2, 3]),
        ("مَالِي\u0640", "مالي", [0, 2, 3, 5]),
        ("\u200fأ\u00a0\u2003ب", "ا ب", [1, 2, 4]),
        ("", "", []),
    ],
)
def test_normalize_examples(text: str, expected: str, index: list[int]) -> None:
    for padding in (0, _VECTOR_MIN):  # short texts take the loop, long ones numpy
        padded = text + " x" * padding
        norm, offsets = normalize(padded)
        assert norm[:len(expected)] == expected
        assert offsets[:len(index)] == index
        assert (norm, offsets) == _normalize_reference(padded)


def test_offsets_map_matches_back_to_the_source() -> None:
    text = "Les combats à Kidal (nord du Mali) ont repris près de Tessalit. " * 3
    norm, offsets = normalize(text)
    start = norm.index("kidal")
    assert text[offsets[start]:offsets[start + len("kidal") - 1] + 1] == "Kidal"


def test_normalize_key() -> None:
    assert normalize_key("  Straße\u200f  de   Tombouctou\t") == "strasse de tombouctou"
    assert normalize_key("مِصْرَ") == "مصر"
    assert normalize_key(" \u200e ") == ""


def _scan_reference(text: str) -> tuple[str, list[int]]:
    """The matcher's form as it was first written: the reference normalisation,
    every non-word character a space, a space on both ends (the first mapped to 0)."""
    norm, index = _normalize_reference(text)
    return " " + re.sub(r"[\W_]", " ", norm) + " ", [0, *index]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_scan_form_matches_reference(text: str) -> None:
    expected = _scan_reference(text)
    chosen = geo.normalize._FOLD_LOOP
    try:
        for loop in (False, True):  # the array path (pure Python), the loop (compiled)
            geo.normalize._FOLD_LOOP = loop
            words, source = scan_form(text)
            assert (words, source.tolist()) == expected
    finally:
        geo.normalize._FOLD_LOOP = chosen
    # The loop itself, as Python: declines only characters that do not fold
    # to exactly one (which the array path handles), else gives the reference.
    codes = np.array([ord(ch) for ch in text], dtype=np.uint32)
    _learn(codes)
    buffer = np.empty(len(text) + 2, dtype=np.uint32)
    source = np.empty(len(text) + 1, dtype=np.int64)
    n = fold_words(text, _KIND, _MAP, _WORDY_BYTES, buffer, source)
    assert (n == -1) == any(_KIND[codes] == _OTHER)
    if n >= 0:
        words = buffer[:n].tobytes().decode("utf-32-le", "surrogatepass")
        assert (words, source[:n - 1].tolist()) == expected


def test_scan_form_spaces_every_non_word_character() -> None:
    words, source = scan_form("Gao,\u00a0 l\u2019Azawad_(Mali)")
    assert words == " gao  l azawad  mali  "
    assert source.tolist()[:5] == [0, 0, 1, 2, 3]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_folded_words_match_the_folded_text_with_words_spaced(text: str) -> None:
    assert folded_words(text) == re.sub(r"[\W_]+", " ", fold(text)).strip()


def test_folded_words_examples() -> None:
    assert folded_words("  Cœur d\u2019Alène,\tN\u00b0 5 ") == "coeur d alene n 5"
    assert folded_words("\u200fوَالجزائرِ ـ «مالي»") == "والجزاير مالي"
    assert folded_words("--_--") == ""
