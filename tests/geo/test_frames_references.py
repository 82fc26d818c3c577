"""Places that locate an event only from afar, datelines without a dash, names that hold a
place (an army's acronym, a peace accord, a coalition), and news that stays news when the
report recalls the place's past (own sentences in three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame
from tests.geo.test_exclusions import _reasons


def _frames(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


def _places(frames: list[Frame]) -> set[str]:
    return {p.place.name for f in frames for p in f.places}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Gunmen attacked a military camp some 300 km north-east of Gao on Sunday.", "en"),
        ("Des hommes armés ont attaqué un camp militaire à une centaine de kilomètres au "
         "nord de Gao.", "fr"),
        ("هاجم مسلحون معسكرا للجيش على بعد 300 كلم شمال مدينة غاو.", "ar"),
    ],
)
def test_a_place_far_from_the_event_is_no_location(text: str, lang: str) -> None:
    assert "Gao" not in _places(_frames(text, lang, "attack"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Gunmen attacked a military camp 20 km from Gao on Sunday.", "en"),
        ("Des hommes armés ont attaqué un camp militaire à une dizaine de kilomètres de Gao.",
         "fr"),
        ("هاجم مسلحون معسكرا للجيش على بعد 20 كلم من غاو.", "ar"),
    ],
)
def test_a_place_near_the_event_still_locates_it(text: str, lang: str) -> None:
    assert "Gao" in _places(_frames(text, lang, "attack"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Les FAMa ont pris le contrôle de Kidal après des combats.", "fr"),
        ("The FAMa took control of Kidal after heavy fighting.", "en"),
        ("سيطرت الفاما على كيدال بعد معارك عنيفة.", "ar"),
    ],
)
def test_the_malian_army_acronym_is_an_actor_not_a_village(text: str, lang: str) -> None:
    (control,) = _frames(text, lang, "control")
    assert _places([control]) == {"Kidal"} and control.actor == "Malian army"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The army says it took the town of Kidal on Tuesday. The offensive on Kidal had "
         "resumed in 2012.", "en"),
        ("L'armée affirme avoir pris la ville stratégique de Kidal mardi. L'offensive vers "
         "Kidal avait repris en 2012.", "fr"),
        ("أعلن الجيش سيطرتهم على مدينة كيدال يوم الثلاثاء. وكانت مدينة كيدال قد سقطت بيد "
         "المتمردين في 2012.", "ar"),
    ],
)
def test_news_stays_news_when_the_report_recalls_the_past(text: str, lang: str) -> None:
    result = geoparse(text, lang=lang)
    (control,) = [f for f in extract_frames(result, published=None).found
                  if f.type == "control"]
    assert _places([control]) == {"Kidal"} and control.status == "reported"


@pytest.mark.parametrize(
    ("text", "lang", "dateline", "kept"),
    [
        # closed by its date, not a dash
        ("BENGHAZI, Libya, July 21 Dozens have been killed in clashes in Sabha.", "en",
         "Libya", "Sabha"),
        ("GAO, 3 mars 2019 Des jihadistes ont attaqué Ménaka dimanche.", "fr", "GAO",
         "Ménaka"),
        # bars instead of a dash
        ("N’Djamena, Chad | AFP | Six people were killed in an attack in Bol.", "en", "Chad",
         "Bol"),
        ("Niamey | AFP | Des jihadistes ont attaqué Tillabéri.", "fr", "Niamey", "Tillabéri"),
        ("نيامي | فرانس برس | هاجم مسلحون بلدة تيلابيري.", "ar", "نيامي", "تيلابيري"),
        # a byline inside a line
        ("Soldiers died in an attack near Djibo, sources told Xinhua. ANI | Ouagadougou | "
         "Updated: 22-04-2019", "en", "Ouagadougou", "Djibo"),
    ],
)
def test_datelines_closed_by_a_date_or_bars(text: str, lang: str, dateline: str,
                                            kept: str) -> None:
    reasons = _reasons(text, lang)
    assert reasons[dateline] == "dateline" and reasons[kept] is None


@pytest.mark.parametrize(
    ("text", "lang", "accord"),
    [
        ("The rebels signed the Agreement for Peace and Reconciliation in Mali in Bamako.",
         "en", "Mali"),
        ("Les rebelles ont signé à Bamako l'accord d'Alger pour la paix.", "fr", "Alger"),
        ("وقعت الحركات في باماكو على اتفاق السلم والمصالحة في مالي.", "ar", "مالي"),
    ],
)
def test_a_place_naming_a_peace_accord_is_no_venue(text: str, lang: str, accord: str) -> None:
    assert _reasons(text, lang)[accord] == "organisation"
    meetings = _frames(text, lang, "meeting")
    assert _places(meetings) == {"Bamako"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The G5 Sahel countries agreed to pool their troops. Mali, Niger and Burkina Faso "
         "will send the most.", "en"),
        ("Les pays du G5 Sahel ont décidé de mettre leurs troupes en commun. Le Mali, le "
         "Niger et le Burkina Faso en enverront le plus.", "fr"),
        ("قررت دول مجموعة الساحل الخمس توحيد قواتها، وهي موريتانيا ومالي والنيجر وبوركينا "
         "فاسو وتشاد.", "ar"),
    ],
)
def test_a_coalition_is_drawn_from_its_members_not_its_name(text: str, lang: str) -> None:
    from geo.layers import layer_features

    features, _ = layer_features(geoparse(text, lang=lang))
    (coalition,) = [f for f in features if f.layer == "coalitions"]
    assert set(coalition.members) >= {"ML", "NE", "BF"} and coalition.mentions == ()


@pytest.mark.parametrize(
    ("text", "lang", "surface", "reason"),
    [
        # a town after a patronymic particle is a person's name
        ("Envoy Mohamed Ibn Chambas said militants hide in Sambisa.", "en", "Chambas",
         "person"),
        ("L'émissaire Mohamed Ibn Chambas affirme que des jihadistes se cachent à Sambisa.",
         "fr", "Chambas", "person"),
        ("قال محمد بن كيدال إن المسلحين هاجموا غاو.", "ar", "كيدال", "person"),
        # an English place before the body it qualifies
        ("Rebel groups oppose the N'Djamena authorities in northern Chad.", "en", "N'Djamena",
         "qualifier"),
        ("The Bamako government sent troops to Gao.", "en", "Bamako", "qualifier"),
        # where a source speaks from
        ("The camp was razed, a local official said, speaking from Mauritania.", "en",
         "Mauritania", "qualifier"),
        ("Le camp a été rasé, a indiqué un élu joint à Bamako.", "fr", "Bamako", "qualifier"),
        ("قال مسؤول محلي متحدثا من موريتانيا إن المخيم دمر.", "ar", "موريتانيا", "qualifier"),
    ],
)
def test_persons_bodies_and_sources_are_no_locations(text: str, lang: str, surface: str,
                                                     reason: str) -> None:
    assert _reasons(text, lang)[surface] == reason


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("Gunmen attacked Gao on Monday, the army said.", "en", "Gao"),
        ("The Gao attack killed ten soldiers.", "en", "Gao"),
        ("Ben Guerdane was attacked in 2016.", "en", "Ben Guerdane"),
    ],
)
def test_places_of_events_stay_locations(text: str, lang: str, surface: str) -> None:
    assert _reasons(text, lang).get(surface) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Militiamen fighting the Chadian government have set up camp inside Libya.", "en"),
        ("Des groupes rebelles tchadiens ont installé leurs bases en Libye.", "fr"),
        ("أقامت الميليشيات التشادية قواعد في ليبيا.", "ar"),
    ],
)
def test_militias_and_rebel_groups_are_armed_actors(text: str, lang: str) -> None:
    (sanctuary,) = _frames(text, lang, "sanctuary")
    assert _places([sanctuary]) == {"Libya"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Boko Haram militants seeking shelter in the Sambisa Forest.", "en"),
        ("Les combattants de Boko Haram se cachent dans la forêt de Sambisa.", "fr"),
        ("يتحصن مسلحو بوكو حرام في غابة سامبيسا.", "ar"),
        ("يختبئ مسلحو بوكو حرام في غابة سامبيسا.", "ar"),
    ],
)
def test_the_sambisa_forest_is_a_place(text: str, lang: str) -> None:
    (sanctuary,) = _frames(text, lang, "sanctuary")
    assert _places([sanctuary]) == {"Sambisa Forest"}


@pytest.mark.parametrize(
    ("text", "lang", "surface", "reason"),
    [
        # a person posted somewhere
        ("Mauritania summoned the Malian ambassador in Nouakchott.", "en", "Nouakchott",
         "qualifier"),
        ("La Mauritanie a convoqué l'ambassadeur à Nouakchott.", "fr", "Nouakchott",
         "qualifier"),
        ("وقال المراسل في نواكشوط إن الوضع هادئ.", "ar", "نواكشوط", "qualifier"),
        # a country that only owns its capital
        ("The border committee met in Mali's capital.", "en", "Mali", "qualifier"),
        ("Le comité s'est réuni dans la capitale du Mali.", "fr", "Mali", "qualifier"),
        # ... but the capital named is a place
        ("The committee met in the capital Bamako.", "en", "Bamako", None),
        ("اجتمعت اللجنة في العاصمة باماكو.", "ar", "باماكو", None),
    ],
)
def test_posts_and_capitals_qualify(text: str, lang: str, surface: str,
                                    reason: str | None) -> None:
    assert _reasons(text, lang)[surface] == reason


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("French President Francois Hollande told a news conference in Gao.", "en"),
        ("Le ministre a tenu une conférence de presse à Gao.", "fr"),
        ("عقد الوزير مؤتمرا صحفيا في غاو.", "ar"),
    ],
)
def test_a_news_conference_is_no_meeting(text: str, lang: str) -> None:
    assert not _frames(text, lang, "meeting")


def test_the_country_is_the_report_s_country_not_the_last_one_named() -> None:
    text = ("Mali's junta seized power in Mali in 2020. Mali's army has fought jihadists since. "
            "The junta broke off its alliance with France, turning towards Russia instead. "
            "This led to Wagner troops being deployed to the country.")
    deployments = _frames(text, "en", "deployment")
    assert _places(deployments) == {"Mali"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Drone strikes killed civilians in Kidal and Tessalit, near Algeria. The Malian junta "
      "turned to Russia instead of France. This led to Russian troops being deployed to the "
      "country.", "en"),
     ("Des frappes de drones ont tué des civils à Kidal et à Tessalit, près de l'Algérie. La "
      "junte malienne s'est tournée vers la Russie plutôt que la France. Des soldats russes "
      "ont alors été déployés dans le pays.", "fr"),
     ("قتلت غارات بطائرات مسيرة مدنيين في كيدال وتساليت قرب الجزائر. واتجه المجلس العسكري "
      "المالي إلى روسيا بدلا من فرنسا. وأدى ذلك إلى نشر قوات روسية في البلاد.", "ar")],
)
def test_the_country_is_the_one_whose_places_the_report_names(text, lang) -> None:
    # Mali is named as a country once, Russia twice; Kidal and Tessalit are Mali's
    deployments = _frames(text, lang, "deployment")
    assert _places(deployments) == {"Mali"}
