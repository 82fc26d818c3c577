"""The words before a place that the organisation-name rules read
(geo.orgs.tokens_before) are those of the whole look-back window, however
little of it is tokenised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from geo.orgs import _TOKEN, WINDOW, tokens_before

# Short and long words, punctuation, apostrophes and white space, Arabic and Latin.
PIECES = st.sampled_from([
    "a", "Mali", "Front", "x" * 30, "حركة", "لتحرير", "أزواد", "ا" * 25, ",", ".", "«", "'",
    "’", " ", "  ", "\n", "-", "_", "3", "l'", "d’",
])
TEXTS = st.lists(PIECES, max_size=120).map(" ".join)


@given(TEXTS, st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=14))
def test_tokens_before_match_the_whole_window(text: str, end: int, count: int) -> None:
    end = min(end, len(text))
    expected = _TOKEN.findall(text[max(0, end - WINDOW):end])[::-1][:count]
    assert tokens_before(text, end, count) == expected


def test_tokens_before_examples() -> None:
    text = "Le Mouvement national de libération de l'Azawad (MNLA) contrôle Kidal"
    assert tokens_before(text, text.index("Kidal"), 4) == ["contrôle", ")", "MNLA", "("]
    long_words = "x" * 70 + " Front " + "y" * 60 + " Mali"
    assert tokens_before(long_words, len(long_words) - 4, 3) == ["y" * 60, "Front", "x" * 70]
