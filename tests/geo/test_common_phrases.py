"""Common words that GeoNames also holds as a capitalised name are not that place.

"The city" is not "The City" (London), "La réunion" not La Réunion: a word the
name capitalises but the text writes in lower case makes a common phrase.
"""

from __future__ import annotations

import pytest

from geo import geoparse


def surfaces(text: str, lang: str) -> list[str]:
    return [m.surface for m in geoparse(text, lang=lang).mentions if m.kind == "toponym"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The city was calm on Sunday after the clashes in Gao.", "en", ["Gao"]),
        ("The meeting ended late in Niamey.", "en", ["Niamey"]),
        ("La réunion s'est tenue à Bamako.", "fr", ["Bamako"]),
        ("Vingt-cinq soldats ont été tués près de Ménaka.", "fr", ["Ménaka"]),
        ("La force compte cinq mille hommes basés à Niamey.", "fr", ["Niamey"]),
    ],
)
def test_common_phrases_are_not_places(text: str, lang: str, expected: list[str]) -> None:
    assert surfaces(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("Le ministre est arrivé hier à La Réunion.", "fr", "La Réunion"),
        ("The delegation flew to The Hague on Monday.", "en", "The Hague"),
        ("Les rebelles tiennent la zone des trois frontières.", "fr", "zone des trois frontières"),
    ],
)
def test_names_cased_as_written_stay(text: str, lang: str, surface: str) -> None:
    assert surface in surfaces(text, lang)
