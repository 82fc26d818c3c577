"""Coalitions: named alliances and joint forces of states, not every organisation of
states (own sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame


def _coalitions(text: str, lang: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == "coalition"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("ECOWAS imposed sanctions on the junta in Niamey.", "en"),
     ("La CEDEAO a imposé des sanctions à la junte de Niamey.", "fr"),
     ("فرضت إيكواس عقوبات على المجلس العسكري في نيامي.", "ar")],
)
def test_an_economic_community_is_no_coalition_by_itself(text, lang) -> None:
    assert _coalitions(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The Multinational Joint Task Force of Nigeria, Niger, Chad and Cameroon attacked "
      "Boko Haram camps.", "en"),
     ("La Force multinationale mixte a attaqué des camps de Boko Haram. Le Nigeria, le Niger, "
      "le Tchad et le Cameroun y participent.", "fr"),
     ("هاجمت القوة المشتركة متعددة الجنسيات معسكرات بوكو حرام في نيجيريا والنيجر وتشاد "
      "والكاميرون.", "ar")],
)
def test_a_joint_force_is_the_coalition_of_the_states_the_report_names(text, lang) -> None:
    (coalition,) = _coalitions(text, lang)
    assert set(coalition.members) == {"NG", "NE", "TD", "CM"}  # Benin is a member, unnamed


@pytest.mark.parametrize(
    "text",
    ["The Multinational Joint Task Force attacked Boko Haram camps.",
     "Les pays du G5 Sahel se sont réunis à Nouakchott."],
)
def test_membership_is_never_completed_from_the_gazetteer(text) -> None:
    lang = "fr" if "pays" in text else "en"
    assert _coalitions(text, lang) == []


def test_the_g5_sahel_is_a_coalition_of_the_members_named() -> None:
    (coalition,) = _coalitions("Le G5 Sahel regroupe la Mauritanie, le Mali et le Tchad.", "fr")
    assert set(coalition.members) == {"MR", "ML", "TD"}
