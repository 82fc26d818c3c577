"""Acronyms that GeoNames lists as alternate names are not those places."""

from __future__ import annotations

import pytest

from geo import geoparse


def toponyms(text: str, lang: str) -> list[str]:
    return [m.surface for m in geoparse(text, lang=lang).mentions if m.kind == "toponym"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # an acronym with a lower-case tail, and the same name in title case later
        ("Les FAMa ont repris le camp. Les Fama patrouillent désormais près de Kidal.",
         "fr", ["Kidal"]),
        # a short upper-case token that only an alternate name spells
        ("Les GAT ont attaqué un poste de l'armée près de Ménaka.", "fr", ["Ménaka"]),
    ],
)
def test_acronyms_are_not_places(text: str, lang: str, expected: list[str]) -> None:
    assert toponyms(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        ("ATTAQUE À GAO : deux soldats tués", "fr", "GAO"),
        ("Officials from the USA arrived in Niamey on Monday.", "en", "USA"),
        ("DERNIÈRE HEURE. COPENHAGUE, 29 mai. Les aviateurs sont arrivés.", "fr", "COPENHAGUE"),
    ],
)
def test_names_in_capitals_stay(text: str, lang: str, kept: str) -> None:
    assert kept in toponyms(text, lang)
