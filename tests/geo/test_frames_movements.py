"""Movements keep their roles (origin, destination, route, location); deployments are drawn
where the forces are or are going, flows from origin to destination; nouns alone, numbers
that are days or refugee counts, and verbs with other senses make no deployment (own
sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo import geoparse
from geo.frames import extract_frames
from geo.layers import build_layers
from geo.records import Frame


def _of(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


def _roles(frame: Frame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in frame.places:
        out.setdefault(p.role, []).append(p.place.name)
    return out


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Troops redeploying from Timbuktu to Gao arrived on Monday.", "en"),
     ("Les soldats se sont redéployés de Tombouctou vers Gao.", "fr"),
     ("انتقلت القوات المالية من تمبكتو إلى غاو.", "ar")],
)
def test_a_redeployment_is_drawn_where_the_forces_go(text, lang) -> None:
    (deployment,) = _of(text, lang, "deployment")
    assert _roles(deployment) == {"origin": ["Timbuktu"], "destination": ["Gao"]}
    layer = build_layers(geoparse(text, lang=lang))["deployments"]
    assert len(layer) == 1 and layer.geometry.iloc[0].distance(Point(-0.04, 16.27)) < 0.1
    assert layer.origin.iloc[0] == "Timbuktu"


@pytest.mark.parametrize(
    ("text", "lang", "where", "strength"),
    [("Some 400 Chadian troops are now in Niger.", "en", "Niger", 400),
     ("نشرت النيجر ألف جندي في أغاديز.", "ar", "Agadez", 1000),
     ("Quelque 1 500 soldats tchadiens ont été déployés à Niamey.", "fr", "Niamey", 1500)],
)
def test_deployment_place_and_strength(text, lang, where, strength) -> None:
    (deployment,) = _of(text, lang, "deployment")
    assert [p.place.name for p in deployment.places] == [where]
    assert deployment.strength == strength


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Gunmen attacked Djibo, killing 12 soldiers.", "en"),  # a noun, no place it is at
     ("نشرت صحيفة فرنسية تقريرا عن الوضع في مالي.", "ar"),  # نشر: to publish
     ("نشرت الجماعة الرعب في القرى المحيطة بغاو.", "ar"),  # نشر: to spread (fear)
     ("Mauritania sent a delegation to Bamako.", "en"),  # sent, but no forces
     ("La Mauritanie a envoyé une délégation à Bamako.", "fr")],
)
def test_no_deployment(text, lang) -> None:
    assert _of(text, lang, "deployment") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Les troupes sont arrivées à Gao le 26 janvier.", "fr"),
     ("Troops arrived in Gao on January 26.", "en"),
     ("The army deployed troops to Diffa, where 5,000 refugees have arrived.", "en")],
)
def test_days_and_refugee_counts_are_no_strength(text, lang) -> None:
    (deployment,) = _of(text, lang, "deployment")
    assert deployment.strength is None


@pytest.mark.parametrize(
    ("text", "lang", "roles"),
    [("Refugees fled from the Dori region to Kaya.", "en",
      {"origin": ["Dori"], "destination": ["Kaya"]}),
     ("Les habitants ont fui Djibo vers Ouagadougou et Kaya.", "fr",
      {"origin": ["Djibo"], "destination": ["Ouagadougou", "Kaya"]}),
     ("Malian refugees fled to the Mbera camp in Mauritania.", "en",
      {"origin": ["Mali"], "destination": ["Mbera"]}),
     ("Des réfugiés maliens ont fui vers le camp de Mbera en Mauritanie.", "fr",
      {"origin": ["Mali"], "destination": ["Mbera"]}),
     ("فر اللاجئون من غاو إلى النيجر.", "ar", {"origin": ["Gao"], "destination": ["Niger"]})],
)
def test_flight_roles(text, lang, roles) -> None:
    (flow,) = _of(text, lang, "displacement")
    assert _roles(flow) == roles


def test_flows_run_from_origin_to_destination() -> None:
    layer = build_layers(geoparse("Refugees fled from the Dori region to Kaya.", lang="en"))
    (line,) = layer["displacement"].geometry
    dori, kaya = Point(-0.03, 14.03), Point(-1.08, 13.09)
    assert Point(line.coords[0]).distance(dori) < 0.1
    assert Point(line.coords[-1]).distance(kaya) < 0.1


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Jihadists fled with their hostages towards Mali.", "en"),
     ("Les ravisseurs ont fui avec leurs otages vers le Mali.", "fr"),
     ("فر المسلحون مع الرهائن نحو مالي.", "ar")],
)
def test_militants_fleeing_with_hostages_are_no_refugees(text, lang) -> None:
    assert _of(text, lang, "displacement") == []


def test_civilians_fleeing_somewhere_take_no_sanctuary() -> None:
    assert _of("Malian refugees fled to the Mbera camp in Mauritania.", "en",
               "sanctuary") == []


def test_each_of_is_no_origin_and_each_destination_is_drawn() -> None:
    text = "وأن معظم النازحين ذهبوا إلى كل من النيجر وبوركينا فاسو وموريتانيا."
    (flow,) = _of(text, "ar", "displacement")
    assert _roles(flow) == {"destination": ["Niger", "Burkina Faso", "Mauritania"]}
    assert len(build_layers(geoparse(text, lang="ar"))["displacement"]) == 3


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The UN High Commissioner for Refugees opened an office in Niamey.", "en"),
     ("Le Haut-Commissariat des Nations unies pour les réfugiés a ouvert un bureau à Niamey.",
      "fr"),
     ("À Niamey, le Haut Commissaire des Nations unies pour les réfugiés a tenu une "
      "conférence.", "fr"),
     ("افتتحت المفوضية العليا لشؤون اللاجئين مكتبا في نيامي.", "ar")],
)
def test_the_refugee_agency_is_no_refugee_flow(text, lang) -> None:
    assert _of(text, lang, "displacement") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [("JNIM fighters attacked an army post in Menaka on Sunday, killing 12 soldiers.", "en"),
     ("Des jihadistes ont attaqué un poste à Ménaka, tuant 12 soldats.", "fr"),
     ("هاجم مسلحون موقعا للجيش في ميناكا ما أدى إلى مقتل 12 جنديا.", "ar")],
)
def test_soldiers_killed_are_victims_not_a_deployment(text, lang) -> None:
    assert _of(text, lang, "deployment") == []


@pytest.mark.parametrize(
    ("text", "lang", "where"),
    [("La région de Diffa abrite plus de 300.000 réfugiés et déplacés.", "fr", "Diffa"),
     ("Dans la Mauritanie voisine, de nombreux déplacés trouvent refuge.", "fr", "Mauritania"),
     ("À Kaya, des dizaines de familles de déplacés sont arrivées.", "fr", "Kaya"),
     ("The family has spent the past year in an informal IDP camp near Kaya.", "en", "Kaya"),
     ("ويوجد بالنيجر وفق الأمم المتحدة 60 ألف لاجئ.", "ar", "Niger"),
     ("تسعى الأمم المتحدة لإغلاق مخيمين في النيجر، يؤويان آلاف اللاجئين.", "ar", "Niger")],
)
def test_people_displaced_in_a_place_are_anchored_there(text, lang, where) -> None:
    (flight,) = _of(text, lang, "displacement")
    assert _roles(flight)["destination"] == [where]


def test_a_place_of_another_verb_is_no_destination() -> None:
    text = ("Military leaders met in Mauritania last week and agreed to care for the refugees "
            "who left northern Mali.")
    (flight,) = _of(text, "en", "displacement")
    assert "destination" not in _roles(flight)


@pytest.mark.parametrize(
    ("text", "lang", "where"),
    [("Trois drones armés vont opérer à partir de la base aérienne de Niamey.", "fr", "Niamey"),
     ("The drones are based at the air base in Niamey.", "en", "Niamey"),
     ("La ville de Ménaka accueille un bataillon de 500 casques bleus nigériens.", "fr",
      "Ménaka")],
)
def test_a_force_at_a_base_or_hosted_by_a_town_is_deployed_there(text, lang, where) -> None:
    (deployment,) = _of(text, lang, "deployment")
    assert _roles(deployment) == {"location": [where]}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Militants attacked a military base in Gamboru on Sunday.", "en"),
     ("Des jihadistes ont attaqué la base militaire de Boulkessi.", "fr")],
)
def test_a_base_under_attack_is_no_deployment(text, lang) -> None:
    assert _of(text, lang, "deployment") == []


@pytest.mark.parametrize(
    ("text", "lang", "roles"),
    [("Le HCR a rappelé la situation des réfugiés maliens du camp de Mentao, dans la province "
      "du Soum.", "fr", {"origin": ["Mali"], "destination": ["Mentao"]}),
     ("Thousands of civilians fled from the town of Djibo to the city of Kaya.", "en",
      {"origin": ["Djibo"], "destination": ["Kaya"]}),
     ("Des milliers de civils ont fui vers la ville de Kaya.", "fr", {"destination": ["Kaya"]})],
)
def test_a_unit_noun_belongs_to_the_name_and_a_region_that_locates_a_town_drops(
        text, lang, roles) -> None:
    (flight,) = _of(text, lang, "displacement")
    assert _roles(flight) == roles


def test_places_listed_in_a_fronted_setting_are_all_destinations() -> None:
    text = "À Kaya et à Dori, des dizaines de familles de déplacés sont arrivées cette semaine."
    (flight,) = _of(text, "fr", "displacement")
    assert _roles(flight) == {"destination": ["Kaya", "Dori"]}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Thirteen Chadian soldiers and 65 rebels were killed on Friday in the Adrar des Ifoghas "
      "mountains.", "en"),
     ("Fighting took place between Boko Haram and joint task force soldiers in Arge, in "
      "Nigeria.", "en"),
     ("Treize soldats tchadiens ont été tués vendredi dans l'Adrar des Ifoghas.", "fr"),
     ("قتل 13 جنديا تشاديا يوم الجمعة في جبال أدرار إيفوغاس.", "ar")],
)
def test_soldiers_killed_or_fighting_are_no_deployment(text, lang) -> None:
    assert _of(text, lang, "deployment") == []


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [("Chad deployed 400 soldiers to Gao after clashes in the region.", "en", "Gao"),
     ("Le Tchad a déployé 400 soldats à Gao après des combats dans la région.", "fr", "Gao"),
     ("نشرت تشاد 400 جندي في غاو بعد معارك في المنطقة.", "ar", "Gao")],
)
def test_a_deployment_verb_still_deploys_in_a_clause_of_fighting(text, lang, place) -> None:
    (frame,) = _of(text, lang, "deployment")
    assert place in _roles(frame).get("destination", []) + _roles(frame).get("location", [])


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Avec plus de 78 000 réfugiés, le camp de Mbera est l'un des plus grands du Sahel. La "
      "plupart des réfugiés de Mbera viennent de Tombouctou.", "fr"),
     ("Some 75,000 refugees live in the Mbera camp. Most refugees of Mbera come from "
      "Timbuktu.", "en"),
     ("يعيش 75 ألف لاجئ في مخيم امبرة. ومعظم اللاجئين من امبرة قدموا من تمبكتو.", "ar")],
)
def test_a_camp_is_where_people_are_not_where_they_come_from(text, lang) -> None:
    frames = _of(text, lang, "displacement")
    assert frames and all("Mbera" not in _roles(f).get("origin", []) for f in frames)
    assert any("Mbera" in _roles(f).get("destination", []) for f in frames)


@pytest.mark.parametrize(
    ("text", "lang", "frame_type", "where"),
    [("À Dori, où le ministre s'est rendu, des dizaines de familles de déplacés sont "
      "arrivées.", "fr", "displacement", "Dori"),
     ("He went to Dori, where dozens of displaced families have arrived.", "en",
      "displacement", "Dori"),
     ("وصل الوزير إلى مدينة غاو المالية، حيث وصلت عشرات الأسر النازحة.", "ar",
      "displacement", "Gao"),
     ("Le ministre s'est rendu à Ménaka, où sont stationnés 500 casques bleus.", "fr",
      "deployment", "Ménaka"),
     ("The minister went to Gao, where 500 peacekeepers are stationed.", "en",
      "deployment", "Gao"),
     ("L'Algérie a fermé sa frontière avec le Mali, où une intervention militaire française "
      "est en cours.", "fr", "deployment", "Mali"),
     ("وصل الوزير إلى مدينة غاو المالية، حيث تنتشر قوات فرنسية.", "ar", "deployment",
      "Gao")],
)
def test_the_place_a_relative_where_follows_is_where_the_event_is(
        text, lang, frame_type, where) -> None:
    (frame,) = _of(text, lang, frame_type)
    assert where in [p.place.name for p in frame.places if p.role != "origin"]
