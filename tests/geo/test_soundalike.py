"""Unseen names read by sound (geo.soundalike, geo.skeleton), on sentences
written for these tests: towns GeoNames holds under a Latin name only, and
press spellings that differ from GeoNames'."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo import geoparse
from geo.gazetteer import get_gazetteer
from geo.skeleton import skeleton


@pytest.mark.parametrize(
    ("written", "geonames"),
    [
        ("أنسونغو", "Ansongo"),
        ("بوريم", "Bourem"),
        ("ميناكا", "Ménaka"),
        ("مرزق", "Murzuq"),
        ("ديفا", "Diffa"),
        ("تين إساكو", "Ti-n-Essako"),
        ("Tin Essako", "Ti-n-Essako"),
        ("Anderamboukane", "Andéramboukane"),
        ("جيبو", "Djibo"),
        ("الفاشر", "El Fasher"),
    ],
)
def test_transliterations_share_a_skeleton(written: str, geonames: str) -> None:
    assert skeleton(written) == skeleton(geonames)


@pytest.mark.parametrize(
    ("text", "lang", "surface", "name", "iso"),
    [
        ("هاجم مسلحون بلدة بوسو في النيجر فجر اليوم.", "ar", "بوسو", "Bosso", "NE"),
        ("فر السكان من قرية مونغونو في ولاية بورنو شمال شرق نيجيريا.", "ar", "مونغونو",
         "Monguno", "NG"),
        ("انتشر الجيش في منطقة تيليا غرب النيجر.", "ar", "تيليا", "Tillia", "NE"),
        ("Les déplacés sont arrivés à Mongonou, au Nigeria, mardi.", "fr", "Mongonou",
         "Monguno", "NG"),
        ("Gunmen attacked the town of Tiliya in western Niger.", "en", "Tiliya", "Tillia", "NE"),
        ("Fighters withdrew to Mongunu in Nigeria's Borno State.", "en", "Mongunu",
         "Monguno", "NG"),
        # A name in quotation marks after the cue word.
        ('هاجم مسلحون بلدة "بوسو" في النيجر.', "ar", "بوسو", "Bosso", "NE"),
        ("Les assaillants ont visé le village de « Tiliya », au Niger.", "fr", "Tiliya",
         "Tillia", "NE"),
    ],
)
def test_unseen_spelling_found_by_sound(
    text: str, lang: str, surface: str, name: str, iso: str
) -> None:
    found = {m.surface: m for m in geoparse(text, lang=lang).mentions}
    place = found[surface].place
    assert place is not None and place.name == name and place.country == iso
    unheard = {m.surface: m for m in geoparse(text, lang=lang, sound_matching=False).mentions}
    assert surface not in unheard or unheard[surface].place != place


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("L'armée a repris le camp de Zourkaba, au Burkina Faso.", "fr", "Zourkaba"),
        ("Residents fled the village of Wakkirandi in Niger.", "en", "Wakkirandi"),
        # After a locative that names a place when a capital follows.
        ("Deux soldats ont été blessés à Kourfadabé, dans l'ouest du Niger.", "fr",
         "Kourfadabé"),
        ("Gunmen killed three farmers near Zangebiri in Niger on Sunday.", "en", "Zangebiri"),
    ],
)
def test_unknown_name_after_a_cue_is_a_reasoned_miss(text: str, lang: str, surface: str) -> None:
    found = {m.surface: m for m in geoparse(text, lang=lang).mentions}
    assert found[surface].place is None and found[surface].reason
    assert surface not in {m.surface for m in geoparse(text, lang=lang,
                                                        sound_matching=False).mentions}


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("أعلن الجيش في بيان أن الوضع هادئ في النيجر.", "ar", "بيان"),
        ("The soldiers returned to Operation Barkhane bases in Niger.", "en", "Operation"),
        ("Les soldats sont rentrés à Bamako puis à Pâques ils sont repartis.", "fr", "Pâques"),
    ],
)
def test_common_words_in_place_context_stay_words(text: str, lang: str, word: str) -> None:
    assert not any(word in m.surface for m in geoparse(text, lang=lang).mentions)


@pytest.mark.parametrize(
    ("text", "lang", "surface", "place_id"),
    [
        ("Des soldats ont été tués à Boulikessi, dans le centre du Mali.", "fr", "Boulikessi",
         "kh:boulkessi"),
        # A longer name heard by sound wins over a short known name inside it.
        ("Des tirs ont visé l'armée malienne à Tin Zaouatine, au Mali.", "fr", "Tin Zaouatine",
         "kh:tinzaouaten-mali"),
        ("قتل جنديان في هجوم على بلدة فوتوكول في أقصى شمال الكاميرون.", "ar", "فوتوكول",
         "kh:fotokol"),
        ("Fighters raided the town of Malam Fatori in Borno State, Nigeria.", "en",
         "Malam Fatori", "gn:2347033"),
        ("Gunmen attacked Amchide, near the Nigerian border in Cameroon.", "en", "Amchide",
         "kh:amchide"),
        # Spelled otherwise than the curated names: found by sound.
        ("Les militaires postés à Boulkesi, au Mali, ont été attaqués.", "fr", "Boulkesi",
         "kh:boulkessi"),
    ],
)
def test_curated_conflict_towns(text: str, lang: str, surface: str, place_id: str) -> None:
    found = {m.surface: m for m in geoparse(text, lang=lang).mentions}
    assert found[surface].place is not None and found[surface].place.id == place_id


def test_curated_towns_lie_in_their_country() -> None:
    gazetteer = get_gazetteer()
    towns = [p for p in gazetteer.curated() if p.type == "town"]
    assert len(towns) > 30
    for town in towns:
        outline = gazetteer.geometry(gazetteer.country(town.country or "").id)
        # Point(lon, lat): shapely's order; 0.2 degrees of slack for border towns.
        assert outline.distance(Point(town.lon, town.lat)) < 0.2, town.id


def test_arabic_towns_listed_with_a_town_of_the_text() -> None:
    text = "سيطر مسلحون على الطريق الذي يربط بين أنسونغو وبوريم شمال مالي."
    found = {m.surface: m for m in geoparse(text, lang="ar").mentions}
    assert found["وبوريم"].place is not None and found["وبوريم"].place.name == "Bourem"
    assert found["أنسونغو"].place is not None and found["أنسونغو"].place.country == "ML"
