"""The attacks layer: ground attacks, ambushes, bombings, clashes and kidnappings at a
named place, one feature per place, with actor, target and toll (own sentences, three
languages, the bundled gazetteer); air and drone strikes stay strikes."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.layers import build_layers
from geo.records import Frame


def _frames(text: str, lang: str) -> list[Frame]:
    return list(extract_frames(geoparse(text, lang=lang)).found)


def _of(frames: list[Frame], frame_type: str) -> list[Frame]:
    return [f for f in frames if f.type == frame_type]


@pytest.mark.parametrize(
    ("text", "lang", "places", "toll"),
    [
        ("Gunmen attacked the village of Djibo on Sunday, killing 12 soldiers.", "en",
         ["Djibo"], 12),
        ("Des jihadistes ont attaqué Ménaka et Gao, faisant 20 morts.", "fr",
         ["Ménaka", "Gao"], 20),
        ("هاجم مسلحون مدينة كيدال، ما أسفر عن مقتل 15 جنديا.", "ar", ["Kidal"], 15),
        ("Une embuscade près de Tillia, dans la région de Tahoua, a fait 16 morts.", "fr",
         ["Tillia"], 16),
        ("Kidal was attacked by separatists overnight.", "en", ["Kidal"], None),
    ],
)
def test_attack_places_and_toll(text, lang, places, toll) -> None:
    (attack,) = _of(_frames(text, lang), "attack")
    assert [p.place.name for p in attack.places] == places
    assert attack.toll == toll


def test_actor_and_target_either_side_of_the_verb() -> None:
    (en,) = _of(_frames("Boko Haram attacked Nigerian soldiers in Gwoza.", "en"), "attack")
    assert (en.actor, en.target) == ("Boko Haram", "Nigerian troops")
    (ar,) = _of(_frames("هاجم مسلحون جنودا ماليين في كيدال.", "ar"), "attack")
    assert ar.actor == "armed groups" and ar.target != "armed groups"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("A drone strike killed 10 people in Gao on Monday.", "en"),
        ("An air raid hit Gao.", "en"),
        ("Un raid aérien a visé Kidal.", "fr"),
        ("قتل عشرة أشخاص في غارة جوية على غاو.", "ar"),
    ],
)
def test_air_and_drone_strikes_are_no_attacks(text, lang) -> None:
    frames = _frames(text, lang)
    assert _of(frames, "strike") and not _of(frames, "attack")


def test_the_attackers_are_no_attack() -> None:
    assert not _of(_frames("The kidnappers were seen near Gao.", "en"), "attack")


def test_an_event_told_at_two_scales_is_one_feature_at_the_finer_place() -> None:
    text = ("An attack in northern Burkina Faso killed ten people. "
            "The attack hit a market in Djibo.")
    (attack,) = _of(_frames(text, "en"), "attack")
    assert [p.place.name for p in attack.places] == ["Djibo"]


def test_attacks_layer_points_with_target_and_toll() -> None:
    layers = build_layers(geoparse("Jihadists ambushed Malian soldiers near Gao and Kidal, "
                                   "killing 9.", lang="en"))
    attacks = layers["attacks"]
    assert len(attacks) == 2 and set(attacks.geometry.geom_type) == {"Point"}
    assert set(attacks.toll) == {9} and set(attacks.target) == {"Malian troops"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The Salafist Group for Preaching and Combat is active in Algeria.", "en"),
     ("Le Groupe salafiste pour la prédication et le combat est actif en Algérie.", "fr"),
     ("تنشط الجماعة السلفية للدعوة والقتال في الجزائر.", "ar")],
)
def test_a_trigger_inside_an_organisation_name_is_part_of_the_name(text, lang) -> None:
    assert _of(_frames(text, lang), "attack") == []


@pytest.mark.parametrize(
    ("text", "lang", "places"),
    [("Thousands fled northern Mali to escape the fighting.", "en", None),
     ("Heavy fighting broke out in Menaka on Sunday.", "en", ["Ménaka"]),
     ("Des milliers de civils ont fui le nord du Mali pour échapper aux combats.", "fr", None),
     ("Des combats ont éclaté à Ménaka dimanche.", "fr", ["Ménaka"]),
     ("فر آلاف المدنيين من شمال مالي هربا من المعارك.", "ar", None)],
)
def test_general_words_for_fighting_need_a_place_they_are_at(text, lang, places) -> None:
    attacks = _of(_frames(text, lang), "attack")
    assert [[p.place.name for p in a.places] for a in attacks] == ([places] if places else [])


def test_two_attacks_in_one_long_clause() -> None:
    text = "تتواصل معركة طرابلس منذ أشهر بين القوات المتنافسة بينما اندلعت المعارك في مدينة مرزق"
    places = {p.place.name for a in _of(_frames(text, "ar"), "attack") for p in a.places}
    assert places == {"Tripoli", "Murzuk"}


@pytest.mark.parametrize(
    ("text", "lang", "strike"),
    [("Drones already used against militants in Pakistan may come to Mali.", "en", False),
     ("A drone strike hit a convoy near Gao.", "en", True),
     ("Des drones déjà utilisés au Pakistan pourraient arriver au Mali.", "fr", False),
     ("Des tirs de drones ont visé Kidal.", "fr", True),
     ("الطائرات المسيرة التي تستخدم بالفعل في باكستان.", "ar", False),
     ("استهدفت طائرات مسيرة رتلا قرب كيدال.", "ar", True)],
)
def test_a_drone_is_a_weapon_a_drone_strike_is_a_strike(text, lang, strike) -> None:
    assert bool(_of(_frames(text, lang), "strike")) is strike


@pytest.mark.parametrize(
    ("text", "lang"),
    [("French jets carried out air strikes on Timbuktu and Gao.", "en"),
     ("Des frappes aériennes ont visé Tombouctou et Gao.", "fr"),
     ("شنت طائرات فرنسية غارات جوية على تمبكتو وغاو.", "ar")],
)
def test_one_strike_feature_per_place(text, lang) -> None:
    strikes = build_layers(geoparse(text, lang=lang))["strikes"]
    assert len(strikes) == 2  # places joined by "and" are two events


def test_an_attack_on_an_area_across_borders_and_on_a_town_in_it_is_one_event() -> None:
    text = ("Eighteen people died in an attack on Lake Chad. The militants attacked a village "
            "near Bol on Thursday.")
    (attack,) = _of(_frames(text, "en"), "attack")
    assert [p.place.name for p in attack.places] == ["Bol"] and attack.toll == 18


def test_a_place_far_before_the_trigger_is_not_its_place() -> None:
    text = ("Gao, a town on the Niger river that was long a trading hub for salt and gold, "
            "suffered heavy losses when militants later attacked.")
    assert _of(_frames(text, "en"), "attack") == []


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "csv", "geojson"])
def test_the_attacks_layer_exports(tmp_path, fmt) -> None:
    import pyogrio

    from geo.export import write_layers

    layers = build_layers(geoparse("Jihadists ambushed soldiers near Gao, killing 9.", lang="en"))
    path = write_layers(layers, tmp_path / f"out.{fmt}", fmt)
    if fmt == "gpkg":
        attacks = pyogrio.read_dataframe(path, layer="attacks")
        assert len(attacks) == 1 and attacks.toll.iloc[0] == 9
    else:
        assert "attack" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [
        ("At least 15 people were killed in Nigeria in an attack on a village in Yobe state.",
         "en", "Yobe"),
        ("Quinze personnes ont été tuées au Nigeria lors d'une attaque contre un village de "
         "l'État de Yobe.", "fr", "Yobe"),
        ("قتل 15 شخصا في نيجيريا في هجوم على قرية في ولاية يوبي.", "ar", "Yobe"),
    ],
)
def test_an_attack_told_at_a_country_moves_to_the_finer_place(text: str, lang: str,
                                                                place: str) -> None:
    frames = [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == "attack"]
    names = {p.place.name for f in frames for p in f.places}
    assert names and all(place in n for n in names), names


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Thousands of people have been killed in Mali since 2012 by the violence.", "en"),
        ("Au Burkina Faso, la recrudescence des attaques de groupes armés inquiète.", "fr"),
        ("امتدت الهجمات المسلحة إلى نيجيريا.", "ar"),
    ],
)
def test_an_attack_at_a_whole_country_is_no_point_event(text: str, lang: str) -> None:
    frames = extract_frames(geoparse(text, lang=lang))
    assert not [f for f in frames.found if f.type == "attack"]


def test_an_event_told_at_two_scales_is_one_but_another_region_stays() -> None:
    nested = _frames("Gunmen attacked a village in Borno State on Monday. The attack "
                     "happened in Gwoza, residents said.", "en")
    assert [[p.place.name for p in f.places] for f in _of(nested, "attack")] == [["Gwoza"]]
    regions = _frames("The air force carried out strikes in the Ségou and Timbuktu regions "
                      "on Sunday. The strikes hit hideouts near Sokolo.", "en")
    places = {p.place.name for f in _of(regions, "strike") for p in f.places}
    assert {"Timbuktu", "Sokolo"} <= places  # Sokolo is in the Ségou region, not Timbuktu's


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [("À Ménaka, les combats ont repris dimanche.", "fr", "Ménaka"),
     ("In Kufra, fighting erupted on Thursday.", "en", "Kufra")],
)
def test_fighting_right_after_the_place_that_sets_it(text, lang, place) -> None:
    frames = _frames(text, lang)
    assert [[p.place.name for p in f.places] for f in _of(frames, "attack")] == [[place]]
    assert _of(frames, "control") == []  # fighting "resumed" ("a repris") took nothing


def test_the_arabic_preposition_fused_to_a_place_locates_the_event() -> None:
    found = _of(_frames("وعقدت أول قمة لقادة الدول الثلاث أول أمس بنيامي.", "ar"), "meeting")
    assert [[p.place.name for p in f.places] for f in found] == [["Niamey"]]


def test_a_name_that_starts_with_the_letter_of_the_preposition_keeps_it() -> None:
    from geo.frames.context import FrameContext, fused_in
    from geo.gazetteer import get_gazetteer

    text = "اندلعت اشتباكات عنيفة في باماكو وبنيامي."
    ctx = FrameContext(geoparse(text, lang="ar"), None, get_gazetteer())
    assert {m.place.name: fused_in(ctx, m) for m in ctx.mentions if m.place} == {
        "Bamako": False, "Niamey": True}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The mayor of Diffa said residents live in fear of attacks from the Islamists.", "en"),
     ("À Diffa, les habitants vivent dans la crainte d'attaques jihadistes.", "fr"),
     ("يعيش سكان ديفا في خوف من هجمات المسلحين.", "ar")],
)
def test_the_fear_of_attacks_is_no_attack(text, lang) -> None:
    assert _of(_frames(text, lang), "attack") == []
