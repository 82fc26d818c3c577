"""Sanctuaries: hideouts, strongholds, bases and flight of armed groups; not civilians
fleeing, not an army's base, not a stronghold they were driven from (own sentences, three
languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame


def _of(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [("Le repaire des jihadistes se trouve près de Ménaka.", "fr", "Ménaka"),
     ("The jihadists fled to Mali after the attack.", "en", "Mali"),
     ("Les jihadistes ont fui vers le Mali.", "fr", "Mali"),
     ("تتخذ الجماعات المسلحة من جنوب ليبيا قواعد لها.", "ar", "southern Libya"),
     ("Menaka has become a stronghold of the Islamic State.", "en", "Ménaka")],
)
def test_sanctuaries(text, lang, place) -> None:
    (sanctuary,) = _of(text, lang, "sanctuary")
    assert [p.place.name for p in sanctuary.places] == [place]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Residents fled to Mubi after the attack.", "en"),  # civilians: displacement
     ("Les habitants ont fui vers Kaya.", "fr"),
     ("The Malian army has a base in Gao.", "en")],  # a state's base: no sanctuary
)
def test_no_sanctuary(text, lang) -> None:
    assert _of(text, lang, "sanctuary") == []


def test_a_stronghold_they_were_driven_from_is_background() -> None:
    (sanctuary,) = _of("Les rebelles ont été délogés de leur fief de Kidal.", "fr", "sanctuary")
    assert sanctuary.status == "past"


def test_after_the_attack_binds_no_place_before_it() -> None:
    assert _of("Residents fled to Mubi after the attack.", "en", "attack") == []


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [("Islamic State fighters were seen near Tillia.", "en", "Tillia"),
     ("Des combattants de l'EIGS sont actifs dans la région de Ménaka.", "fr", "Ménaka")],
)
def test_where_armed_groups_operate(text, lang, place) -> None:
    (sanctuary,) = _of(text, lang, "sanctuary")
    assert [p.place.name for p in sanctuary.places] == [place]
