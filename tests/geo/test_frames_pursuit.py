"""Hot pursuit takes its states from its sentence, else from the sentences around it
(own sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Nigeria, Niger and Chad signed a security pact on Monday. Their troops will be able "
      "to pursue militants across borders.", "en"),
     ("Le Tchad, le Niger et le Nigeria ont signé un accord. Leurs soldats pourront mener "
      "des poursuites transfrontalières.", "fr"),
     ("وقعت تشاد والنيجر ونيجيريا اتفاقا أمنيا. وستتمكن قواتها من المطاردة الساخنة عبر "
      "الحدود.", "ar")],
)
def test_states_of_a_pursuit_from_the_sentence_before(text, lang) -> None:
    (pursuit,) = [f for f in extract_frames(geoparse(text, lang=lang)).found
                  if f.type == "pursuit"]
    assert set(pursuit.members) == {"NG", "NE", "TD"}
    assert all(p.via == "context" for p in pursuit.places)


def test_states_named_apart_around_a_one_state_pursuit_are_not_its_states() -> None:
    text = ("Armed groups seized large areas of southern Libya. Refugees fled from southern "
            "Libya to Niger. Niger announced a right of pursuit against the militants.")
    found = extract_frames(geoparse(text, lang="en"))
    assert not [f for f in found.found if f.type == "pursuit"]
    assert any(s.type == "pursuit" and "two states" in s.reason for s in found.skipped)


_FAR = {
    "en": ("Multinational troops will be able to pursue the militants across borders. "
           "The spokesman said so on Monday. He spoke before a visit abroad. Trust has "
           "grown since the election. A force with 8,700 troops from Cameroon, Chad, Niger "
           "and Nigeria will be ready next month."),
    "fr": ("La force multinationale pourra mener des poursuites transfrontalières. Le "
           "porte-parole l'a dit lundi. Il parlait avant une visite. La confiance a grandi "
           "depuis l'élection. La force, composée de soldats du Cameroun, du Tchad, du Niger "
           "et du Nigeria, sera prête le mois prochain."),
    "ar": ("ستتمكن القوة المتعددة الجنسيات من المطاردة الساخنة عبر الحدود. وقال المتحدث ذلك "
           "يوم الاثنين. وكان يتحدث قبل زيارة. وقد نمت الثقة منذ الانتخابات. وستكون القوة "
           "المكونة من الكاميرون وتشاد والنيجر ونيجيريا جاهزة الشهر المقبل."),
}


@pytest.mark.parametrize("lang", sorted(_FAR))
def test_a_pursuit_naming_no_state_is_led_by_the_states_its_force_is_made_of(lang) -> None:
    (pursuit,) = [f for f in extract_frames(geoparse(_FAR[lang], lang=lang)).found
                  if f.type == "pursuit"]
    assert set(pursuit.members) == {"CM", "TD", "NE", "NG"}


def test_states_listed_without_a_force_are_no_pursuers() -> None:
    text = ("Troops will be able to pursue the militants across borders. The spokesman said "
            "so on Monday. He spoke before a visit abroad. Trust has grown since the "
            "election. Cameroon, Chad, Niger and Nigeria will hold elections next year.")
    found = extract_frames(geoparse(text, lang="en"))
    assert not [f for f in found.found if f.type == "pursuit"]
