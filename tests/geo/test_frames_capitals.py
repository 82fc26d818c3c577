"""Capital terms: "the Malian capital", "la capitale", "العاصمة" are the capital city of the
country named or qualified next to them, else of the country the sentence is about (own
sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames


def _places(text: str, lang: str, frame: str) -> list[str]:
    found = extract_frames(geoparse(text, lang=lang)).found
    return [p.place.name for f in found if f.type == frame for p in f.places]


@pytest.mark.parametrize(
    ("text", "lang", "capital"),
    [("The border committee met in Mali's capital on Monday.", "en", "Bamako"),
     ("Gunmen attacked a hotel in the Nigerien capital.", "en", "Niamey"),
     ("Gunmen attacked a hotel in the capital of Chad.", "en", "N'Djamena"),
     ("Des hommes armés ont attaqué un hôtel de la capitale malienne.", "fr", "Bamako"),
     ("Des hommes armés ont attaqué un hôtel de la capitale du Niger.", "fr", "Niamey"),
     ("هاجم مسلحون فندقا في العاصمة المالية.", "ar", "Bamako"),
     ("هاجم مسلحون فندقا في عاصمة النيجر.", "ar", "Niamey")],
)
def test_the_capital_of_a_country_named_next_to_the_term(text, lang, capital) -> None:
    assert _places(text, lang, "attack" if "met" not in text else "meeting") == [capital]


@pytest.mark.parametrize(
    ("text", "lang", "capital"),
    [("Mali's junta said gunmen attacked a hotel in the capital.", "en", "Bamako"),
     ("Au Niger, des hommes armés ont attaqué un hôtel de la capitale.", "fr", "Niamey"),
     ("قالت حكومة تشاد إن مسلحين هاجموا فندقا في العاصمة.", "ar", "N'Djamena")],
)
def test_the_capital_alone_is_that_of_the_country_the_sentence_is_about(text, lang,
                                                                         capital) -> None:
    assert _places(text, lang, "attack") == [capital]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Gunmen attacked Maiduguri, the capital of Borno state, in Nigeria.", "en"),
     ("Gunmen attacked the regional capital, in Mali.", "en"),
     ("Des hommes armés ont attaqué la capitale régionale, au Mali.", "fr"),
     ("هاجم مسلحون العاصمة الإقليمية في مالي.", "ar")],
)
def test_a_regional_capital_or_the_capital_of_a_province_is_no_state_capital(text,
                                                                             lang) -> None:
    assert not {"Bamako", "Abuja"} & set(_places(text, lang, "attack"))


@pytest.mark.parametrize(
    ("text", "lang", "named"),
    [("Gunmen attacked the capital, Niamey, on Monday.", "en", "Niamey"),
     ("La capitale nigérienne Niamey a été attaquée lundi.", "fr", "Niamey"),
     ("هاجم مسلحون العاصمة التشادية نجامينا.", "ar", "N'Djamena")],
)
def test_a_name_after_the_term_is_the_place(text, lang, named) -> None:
    assert _places(text, lang, "attack") == [named]


def test_no_country_in_sight_gives_no_capital() -> None:
    assert _places("Gunmen attacked a hotel in the capital.", "en", "attack") == []
