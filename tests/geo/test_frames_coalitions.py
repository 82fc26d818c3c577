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


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Fighting broke out between Boko Haram and Multinational Joint Task Force soldiers in "
      "Nigeria's Abadam district, near the Chad border.", "en"),
     ("L'armée tchadienne, au sein de la force multinationale mixte, repousse les assaillants "
      "près de la frontière du Niger.", "fr"),
     ("اشتبكت القوة المشتركة متعددة الجنسيات مع مسلحي بوكو حرام قرب حدود تشاد في شمال "
      "نيجيريا.", "ar")],
)
def test_a_joint_force_named_in_passing_is_no_coalition_event(text, lang) -> None:
    """The states of its sentence are where the fighting is, not members said to take part."""
    assert _coalitions(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The military rulers of Niger, Mali and Burkina Faso, part of the Sahel Alliance, met "
      "in Niamey.", "en"),
     ("Les régimes militaires du Niger, du Mali et du Burkina sont réunis au sein de la "
      "nouvelle confédération de l'AES.", "fr"),
     ("اجتمع قادة النيجر ومالي وبوركينا فاسو في إطار الكونفدرالية الجديدة.", "ar")],
)
def test_members_listed_before_the_alliance_are_its_members(text, lang) -> None:
    (coalition,) = _coalitions(text, lang)
    assert set(coalition.members) == {"NE", "ML", "BF"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The summit announced the creation of the G5 Sahel, seated in Mauritania's capital, "
      "with Chad's support.", "en"),
     ("Le sommet a décidé la création du G5 Sahel, dont le siège est à Nouakchott, en "
      "Mauritanie, avec le Tchad.", "fr"),
     ("أقر الاجتماع إنشاء مجموعة دول الساحل الخمس في موريتانيا بحضور تشاد.", "ar")],
)
def test_a_group_in_the_making_takes_the_members_the_report_names(text, lang) -> None:
    (coalition,) = _coalitions(text, lang)
    assert len(coalition.members) >= 2
