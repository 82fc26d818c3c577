"""A name shared by a first-level unit and its town is the unit after a region word,
also for the later names of a list (own sentences, three languages, the bundled
gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse


def _readings(text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.place.name, m.place.type) for m in geoparse(text, lang=lang).mentions
            if m.place is not None]


@pytest.mark.parametrize(
    ("text", "lang", "names"),
    [
        ("نفذ سلاح الجو عمليات في محافظتي سيغو وتمبكتو.", "ar", ["Ségou", "Tombouctou"]),
        ("نفذ سلاح الجو عمليات في محافظة سيغو.", "ar", ["Ségou"]),
        ("Des frappes dans les régions de Ségou et Tombouctou.", "fr", ["Ségou", "Tombouctou"]),
        ("La région de Tahoua connaît une insécurité grandissante.", "fr", ["Tahoua"]),
        ("Strikes in the regions of Segou and Timbuktu.", "en", ["Ségou", "Tombouctou"]),
    ],
)
def test_after_a_region_word_the_name_is_the_region(text, lang, names) -> None:
    assert _readings(text, lang) == [(name, "admin1") for name in names]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("وقع الهجوم في مدينة سيغو.", "ar"),
        ("L'attaque a eu lieu à Ségou.", "fr"),
        ("The attack took place in Segou.", "en"),
    ],
)
def test_without_one_the_name_is_still_the_town(text, lang) -> None:
    assert _readings(text, lang) == [("Ségou", "city")]
