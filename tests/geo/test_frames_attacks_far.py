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


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Samedi, 14 soldats ont été tués lors de l'attaque par des terroristes d'un camp "
      "militaire à Soumpi, à une centaine de kilomètres au sud-ouest de Tombouctou.", "fr"),
     ("Fourteen soldiers were killed in an attack by terrorists on a military camp at "
      "Soumpi, about 100 km southwest of Timbuktu.", "en")],
)
def test_a_village_the_gazetteer_lacks_is_drawn_at_its_distance_from_a_town(text, lang) -> None:
    """The location cue of the whole distance phrase places the point, and a bare noun the
    attack is on ("un camp militaire") does not end the search as another event would."""
    assert _attacks(text, lang) == ["100 km SW of Timbuktu"]


@pytest.mark.parametrize(
    ("text", "lang", "far"),
    [("قتل 14 جنديا في هجوم شنه إرهابيون على معسكر للجيش في سومبي، على بعد نحو 100 كلم جنوب "
      "غرب تمبكتو.", "ar", "Sumbe"),
     ("Gunmen attacked Kaya, 20 km from N'Djamena.", "en", "Kaya"),
     ("Des hommes armés ont attaqué Kaya, à 20 kilomètres de N'Djamena.", "fr", "Kaya")],
)
def test_a_town_far_beyond_its_stated_distance_is_another_town(text, lang, far) -> None:
    """The gazetteer's Sumbe is in Angola and its Kaya in Burkina Faso: neither lies 100 km
    from Timbuktu or 20 km from N'Djamena."""
    assert far not in _attacks(text, lang)


def test_a_town_at_its_stated_distance_stays() -> None:
    assert _attacks("Gunmen attacked Kaya, 100 km north of Ouagadougou.", "en") == ["Kaya"]
