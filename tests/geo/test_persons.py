"""Place names inside persons' names (after a given name) are no places."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.extract import default_matcher
from geo.gazetteer import get_gazetteer
from geo.persons import drop_person_names


def toponyms(text: str, lang: str) -> list[str]:
    return [m.surface for m in geoparse(text, lang=lang).mentions if m.kind == "toponym"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a surname after a given name, and the same surname alone later
        ("Selon Paul Morand, la route reste coupée. Morand a ajouté que Gao était calme.",
         "fr", ["Gao"]),
        ("Police said Cindy Santos was found in Boston. Santos had left home on Friday.",
         "en", ["Boston"]),
        # a given name that is also a place, before a surname
        ("Maurice Ferte est arrivé hier à Genève.", "fr", ["Genève"]),
        ("Le notaire Jean-Frédéric Borel habite Neuchâtel.", "fr", ["Neuchâtel"]),
        ("Le général Soumaïla Cissé a quitté Bamako.", "fr", ["Bamako"]),
    ],
)
def test_persons_names_are_not_places(text: str, lang: str, expected: list[str]) -> None:
    assert toponyms(text, lang) == expected


def test_a_surname_after_a_locative_is_the_place() -> None:
    text = "Cindy Santos sang in Boston before flying to Santos for the tour."
    found = toponyms(text, "en")
    assert found.count("Santos") == 1 and "Boston" in found


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        ("The team from St. Joseph London won the cup.", "en", "London"),
        ("Le cortège a traversé la place Maurice Ravel à Lyon.", "fr", "Lyon"),
    ],
)
def test_saints_and_plain_places_stay(text: str, lang: str, kept: str) -> None:
    candidates = default_matcher(get_gazetteer()).extract(text, lang=lang)
    assert kept in [c.surface for c in drop_person_names(candidates, text, lang)]


def test_a_given_name_before_a_street_word_is_a_place_name() -> None:
    text = "Firefighters reached Tyler Street on Monday."
    candidates = default_matcher(get_gazetteer()).extract(text, lang="en")
    assert "Tyler" in [c.surface for c in candidates]
    assert "Tyler" in [c.surface for c in drop_person_names(candidates, text, "en")]


def test_arabic_text_is_left_alone() -> None:
    text = "وصل محمد غاو أمس."
    candidates = default_matcher(get_gazetteer()).extract(text, lang="ar")
    assert drop_person_names(candidates, text, "ar") == candidates


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Selon le maréchal Niel, l'armée est prête à Lyon.", "fr", ["Lyon"]),
        ("Lieutenant Kellogg said the road to Tyler was closed.", "en", ["Tyler"]),
    ],
)
def test_a_town_name_after_a_title_is_a_person(text: str, lang: str,
                                               expected: list[str]) -> None:
    assert toponyms(text, lang) == expected
