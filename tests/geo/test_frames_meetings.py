"""Meetings: at the venue a location cue names (a town; a country only for a visit), with
authorities as actors, never a state named as a participant (own sentences, three
languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame


def _meetings(text: str, lang: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == "meeting"]


@pytest.mark.parametrize(
    ("text", "lang", "venue"),
    [("Defence ministers of Mali and Niger met in Niamey on Monday.", "en", "Niamey"),
     ("Les ministres du G5 Sahel se sont réunis à Nouakchott.", "fr", "Nouakchott"),
     ("اجتمع وزراء دفاع دول الساحل في نيامي.", "ar", "Niamey"),
     ("Niamey a accueilli une réunion des ministres de la Défense.", "fr", "Niamey"),
     ("Abuja hosted talks between the defence ministers.", "en", "Abuja"),
     ("احتضنت نيامي اجتماعا لوزراء الدفاع.", "ar", "Niamey"),
     ("The Malian prime minister began a visit to Algeria.", "en", "Algeria")],
)
def test_the_venue(text, lang, venue) -> None:
    (meeting,) = _meetings(text, lang)
    assert [p.place.name for p in meeting.places] == [venue]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Ministers met to discuss the crisis in Mali.", "en"),
     ("Les ministres se sont réunis pour parler de la crise au Mali.", "fr")],
)
def test_a_country_under_discussion_is_no_venue(text, lang) -> None:
    assert _meetings(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Le sommet d'Abuja a réuni les chefs d'État.", "fr"),
     ("عقدت قمة نيامي بحضور رؤساء الدول.", "ar"),
     ("The commitments of the Paris summit were recalled.", "en")],
)
def test_a_town_that_only_names_a_summit_is_no_venue(text, lang) -> None:
    assert _meetings(text, lang) == []  # GUIDELINE.md: a place inside an event's name


def test_forces_do_not_meet() -> None:
    (meeting,) = _meetings("The joint force commander met officials in Niamey.", "en")
    assert meeting.actor == "officials"


def test_forces_that_meet_up_hold_no_talks() -> None:
    assert _meetings("They will meet up with French and Malian forces at Timbuktu.", "en") == []
    (talks,) = _meetings("The leaders will meet at Timbuktu on Friday.", "en")
    assert [p.place.name for p in talks.places] == ["Timbuktu"]
