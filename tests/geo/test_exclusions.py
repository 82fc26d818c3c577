"""Places that are never frame participants: datelines, names of organisations and
forces, comparisons, persons' names, and places that only qualify a person or an object
(own sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.frames.actors import find_organisations
from geo.frames.clauses import Document
from geo.frames.exclusions import Exclusions
from geo.lexicon import lexicon
from tests.geo.test_layers_support import annotate


def _participants(text: str, lang: str) -> set[str]:
    frames = extract_frames(geoparse(text, lang=lang)).found
    return {p.place.name for f in frames for p in f.places}


def _reasons(text: str, lang: str) -> dict[str, str | None]:
    result = geoparse(text, lang=lang)
    doc = Document(result)
    mentions = sorted(result.resolved, key=lambda m: m.start)
    found = Exclusions(doc, mentions, [(s, e) for _, s, e in find_organisations(doc)])
    return {m.surface: found.reason(m) for m in mentions}


@pytest.mark.parametrize(
    ("text", "lang", "kept", "left_out"),
    [
        # datelines
        ("NIAMEY (AFP) - Jihadists seized the town of Menaka on Monday.", "en",
         "Ménaka", "Niamey"),
        ("BAMAKO, 2 décembre (AFP) — Des jihadistes ont pris le contrôle de Ménaka.", "fr",
         "Ménaka", "Bamako"),
        ("نواكشوط - سيطر مسلحون على مدينة كيدال.", "ar", "Kidal", "Nouakchott"),
        # a place inside the name of an armed group
        ("Fighters of the Islamic State in the Sahel seized Gao.", "en", "Gao", "Sahel"),
        ("Des combattants de l'État islamique au Sahel contrôlent Ménaka.", "fr", "Ménaka",
         "Sahel"),
        # a place that only says whose a person is
        ("The president of Niger met the president of Mali in Bamako.", "en", "Bamako",
         "Mali"),
        ("Le président du Niger a rencontré le président du Mali à Bamako.", "fr", "Bamako",
         "Mali"),
        ("التقى رئيس النيجر رئيس مالي في باماكو.", "ar", "Bamako", "Niger"),
        # comparisons
        ("Rebels control an area the size of France in northern Mali.", "en",
         "northern Mali", "France"),
        ("Les rebelles contrôlent une zone grande comme la France au nord du Mali.", "fr",
         "northern Mali", "France"),
        ("قالت صحيفة إن مسلحين يسيطرون على منطقة بحجم فرنسا في شمال مالي.", "ar",
         "northern Mali", "France"),
        # a town that is a person's first name
        ("Kaya Ouedraogo, a farmer, said that jihadists control Djibo.", "en", "Djibo",
         "Kaya"),
        ("Kaya Ouédraogo, un habitant, affirme que des jihadistes contrôlent Djibo.", "fr",
         "Djibo", "Kaya"),
    ],
)
def test_left_out_of_frames(text: str, lang: str, kept: str, left_out: str) -> None:
    names = _participants(text, lang)
    assert kept in names
    assert not any(left_out in n for n in names)


@pytest.mark.parametrize(
    ("text", "lang", "surface", "reason"),
    [
        ("KIDAL, Mali (Reuters) - Soldiers patrolled the market.", "en", "Mali", "dateline"),
        ("Kidal - the town has been calm since Monday.", "en", "Kidal", "dateline"),
        ("Africa Corps troops were deployed to Kidal.", "en", "Africa", "organisation"),
        ("Jihadists armed with rifles made in China attacked Gao.", "en", "China",
         "qualifier"),
        ("Mali's army retook Kidal.", "en", "Mali", "qualifier"),
        ("L'armée du Niger a repris Diffa.", "fr", "Niger", "qualifier"),
        ("استعاد جيش النيجر مدينة ديفا.", "ar", "النيجر", "qualifier"),
        ("Kaya Sawadogo visited Djibo on Monday.", "en", "Kaya", "person"),
        ("Fighting resumed, officials in Niamey said.", "en", "Niamey", "qualifier"),
        ("Selon une source sécuritaire à Niamey, les combats ont repris.", "fr", "Niamey",
         "qualifier"),
        ("قال مصدر أمني في نيامي إن القتال تجدد.", "ar", "نيامي", "qualifier"),
    ],
)
def test_reasons(text: str, lang: str, surface: str, reason: str) -> None:
    assert _reasons(text, lang)[surface] == reason


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("Gao and Kidal were attacked; talks resumed in Niamey.", "en", "Niamey"),
        ("Troops left Kidal, which lies near Algeria (twice) - again.", "en", "Kidal"),
        ("Tahoua et Tillabéri – deux régions – sont instables.", "fr", "Tahoua"),
        ("The army is deployed in Mali and in Niger.", "en", "Mali"),
        ("The commander met officials in Niamey on Monday.", "en", "Niamey"),
    ],
)
def test_plain_places_are_kept(text: str, lang: str, surface: str) -> None:
    assert _reasons(text, lang)[surface] is None


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [("President Gao, a veteran, visited Kidal.", "en", "Gao"),
     ("Le colonel Gao, un vétéran, a visité Kidal.", "fr", "Gao"),
     ("وقال العقيد غاو إن الوضع هادئ في كيدال.", "ar", "غاو")],
)
def test_a_town_name_after_a_title_is_a_person(text: str, lang: str, surface: str) -> None:
    kidal = "كيدال" if lang == "ar" else "Kidal"
    result = annotate(text, lang, [(surface, "gn:gao", "toponym"),
                                   (kidal, "gn:kidal", "toponym")])
    doc = Document(result)
    found = Exclusions(doc, result.mentions)
    assert [found.reason(m) for m in result.mentions] == ["person", None]


def test_exclusion_lexicon_is_checked(monkeypatch) -> None:
    import geo.lexicon as lex

    lexicon.cache_clear()
    monkeypatch.setattr(lex, "_read", lambda name: {"datelines": {"max_words": 8}})
    with pytest.raises(lex.LayerError, match=r"exclusions\.yaml"):
        lexicon("exclusions")
    lexicon.cache_clear()


def test_a_town_far_from_every_other_place_of_the_report_is_an_outlier() -> None:
    from geo.records import Mention, Place

    def town(name: str, lat: float, lon: float, start: int) -> Mention:
        place = Place(id=f"t:{name}", name=name, type="town", lat=lat, lon=lon)
        return Mention(start=start, end=start + len(name), surface=name, kind="toponym",
                       place=place, precision=1, confidence=0.9, sentence=(0, 60))

    text = "Attacks in Gao, Kidal and Hue were reported on Monday by the army."
    mentions = [town("Gao", 16.27, -0.04, 11), town("Kidal", 18.44, 1.41, 16),
                town("Hue", 16.47, 107.6, 26)]
    result = annotate(text, "en", [])
    found = Exclusions(Document(result), mentions)
    assert [found.reason(m) for m in mentions] == [None, None, "outlier"]
    apart = Exclusions(Document(result), mentions[1:])
    assert apart.reason(mentions[2]) is None  # two places apart: no theatre to stray from


@pytest.mark.parametrize(
    ("text", "lang", "surface", "reason"),
    [("Twelve soldiers were killed in the dormitory, says the BBC's Will Ross in Abuja.", "en",
      "Abuja", "qualifier"),
     ('"We will leave soon," the colonel told reporters in Niamey.', "en", "Niamey",
      "qualifier"),
     ("Des jihadistes ont attaqué un camp, a précisé un responsable joint à Gao.", "fr", "Gao",
      "qualifier"),
     ("Officials said militants attacked Gao on Monday.", "en", "Gao", None),
     ("Le porte-parole a déclaré que les jihadistes ont attaqué Ménaka.", "fr", "Ménaka", None),
     ("قال مسؤولون إن مسلحين هاجموا غاو.", "ar", "غاو", None)],
)
def test_a_place_in_the_attribution_ending_a_sentence_is_the_source_s(text, lang, surface,
                                                                      reason) -> None:
    assert _reasons(text, lang)[surface] == reason
