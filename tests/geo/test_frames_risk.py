"""Risk zones: places under siege or blockade, dangerous or threatened, with general words
bound only to a place right after them; epithets (unstable, volatile, restive) and violence
are no risk zone (own sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame


def _of(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [("Djibo, a town under siege for months, is running out of food.", "en", "Djibo"),
     ("La ville de Djibo est assiégée depuis des mois.", "fr", "Djibo"),
     ("تخضع مدينة جيبو لحصار منذ أشهر.", "ar", "Djibo"),
     ("Menaka remains a dangerous town.", "en", "Ménaka"),
     ("La région de Ménaka reste dangereuse.", "fr", "Ménaka"),
     ("تهدد الجماعات المسلحة بنين وتوغو.", "ar", "Benin")],
)
def test_risk_zones(text, lang, place) -> None:
    (risk,) = _of(text, lang, "risk")
    assert place in [p.place.name for p in risk.places]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Menaka is a restive, lawless and volatile region.", "en"),
     ("La région de Ménaka reste instable et en proie aux violences.", "fr"),
     ("تعيش منطقة ميناكا عدم الاستقرار وأعمال العنف منذ سنوات.", "ar")],
)
def test_an_epithet_or_violence_is_no_risk_zone(text, lang) -> None:
    assert not _of(text, lang, "risk")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Violence has displaced thousands, officials in Niamey said.", "en"),
     ("Les violences ont fait des milliers de déplacés, selon une source à Niamey.", "fr")],
)
def test_violence_is_no_risk_for_the_place_of_a_source(text, lang) -> None:
    names = {p.place.name for f in extract_frames(geoparse(text, lang=lang)).found
             for p in f.places}
    assert "Niamey" not in names


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Gunmen attacked Djibo on Monday. The town has been under siege for months.", "en"),
     ("Des jihadistes ont attaqué Djibo lundi. La ville est assiégée depuis des mois.", "fr"),
     ("هاجم مسلحون مدينة كيدال يوم الاثنين. وتفرض الجماعات حصارا على المدينة منذ أشهر.",
      "ar")],
)
def test_the_town_refers_to_the_town_named_before(text, lang) -> None:
    (risk,) = _of(text, lang, "risk")
    assert [(p.place.name, p.mention.reason if p.mention else None)
            for p in risk.places] in ([("Djibo", "coreference")], [("Kidal", "coreference")])


def test_the_town_of_a_name_is_that_name() -> None:
    text = "Djibo was calm. The town of Menaka has been under siege for months."
    (risk,) = _of(text, "en", "risk")
    assert [p.place.name for p in risk.places] == ["Ménaka"]


@pytest.mark.parametrize(
    ("text", "lang", "places"),
    [("Jihadist violence has spread to Niger, Burkina Faso and Togo.", "en",
      ["Niger", "Burkina Faso", "Togo"]),
     ("Armed groups seized northern Mali, and they aim to stop the spread of the state.",
      "en", []),
     ("تهدف الخطة إلى منع تمدد نشاط جديد للقاعدة في كل من موريتانيا والنيجر ونيجيريا.", "ar",
      ["Mauritania", "Niger", "Nigeria"])],
)
def test_spreading_goes_to_the_places_named_after_it(text, lang, places) -> None:
    risks = _of(text, lang, "risk")
    assert [p.place.name for r in risks for p in r.places] == places


def test_drones_are_no_negation() -> None:
    text = "بدأت الإدارة التفكير في توجيه ضربات جوية بطائرات بلا طيار على شمال مالي."
    (strike,) = _of(text, "ar", "strike")
    assert strike.status == "planned"


@pytest.mark.parametrize(
    ("text", "lang", "places"),
    [("La région de Tahoua connaît une insécurité grandissante.", "fr", ["Tahoua"]),
     ("Les régions de Ménaka et Gao sont le théâtre d'une vaste offensive.", "fr",
      ["Ménaka", "Gao"]),
     ("Kidal and Gao are besieged by the rebels.", "en", ["Kidal", "Gao"])],
)
def test_a_stated_area_before_its_threat_is_one_zone_with_every_place(text, lang,
                                                                     places) -> None:
    (risk,) = _of(text, lang, "risk")
    assert [p.place.name for p in risk.places] == places


def test_a_zone_named_as_several_places_is_drawn_as_one_feature() -> None:
    from geo.layers import build_layers

    text = "Les régions de Ménaka et Gao sont le théâtre d'une vaste offensive."
    assert len(build_layers(geoparse(text, lang="fr"))["risk_zones"]) == 1


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Mauritania closed its border with Algeria, declaring it a military zone.", "en"),
     ("La Mauritanie a fermé sa frontière avec l'Algérie, la proclamant zone militaire.",
      "fr"),
     ("أغلقت موريتانيا حدودها مع الجزائر وأعلنتها منطقة عسكرية.", "ar")],
)
def test_a_border_closed_as_a_military_zone_is_border_security_not_a_risk_zone(
        text, lang) -> None:
    found = extract_frames(geoparse(text, lang=lang)).found
    assert not [f for f in found if f.type == "risk"]
    (border,) = [f for f in found if f.type == "border_security"]
    assert {p.place.name for p in border.places} == {"Mauritania", "Algeria"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("A jihadist attack could take place against the town of Gao after the army leaves.",
      "en"),
     ("Une attaque jihadiste pourrait intervenir contre la ville de Gao après le départ de "
      "l'armée.", "fr"),
     ("قد يقع هجوم جهادي على مدينة غاو بعد رحيل الجيش.", "ar")],
)
def test_a_possible_attack_on_a_place_puts_it_at_risk(text, lang) -> None:
    (attack,) = _of(text, lang, "attack")
    assert attack.status == "hypothetical"
    (risk,) = _of(text, lang, "risk")
    assert risk.status == "reported" and [p.place.name for p in risk.places] == ["Gao"]


def test_an_attack_that_happened_adds_no_risk_zone() -> None:
    assert not _of("Jihadists attacked the town of Gao on Sunday.", "en", "risk")
