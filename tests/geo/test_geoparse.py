"""The geoparser on sentences written for these tests, in ar/fr/en."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import geoparse
from geo.errors import InputError
from geo.records import GeoparseResult, Mention


def by_surface(result: GeoparseResult) -> dict[str, Mention]:
    return {m.surface: m for m in result.mentions}


def country(m: Mention) -> str | None:
    return m.place.country if m.place else None


@pytest.mark.parametrize(
    ("text", "surface", "iso", "ptype"),
    [
        ("عقد الاجتماع بمالي أمس.", "بمالي", "ML", "country"),
        ("اجتمع وزراء النيجر ومالي أمس.", "ومالي", "ML", "country"),
        ("أرسلت فرنسا قوات وموريتانيا تراقب الوضع.", "وموريتانيا", "MR", "country"),
        ("أعلن وزير الخارجية أن الدعم وصل للجزائر.", "للجزائر", "DZ", "country"),
        ("زار الوفد بوركينا فاسو الأسبوع الماضي.", "بوركينا فاسو", "BF", "country"),
        ("وقعت الولايات المتحدة الاتفاق.", "الولايات المتحدة", "US", "country"),
        ("أعلنت الجزائر أنها ستغلق حدودها.", "الجزائر", "DZ", "country"),
        ("وصل الوفد إلى الجزائر العاصمة مساء.", "الجزائر العاصمة", "DZ", "city"),
        ("اجتمع القادة في النيجر ثم في نيجيريا.", "النيجر", "NE", "country"),
        ("اجتمع القادة في النيجر ثم في نيجيريا.", "نيجيريا", "NG", "country"),
        ("Les rebelles contrôlent Kidal et Tombouctou.", "Tombouctou", "ML", None),
        ("Le ministre s'est rendu en Algérie puis à Alger.", "Algérie", "DZ", "country"),
        ("Le ministre s'est rendu en Algérie puis à Alger.", "Alger", "DZ", "city"),
        ("Des réfugiés ont quitté l'Algérie pour le Niger.", "Niger", "NE", "country"),
        ("Troops moved from Burkina Faso into Niger.", "Burkina Faso", "BF", "country"),
        ("The convoy reached Bordj Badji Mokhtar at dawn.", "Bordj Badji Mokhtar", "DZ", None),
    ],
)
def test_resolves_places(text: str, surface: str, iso: str, ptype: str | None) -> None:
    mention = by_surface(geoparse(text))[surface]
    assert mention.kind == "toponym"
    assert country(mention) == iso
    if ptype:
        assert mention.place is not None and mention.place.type == ptype


@pytest.mark.parametrize(
    ("text", "surface", "iso"),
    [
        ("قال مسؤولون جزائريون إن الجيش مستعد.", "جزائريون", "DZ"),
        ("انتشرت القوات الجزائرية على الحدود.", "الجزائرية", "DZ"),
        ("Les soldats maliens ont quitté la ville.", "maliens", "ML"),
        ("Algerian officials denied the report.", "Algerian", "DZ"),
    ],
)
def test_demonyms_point_to_their_country(text: str, surface: str, iso: str) -> None:
    mention = by_surface(geoparse(text))[surface]
    assert mention.kind == "demonym"
    assert country(mention) == iso


@pytest.mark.parametrize(
    ("text", "not_expected"),
    [
        ("ذكرت صحيفة واشنطن بوست أن المفاوضات فشلت.", "US"),
        ("هاجم تنظيم القاعدة في بلاد المغرب الإسلامي قافلة.", "MA"),
        ("نقلت وكالة فرانس برس الخبر.", "FR"),
        ("The Washington Post said talks failed.", "US"),
        ("France 24 reported the attack first.", "FR"),
        ("Selon Radio France Internationale, le convoi est reparti.", "FR"),
        ("Al-Qaïda au Maghreb islamique a revendiqué l'attaque.", "MA"),
        # a place inside a name opened by an organisation's head word
        ("Le Front populaire de libération du Tchad dément.", "TD"),
        ("Un porte-parole du Mouvement pour la justice au Niger (MJN) a parlé.", "NE"),
        ("la mission de l'ONU au Soudan (Minus) a été prolongée", "SD"),
        ("The Movement for Justice in Niger (MJN) denied it.", "NE"),
        ("A Front for the Liberation of Chad commander spoke.", "TD"),
        ("Algerie Telecom restored the lines.", "DZ"),
        ("أعلنت حركة تحرير تشاد مسؤوليتها", "TD"),
        ("قالت الجبهة الشعبية لتحرير موريتانيا إن", "MR"),
        ("وأكدت بعثة الأمم المتحدة لحفظ السلام في السودان", "SD"),
        # a head behind "and", a name in quotes, "to support", a bloc
        ("التقى الوفد قادة الجيش وحركة تحرير تشاد أمس", "TD"),
        ("ونقل المراسل عن الجبهة الوطنية والحركة الشعبية لتحرير موريتانيا", "MR"),
        ('وقالت إذاعة "المغرب الدولية" إن الوفد وصل', "MA"),
        ("وصلت قوات البعثة الأممية لدعم الصومال أمس", "SO"),
    ],
)
def test_names_inside_organisations_are_not_places(text: str, not_expected: str) -> None:
    result = geoparse(text)
    assert not_expected not in {country(m) for m in result.mentions}


def test_a_region_naming_a_bloc_is_part_of_its_name() -> None:
    result = geoparse("انسحبت بوركينا فاسو من تكتل شرق إفريقيا العام الماضي", lang="ar")
    assert [m.surface for m in result.mentions if m.kind == "toponym"] == ["بوركينا فاسو"]


@pytest.mark.parametrize(("text", "lang", "iso"), [
    ("Mercenaries of the Wagner Group in Mali withdrew.", "en", "ML"),
    ("Settlers stay in the West Bank and Jerusalem.", "en", "IL"),
    ("Le Front a repris le contrôle de Gao mardi.", "fr", "ML"),
    ("هاجمت جماعة مسلحة في مالي قرية نائية", "ar", "ML"),
    ("تخرج من جامعة القاهرة بمصر", "ar", "EG"),
])
def test_places_near_an_organisation_word_stay_places(text: str, lang: str, iso: str) -> None:
    assert iso in {country(m) for m in geoparse(text, lang=lang).mentions}


@pytest.mark.parametrize(
    ("text", "surface", "iso"),
    [
        ("سيطر المسلحون على شمال مالي بالكامل.", "شمال مالي", "ML"),
        ("Les combattants contrôlent le nord du Mali.", "nord du Mali", "ML"),
        ("Fighters hold northern Mali.", "northern Mali", "ML"),
    ],
)
def test_directional_parts_are_areas(text: str, surface: str, iso: str) -> None:
    mention = by_surface(geoparse(text))[surface]
    assert mention.precision == 5
    assert mention.place is not None and mention.place.country == iso
    # a derived part ("<id>#north") or the curated region reporting means by it
    assert mention.place.type in {"part", "region"}
    assert mention.place.id.endswith("#north") or mention.place.id.startswith("kh:")


@pytest.mark.parametrize(
    "text",
    [
        "نشرت السلطات الجزائرية آلاف الجنود جنوب البلاد.",
        "Les autorités algériennes ont envoyé des renforts dans le sud du pays.",
        "Algerian forces were sent to the south of the country.",
    ],
)
def test_the_country_is_the_one_the_sentence_is_about(text: str) -> None:
    part = [m for m in geoparse(text).mentions if m.precision == 5]
    assert len(part) == 1
    assert part[0].place is not None and part[0].place.country == "DZ"
    assert part[0].place.id.endswith("#south") or part[0].place.id.startswith("kh:")


def test_unknown_country_for_an_anaphor_is_a_reasoned_miss() -> None:
    result = geoparse("Fighting spread to the north of the country.")
    (mention,) = result.mentions
    assert mention.place is None and mention.reason


def test_context_picks_the_town_in_the_right_country() -> None:
    text = "Des combats ont eu lieu près de Gao, au Mali, puis à Kidal."
    gao = by_surface(geoparse(text))["Gao"]
    assert gao.place is not None and gao.place.country == "ML"


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u200f"])
def test_empty_text_gives_empty_result(text: str) -> None:
    assert geoparse(text).mentions == ()


@pytest.mark.parametrize("bad", [b"bytes", None, 42])
def test_non_text_is_a_named_error(bad: object) -> None:
    with pytest.raises(InputError, match="'text' should be str"):
        geoparse(bad)  # type: ignore[arg-type]


def test_unsupported_language_is_a_named_error() -> None:
    with pytest.raises(InputError, match="'lang'"):
        geoparse("Mali", lang="de")


def test_mentions_carry_sentence_and_contract_shape() -> None:
    text = "Kidal est tombée. Les réfugiés fuient vers la Mauritanie."
    result = geoparse(text)
    for m in result.mentions:
        s, e = m.sentence
        assert s <= m.start < m.end <= e
        d = m.to_dict()
        assert set(d) >= {"start", "end", "surface", "kind", "place", "precision",
                          "confidence", "sentence"}


def test_large_text_is_linear(tmp_path) -> None:
    import time

    unit = "Les troupes maliennes ont quitté Gao pour Kidal, au nord du Mali. " * 50

    def best_time(text: str) -> tuple[float, int]:
        times, count = [], 0
        for _ in range(3):
            started = time.perf_counter()
            count = len(geoparse(text).mentions)
            times.append(time.perf_counter() - started)
        return min(times), count

    t_small, n_small = best_time(unit * 4)
    t_big, n_big = best_time(unit * 40)
    assert n_big == 10 * n_small
    assert t_big < 20 * max(t_small, 0.01)  # 10x the text: linear, with room for noise


PIECES = st.sampled_from([
    "مالي", "ومالي", "للجزائر", "Kidal", "l'Algérie", "\u200f", "\u200e", "\u202b", "ـ",
    "é", "e\u0301", "Œ", " ", "\n", ".", "؟", "شمال", "nord du ", "😀", "‐", "الجزائريين",
])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_offsets_always_match_surface(text: str) -> None:
    result = geoparse(text)
    for m in result.mentions:
        assert text[m.start:m.end] == m.surface
        assert 0 <= m.start < m.end <= len(text)


def test_ten_megabytes_of_news() -> None:
    """A 10 MB text of news-like density goes through in linear time, offsets intact."""
    import time

    paragraph = (
        "Officials said on Tuesday that the convoy had left Gao before dawn and reached "
        "the outskirts of Kidal by nightfall, after a long drive across open country. "
        "Aid workers described the situation as difficult but stable, and said that more "
        "families were expected to arrive over the coming days from villages nearby. "
    )
    text = paragraph * (10_000_000 // len(paragraph))
    started = time.perf_counter()
    result = geoparse(text, lang="en")
    seconds = time.perf_counter() - started
    assert len(result.mentions) == 2 * (10_000_000 // len(paragraph))
    last = result.mentions[-1]
    assert text[last.start:last.end] == last.surface == "Kidal"
    assert seconds < 90, f"10 MB took {seconds:.1f} s"


def test_dateline_state_picks_the_town() -> None:
    mentions = by_surface(geoparse("A fire in Gainesville, Ga., destroyed two homes."))
    state = mentions["Ga"].place
    town = mentions["Gainesville"].place
    assert state is not None and state.type == "admin1" and state.name == "Georgia"
    assert town is not None and town.parent == state.id


@pytest.mark.parametrize("text", ["Deputies in Tarrant County made two arrests.",
                                  "The sheriff of Jefferson Parish spoke."])
def test_units_missing_from_the_gazetteer_are_reasoned_misses(text: str) -> None:
    (mention,) = geoparse(text).mentions
    assert mention.place is None and "gazetteer" in (mention.reason or "")
    assert mention.surface.endswith(("County", "Parish"))


@pytest.mark.parametrize("text", ["President Obama spoke.", "May was warm.",
                                  "Police said the Council met."])
def test_capitalised_words_are_not_towns(text: str) -> None:
    assert geoparse(text, lang="en").mentions == ()


def test_a_list_does_not_run_across_sentences() -> None:
    text = "قصفت الطائرات مواقع في الصومال. وكان مسؤول قد أعلن ذلك."
    assert [m.surface for m in geoparse(text).mentions] == ["الصومال"]


def test_a_preposition_after_a_list_is_not_a_village() -> None:
    text = "يضم التجمع النيجر وموريتانيا ومالي، إلى جانب الجزائر."
    surfaces = [m.surface for m in geoparse(text).mentions]
    assert surfaces == ["النيجر", "وموريتانيا", "ومالي", "الجزائر"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الدمار كبير في مرفأ بيروت.", ["بيروت"]),  # مرفأ "port" is not Merefa
        ("قال إنه سيعود في سنة قادمة.", []),  # سنة "year" is no city
        ("وقال وزير الدفاع ليون بانيتا إن", []),  # a person, not Lyon
    ],
)
def test_arabic_common_words_are_not_places(text: str, expected: list[str]) -> None:
    assert [m.surface for m in geoparse(text).mentions] == expected


def test_the_capital_named_elsewhere_does_not_make_the_country_a_city() -> None:
    text = "أغلقت الجزائر حدودها مع ليبيا. واجتمع الوزراء في الجزائر العاصمة."
    first, *_, last = geoparse(text).mentions
    assert first.place is not None and first.place.type == "country"
    assert last.place is not None and last.place.type == "city"


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("Some 2,500 Chadian troops were deployed.", "Chadian", "demonym"),
        ("Les jihadistes contrôlent la zone des trois frontières.",
         "zone des trois frontières", "toponym"),
    ],
)
def test_demonyms_and_lowercase_curated_names(text: str, surface: str, kind: str) -> None:
    mention = by_surface(geoparse(text))[surface]
    assert mention.kind == kind and mention.place is not None


@pytest.mark.parametrize(
    ("text", "surface", "iso"),
    [("Les forces tchadiennes se rendent en territoire nigérian.", "nigérian", "NG"),
     ("Les soldats nigérians ont franchi la frontière.", "nigérians", "NG"),
     ("Le territoire nigérien est vaste.", "nigérien", "NE"),
     ("Un soldat burkinabè a été blessé.", "burkinabè", "BF")],
)
def test_a_french_demonym_spelled_as_the_english_one_is_read_in_lower_case(
        text: str, surface: str, iso: str) -> None:
    mention = by_surface(geoparse(text, lang="fr"))[surface]
    assert mention.kind == "demonym" and mention.place is not None
    assert mention.place.country == iso


@pytest.mark.parametrize(("text", "surface", "place_id"), [
    ("Hundreds drowned crossing the Mediterranean last year.", "Mediterranean",
     "kh:mediterranean"),
    ("غرق قارب على ساحل البحر الأبيض المتوسط", "البحر الأبيض المتوسط", "kh:mediterranean"),
    ("Des pirates opèrent dans le golfe d'Aden.", "golfe d'Aden", "kh:gulf-of-aden"),
    ("اعترضت السفينة في المحيط الهندي", "المحيط الهندي", "kh:indian-ocean"),
])
def test_seas_and_oceans(text: str, surface: str, place_id: str) -> None:
    mention = by_surface(geoparse(text))[surface]
    assert mention.place is not None and mention.place.id == place_id
    assert mention.place.has_geometry


@pytest.mark.parametrize(("text", "lang"), [
    # a common Arabic word, not a proclitic glued to a rarer name
    ("حقق الفريق فوزا كبيرا في المباراة", "ar"),  # كبيرا "big", not ك + بيرا
    ("قدم الوزير ورقة عمل إلى المؤتمر", "ar"),  # ورقة "paper", not و + الرقة
    ("فتح باب الترشح للانتخابات", "ar"),  # باب "door", not ب + إب
    # seats of government and clubs named after a city
    ("The White House said the talks would go on.", "en"),
    ("La Maison Blanche a démenti l'information.", "fr"),
    ("قال المتحدث باسم البيت الأبيض إن المحادثات مستمرة", "ar"),  # not El Obeid (الأبيض)
    ("خسر نادي مانشستر يونايتد أمام ريال مدريد", "ar"),
    ("Real Madrid beat Bayern Munich on penalties.", "en"),
    # month names in dates
    ("وقع الهجوم في 31 آب الماضي", "ar"),  # آب (August) is not Ibb
    ("وقعت الاتفاقية في أغسطس / آب 2004", "ar"),
    ("The ceasefire was signed in May 2004.", "en"),
    # a person's title, a common word opening a sentence, an era
    ("Minister Paris said the vote would wait.", "en"),
    ("Reading the report, officials said little.", "en"),
    ("John Webb spoke first. Webb said the plan would wait.", "en"),
    ("The temple was built around 300 B.C. by farmers.", "en"),
    # a bare direction is no unit of some far country
    ("Les renforts sont arrivés à l'ouest dans la nuit.", "fr"),
    ("Les combattants ont reflué vers le Nord.", "fr"),
    ("The fighters withdrew to the East overnight.", "en"),
    ("انسحب المقاتلون نحو الشمال الشرقي ليلا", "ar"),
    # مالي "financial" after a noun, not a place cue
    ("حصل المشروع على دعم مالي كبير من البنك", "ar"),
    ("تعاني الشركة من عجز مالي كبير", "ar"),
    # two words run together are not two names unless a country is one of them
    ("بلغت المصروفات حدا كبيرا", "ar"),
    # French words Natural Earth has as unit names
    ("Les pluies touchent la région du Sud et la capitale.", "fr"),
])
def test_words_that_are_not_places(text: str, lang: str) -> None:
    assert geoparse(text, lang=lang).mentions == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("Le commerce suisse reprend.", [("suisse", "demonym")]),  # the adjective, not la Suisse
    ("Les troupes sont parties vers le nord.", []),  # no region called "nord"
    ("LA GUERRE DE 1870 ET LA SUISSE", [("SUISSE", "toponym")]),  # no US postal codes
])
def test_french_lower_case_and_capitals(text: str, expected: list[tuple[str, str]]) -> None:
    mentions = geoparse(text, lang="fr").mentions
    assert [(m.surface, m.kind) for m in mentions] == expected


@pytest.mark.parametrize(("text", "surface", "name"), [
    ("Le train est arrivé au Locle à midi.", "Locle", "Le Locle"),
    ("Les réfugiés sont partis du Havre.", "Havre", "Le Havre"),
    ("Il est né aux Cayes, en Haïti.", "Cayes", "Les Cayes"),
])
def test_french_article_contracted_into_the_preposition(
    text: str, surface: str, name: str
) -> None:
    mention = by_surface(geoparse(text, lang="fr"))[surface]
    assert mention.place is not None and mention.place.name == name


def test_geoparse_many_matches_geoparse_in_order() -> None:
    from geo.pipeline import geoparse_many

    docs = [("Kidal et Gao", None), ("وصلوا إلى مالي", "ar"), ("", None),
            ("Refugees fled to Mauritania.", "en")] * 4
    expected = [geoparse(text, lang=lang) for text, lang in docs]
    assert list(geoparse_many(iter(docs), jobs=2, chunksize=3)) == expected
    assert list(geoparse_many(docs)) == expected


def test_geoparse_many_reports_bad_input() -> None:
    from geo.pipeline import geoparse_many

    with pytest.raises(InputError, match="jobs"):
        list(geoparse_many([("Mali", None)], jobs=0))
    with pytest.raises(InputError, match="lang"):
        list(geoparse_many([("Mali", None), ("Mali", "de")], jobs=2))


@pytest.mark.parametrize(("text", "lang", "surface", "iso", "kind_of_place"), [
    # a proclitic glued to a name commoner than the whole word
    ("زار الرئيس فرنسا والجزائر الأسبوع الماضي", "ar", "والجزائر", "DZ", "country"),
    ("عاد الوفد من باريس وبيروت", "ar", "وبيروت", "LB", "city"),
    ("وصلت المساعدات للجزائر وتونس", "ar", "للجزائر", "DZ", "country"),
    # datelines name places in any script
    ("Berne, 3 mai. Le Conseil fédéral a siégé.", "fr", "Berne", "CH", "city"),
    ("Notes du jour\nBerne, 3 mai. Le Conseil fédéral a siégé.", "fr", "Berne", "CH", "city"),
    ("مدريد ـ رويترز : أعلنت الحكومة خطة جديدة", "ar", "مدريد", "ES", "city"),
    ("READING (Reuters) - The council met on Monday.", "en", "READING", "GB", "admin1"),
    # a month name with no number near it, an abbreviation, a French name with "du"
    ("وصل الوفد إلى محافظة إب اليمنية", "ar", "محافظة إب", "YE", "admin1"),
    ("Wildfires forced evacuations near Kelowna, B.C., on Monday.", "en", "B.C", "CA",
     "admin1"),
    ("Le ministre revient du Caire.", "fr", "Caire", "EG", "city"),
    # a title two words further back belongs to someone else
    ("الشيخ خليفة قد غادر باريس قبل ظهر أمس", "ar", "باريس", "FR", "city"),
    # ...and a city word between a title and the name makes it a place
    ("زار الوزير مدينة غاو أمس", "ar", "غاو", "ML", "city"),
    # أنان (Kofi Annan) is also Anan, Japan: it must not make the document
    # "about Japan" and Rome the province
    ("وكان أنان الموجود في روما لحضور مؤتمر حول لبنان قد عبر عن قلقه", "ar", "روما", "IT",
     "city"),
    # مالي ("financial") is the country after a border, between-construction,
    # leader or state word, alone in brackets, or in a list of countries
    ("أغلقت الجزائر حدودها مع مالي أمس", "ar", "مالي", "ML", "country"),
    ("تدور معارك على الحدود بين مالي وموريتانيا", "ar", "مالي", "ML", "country"),
    ("تحدث العقيد عاصمي غويتا (مالي) في القمة", "ar", "مالي", "ML", "country"),
    ("زار رئيس مالي العاصمة الروسية", "ar", "مالي", "ML", "country"),
    # ...a cue word behind a proclitic too
    ("وحاولت الصحيفة الاتصال بمسؤولي مالي دون جدوى", "ar", "مالي", "ML", "country"),
    ("وقدمت المنظمة مساعدات لسكان مالي المتضررين", "ar", "مالي", "ML", "country"),
    ("أعيد فتح المعابر مع ليبيا، ومالي، وتشاد", "ar", "ومالي", "ML", "country"),
    # in Arabic a town needs a locative or a place cue word ("بلدة", "قرية")
    ("هاجم مسلحون بلدة ميناكا فجر اليوم", "ar", "ميناكا", "ML", "town"),
    # names run together by a conjunction with no space
    ("اتفقت دول النيجرومالي على قوة مشتركة", "ar", "ومالي", "ML", "country"),
    ("اجتمع رؤساء الكاميرونوتشاد أمس", "ar", "الكاميرون", "CM", "country"),
    # a name opening a sentence is a place unless it is an everyday word or a
    # person's name elsewhere in the text
    ("Gao was shelled overnight.", "en", "Gao", "ML", "city"),
    ("Gao and Menaka lie on the Niger river in Mali.", "en", "Gao", "ML", "city"),
    # a country name that is also a common word votes when written with a capital
    ("Clashes hit Mora in Cameroon.", "en", "Mora", "CM", "town"),
    # a unit next to a same-named country is not what "Niger" means
    ("Nigeria shut its border with Niger after the coup in Niamey.", "en", "Niger", "NE",
     "country"),
    ("Le Nigeria a fermé sa frontière avec le Niger.", "fr", "Niger", "NE", "country"),
])
def test_places_in_context(text: str, lang: str, surface: str, iso: str,
                           kind_of_place: str) -> None:
    mention = by_surface(geoparse(text, lang=lang))[surface]
    assert mention.place is not None
    assert (mention.place.country, mention.place.type) == (iso, kind_of_place)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Deux soldats tchadiens ont été tués à 20 kilomètres de Bol.", "fr"),
     ("Des combats ont eu lieu dans les environs de Bol, au Tchad.", "fr"),
     ("Two Chadian soldiers were killed 20 km from Bol.", "en")],
)
def test_a_short_common_word_a_distance_is_measured_from_is_a_place(text, lang) -> None:
    names = [(m.surface, m.place.country) for m in geoparse(text, lang=lang).resolved]
    assert ("Bol", "TD") in names


def test_a_short_common_word_without_a_distance_stays_a_word() -> None:
    text = "Au Tchad, il a mangé un Bol de riz avant de partir."
    assert "Bol" not in [m.surface for m in geoparse(text, lang="fr").resolved]
