"""Words with two senses: "frappé" (hit) and "une frappe" (a strike), "siège" (siege) and
"son siège" (headquarters, where a force is deployed) — own sentences in three languages,
the bundled gazetteer."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame


def _of(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


def _places(frames: list[Frame]) -> set[str]:
    return {p.place.name for f in frames for p in f.places}


@pytest.mark.parametrize(
    ("text", "lang", "kind", "place"),
    [
        ("Les attentats-suicides ayant frappé Kolofata depuis juillet.", "fr", "attack",
         "Kolofata"),
        ("Suicide bombings that have struck Kolofata since July.", "en", "attack", "Kolofata"),
        ("التفجيرات الانتحارية التي ضربت كولوفاتا منذ يوليو.", "ar", "attack", "Kolofata"),
    ],
)
def test_struck_by_bombings_is_no_air_strike(text: str, lang: str, kind: str,
                                             place: str) -> None:
    assert not _of(text, lang, "strike")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Une frappe de drone a visé Kidal dimanche.", "fr"),
        ("L'armée a mené des frappes à Kidal.", "fr"),
        ("A drone strike hit Kidal on Sunday.", "en"),
        ("استهدفت غارة جوية مدينة كيدال يوم الأحد.", "ar"),
    ],
)
def test_a_strike_as_a_noun_is_a_strike(text: str, lang: str) -> None:
    assert _places(_of(text, lang, "strike")) == {"Kidal"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Cette force régionale a son siège à N'Djamena.", "fr"),
        ("The regional force has its headquarters in N'Djamena.", "en"),
        ("القوة الإقليمية مقرها في نجامينا.", "ar"),
    ],
)
def test_a_force_headquarters_is_a_deployment_not_a_siege(text: str, lang: str) -> None:
    assert _places(_of(text, lang, "deployment")) == {"N'Djamena"}
    assert not _of(text, lang, "risk")


def test_a_siege_is_still_a_risk_zone() -> None:
    assert _places(_of("Le siège de Djibo dure depuis des mois.", "fr", "risk")) == {"Djibo"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The army is fighting to capture Tripoli.", "en"),
        ("Officers who seized power in Niamey in July.", "en"),
        ("Police tightened control over the region of Kidal.", "en"),
        ("Les jihadistes ont tenté de prendre le contrôle de Djibo.", "fr"),
        ("La lutte pour le contrôle du trafic oppose des tribus à Sebha.", "fr"),
        ("قتل 40 مدنيا أثناء محاولتهم السيطرة على بلدة جيبو.", "ar"),
        ("شددت الشرطة الرقابة لضبط السيطرة على الحدود.", "ar"),
    ],
)
def test_attempts_situations_and_power_are_no_control_zone(text: str, lang: str) -> None:
    assert not _of(text, lang, "control")


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [
        ("Jihadists have seized Djibo.", "en", "Djibo"),
        ("La ville de Djibo est sous le contrôle des jihadistes.", "fr", "Djibo"),
        ("سيطر المسلحون على بلدة جيبو.", "ar", "Djibo"),
    ],
)
def test_seizing_ground_is_still_control(text: str, lang: str, place: str) -> None:
    assert _places(_of(text, lang, "control")) == {place}


@pytest.mark.parametrize(
    ("text", "lang", "moving"),
    [
        ("À quelques jours du déplacement d'Emmanuel Macron au Niger, la force continue.",
         "fr", False),
        ("Le déplacement des populations vers le Niger se poursuit.", "fr", True),
        ("The displacement of families to Niger continues.", "en", True),
        ("يتواصل نزوح العائلات إلى النيجر.", "ar", True),
    ],
)
def test_an_officials_trip_is_no_displacement(text: str, lang: str, moving: bool) -> None:
    assert bool(_of(text, lang, "displacement")) is moving
