"""Places that locate an event only from afar, an army's acronym that is also a village,
and news that stays news when the report recalls the place's past (own sentences in
three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import Frame, extract_frames


def _frames(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


def _places(frames: list[Frame]) -> set[str]:
    return {p.place.name for f in frames for p in f.places}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Gunmen attacked a military camp some 300 km north-east of Gao on Sunday.", "en"),
        ("Des hommes armés ont attaqué un camp militaire à une centaine de kilomètres au "
         "nord de Gao.", "fr"),
        ("هاجم مسلحون معسكرا للجيش على بعد 300 كلم شمال مدينة غاو.", "ar"),
    ],
)
def test_a_place_far_from_the_event_is_no_location(text: str, lang: str) -> None:
    assert "Gao" not in _places(_frames(text, lang, "attack"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Gunmen attacked a military camp 20 km from Gao on Sunday.", "en"),
        ("Des hommes armés ont attaqué un camp militaire à une dizaine de kilomètres de Gao.",
         "fr"),
        ("هاجم مسلحون معسكرا للجيش على بعد 20 كلم من غاو.", "ar"),
    ],
)
def test_a_place_near_the_event_still_locates_it(text: str, lang: str) -> None:
    assert "Gao" in _places(_frames(text, lang, "attack"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Les FAMa ont pris le contrôle de Kidal après des combats.", "fr"),
        ("The FAMa took control of Kidal after heavy fighting.", "en"),
        ("سيطرت الفاما على كيدال بعد معارك عنيفة.", "ar"),
    ],
)
def test_the_malian_army_acronym_is_an_actor_not_a_village(text: str, lang: str) -> None:
    (control,) = _frames(text, lang, "control")
    assert _places([control]) == {"Kidal"} and control.actor == "Malian army"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The army says it took the town of Kidal on Tuesday. The offensive on Kidal had "
         "resumed in 2012.", "en"),
        ("L'armée affirme avoir pris la ville stratégique de Kidal mardi. L'offensive vers "
         "Kidal avait repris en 2012.", "fr"),
        ("أعلن الجيش سيطرتهم على مدينة كيدال يوم الثلاثاء. وكانت مدينة كيدال قد سقطت بيد "
         "المتمردين في 2012.", "ar"),
    ],
)
def test_news_stays_news_when_the_report_recalls_the_past(text: str, lang: str) -> None:
    result = geoparse(text, lang=lang)
    (control,) = [f for f in extract_frames(result, published=None).found
                  if f.type == "control"]
    assert _places([control]) == {"Kidal"} and control.status == "reported"
