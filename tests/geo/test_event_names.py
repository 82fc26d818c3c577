"""Places inside the names of agreements and processes are part of those names;
a summit's place is where it meets."""

from __future__ import annotations

import pytest

from geo import geoparse


def toponyms(text: str, lang: str) -> list[str]:
    return [m.surface for m in geoparse(text, lang=lang).mentions if m.kind == "toponym"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The rebels said the Ouagadougou Agreement still held in Kidal.", "en", ["Kidal"]),
        ("Les signataires de l'Accord de Ouagadougou se réunissent à Kidal.", "fr", ["Kidal"]),
        ("وقال الرئيس إن اتفاق الجزائر صامد خلال زيارته نيامي.", "ar", ["نيامي"]),
        ("وقال الوزير إن مسار الجزائر ما زال قائما رغم القتال في كيدال.", "ar", ["كيدال"]),
    ],
)
def test_event_names_hold_no_places(text: str, lang: str, expected: list[str]) -> None:
    assert toponyms(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        ("وصل الوفد إلى الجزائر لحضور القمة.", "ar", "الجزائر"),
        ("بعد قمة أبوجا عاد الرئيس إلى نيامي.", "ar", "أبوجا"),
        ("The summit opened in Algiers on Monday.", "en", "Algiers"),
        ("Le sommet s'est ouvert à Alger lundi.", "fr", "Alger"),
    ],
)
def test_places_of_events_stay(text: str, lang: str, kept: str) -> None:
    assert kept in toponyms(text, lang)
