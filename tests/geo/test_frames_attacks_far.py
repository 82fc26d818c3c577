"""Attacks whose place stands later in the sentence, past the trigger's clause: the first
town a location cue introduces, before any other frame's trigger (own sentences, three
languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames


def _attacks(text: str, lang: str) -> list[str]:
    found = extract_frames(geoparse(text, lang=lang)).found
    return [p.place.name for f in found if f.type == "attack" for p in f.places]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("والخميس اشتبك المتمردون السابقون الذين شكلوا مجموعة مسلحة جديدة في الشمال، مع القوات "
         "الموالية للحكومة في بلدة كيدال.", "ar"),
        ("Jeudi, les anciens rebelles qui ont formé une nouvelle coalition armée dans le nord ont "
         "attaqué, après des semaines de tension entre les communautés de la région, les "
         "positions loyalistes à Kidal.", "fr"),
        ("On Thursday the former rebels who formed a new armed coalition in the north clashed, "
         "after weeks of tension between the communities of the region, with loyalist forces "
         "in Kidal.", "en"),
    ],
)
def test_a_cued_town_later_in_the_sentence_is_the_attack_place(text, lang) -> None:
    assert _attacks(text, lang) == ["Kidal"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Cette attaque est intervenue, selon plusieurs sources sécuritaires locales, le jour de "
         "la visite du Premier ministre à Gao.", "fr"),
        ("The attack came, according to several local security sources, on the day of the "
         "prime minister's visit to Gao.", "en"),
        ("وقع الهجوم، بحسب مصادر أمنية محلية عديدة، يوم زيارة رئيس الوزراء إلى مدينة غاو.", "ar"),
    ],
)
def test_a_town_after_another_event_belongs_to_that_event(text, lang) -> None:
    assert _attacks(text, lang) == []
