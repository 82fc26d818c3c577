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
