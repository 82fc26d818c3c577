"""Control zones: a situation said to be under control is no territory held (own sentences,
three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames


def _controls(text: str, lang: str) -> list[str]:
    found = extract_frames(geoparse(text, lang=lang)).found
    return [p.place.name for f in found if f.type == "control" for p in f.places]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ('Reinforcements were rushed to Inates and the situation was "under control" on '
         "Wednesday.", "en"),
        ("Des renforts sont arrivés à Inates et la situation est sous contrôle, selon l'armée.",
         "fr"),
        ("Des combats à Inates, en dépit d'une situation présentée comme sous contrôle.", "fr"),
        ("وصلت تعزيزات إلى إيناتس وقال الجيش إن الوضع تحت السيطرة.", "ar"),
        ("وصلت تعزيزات إلى إيناتس وقال الجيش إن الوضع الأمني تحت السيطرة.", "ar"),
    ],
)
def test_a_situation_under_control_is_no_control_zone(text, lang) -> None:
    assert _controls(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Jihadists have controlled Inates since Wednesday.", "en"),
        ("La ville d'Inates est sous contrôle des jihadistes.", "fr"),
        ("سيطر المسلحون على مدينة إيناتس.", "ar"),
    ],
)
def test_ground_held_is_still_a_control_zone(text, lang) -> None:
    assert _controls(text, lang) == ["Inates"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("L'armée malienne a investi la ville de Gao pendant le week-end.", ["Gao"]),
     ("Les donateurs ont investi 45 millions de dollars dans des projets à Gao.", [])],
)
def test_investir_is_taking_a_place_only_with_a_place_noun(text, expected) -> None:
    found = extract_frames(geoparse(text, lang="fr")).found
    assert [p.place.name for f in found if f.type == "control" for p in f.places] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Rival groups in Sebha wage a fierce battle for control of the city.", "en"),
     ("À Sebha, des groupes rivaux se livrent une bataille acharnée pour le contrôle de la "
      "ville.", "fr"),
     ("تخوض جماعات متنافسة في سبها معركة ضارية من أجل السيطرة على المدينة.", "ar")],
)
def test_a_struggle_for_control_is_no_control_zone(text, lang) -> None:
    assert _controls(text, lang) == []
