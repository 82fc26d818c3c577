"""Dates, French numbers 70-99 and government actors in frames (own texts, three languages)."""

from __future__ import annotations

import pytest

from geo.errors import LayerError
from geo.frames import find_frames
from geo.frames.quantities import find_dates, find_quantities
from geo.lexicon import lexicon
from tests.geo.test_frames import _by_type
from tests.geo.test_layers_support import annotate


@pytest.mark.parametrize(
    ("text", "lang", "value", "surface"),
    [
        ("The convoy was ambushed on 12 March 2012 near the border.", "en", "2012-03-12",
         "12 March 2012"),
        ("Talks opened on March 3, 2015 in the capital.", "en", "2015-03-03", "March 3, 2015"),
        ("The camp grew in April 2013.", "en", "2013-04", "April 2013"),
        ("Report dated 2014-11-07, revised later.", "en", "2014-11-07", "2014-11-07"),
        ("the 21st of September, 2016 was calm", "en", "2016-09-21", "21st of September, 2016"),
        ("Le marché a été attaqué le 12 mars 2012 au matin.", "fr", "2012-03-12", "12 mars 2012"),
        ("Les pourparlers ont repris le 1er août 2014.", "fr", "2014-08-01", "1er août 2014"),
        ("L'armée est entrée dans la ville en février 2013.", "fr", "2013-02", "février 2013"),
        ("وقع الهجوم في 12 مارس 2012 قرب الحدود.", "ar", "2012-03-12", "12 مارس 2012"),
        ("وصلت القافلة في 5 آذار 2014 إلى المدينة.", "ar", "2014-03-05", "5 آذار 2014"),
        ("انطلقت المحادثات في ٣ كانون الثاني ٢٠١٥ في العاصمة.", "ar", "2015-01-03",
         "٣ كانون الثاني ٢٠١٥"),
        ("نزح السكان في نيسان 2013 نحو الجنوب.", "ar", "2013-04", "نيسان 2013"),
        ("أغلقت الطرق يوم 14 جويلية 2012 صباحا.", "ar", "2012-07-14", "14 جويلية 2012"),
        ("بدأت العملية في 9 تشرين الأول (أكتوبر) 2016.", "ar", "2016-10-09",
         "9 تشرين الأول (أكتوبر) 2016"),
    ],
)
def test_explicit_dates_are_iso_8601(text, lang, value, surface) -> None:
    found = find_dates(text, lang)
    assert [d.value for d in found] == [value]
    assert text[found[0].start:found[0].end] == surface


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Troops arrived on 31 February 2012.", "en"), ("They met on 12 March.", "en"),
     ("Sept soldats sont morts en 2012.", "fr"), ("وصل 12 جنديا في 2013.", "ar"),
     ("In May 1850 nothing happened here.", "en")],
)
def test_no_date_without_a_real_year_month_and_day(text, lang) -> None:
    assert find_dates(text, lang) == ()


def test_day_of_a_date_is_not_a_strength() -> None:
    text = "On 12 March 2012, 3,000 troops were deployed; on 31 February 2012 none were."
    assert [q.value for q in find_quantities(text, "en")] == [3000]


def test_months_lexicon_is_checked(monkeypatch) -> None:
    from geo import lexicon as lex

    monkeypatch.setattr(lex, "_read", lambda name: {"ar": {1: ["يناير"]}, "fr": {}, "en": {}})
    lex.lexicon.cache_clear()
    try:
        with pytest.raises(LayerError, match=r"months\.yaml"):
            lex.lexicon("months")
    finally:
        monkeypatch.undo()
        lex.lexicon.cache_clear()
    assert set(lexicon("months")["fr"]) == set(range(1, 13))


def test_quatre_is_still_four_and_lists_still_split() -> None:
    assert [q.value for q in find_quantities("quatre blindés, vingt soldats", "fr")] == [4, 20]


@pytest.mark.parametrize(
    ("text", "lang", "spans", "date"),
    [
        ("On 12 March 2012, armed groups seized Kidal.", "en",
         [("Kidal", "gn:kidal", "toponym")], "2012-03-12"),
        ("En avril 2013, des groupes armés contrôlaient Gao.", "fr",
         [("Gao", "gn:gao", "toponym")], "2013-04"),
        ("في 5 آذار 2014، سيطرت جماعات مسلحة على مدينة كيدال.", "ar",
         [("كيدال", "gn:kidal", "toponym")], "2014-03-05"),
    ],
)
def test_control_frame_takes_the_date_of_its_sentence(text, lang, spans, date) -> None:
    frames = _by_type(find_frames(annotate(text, lang, spans)))
    assert frames["control"].date == date
    assert frames["control"].to_dict()["date"] == date


def test_nearest_date_wins_and_undated_sentence_has_none() -> None:
    text = ("Gunmen seized Gao on 2 May 2013; troops were deployed in Kidal on 9 June 2013. "
            "Refugees fled Mali to Niger.")
    result = annotate(text, "en", [("Gao", "gn:gao", "toponym"), ("Kidal", "gn:kidal", "toponym"),
                                   ("Mali", "ML", "toponym"), ("Niger", "NE", "toponym")])
    frames = _by_type(find_frames(result))
    assert frames["control"].date == "2013-05-02"
    assert frames["deployment"].date == "2013-06-09"
    assert frames["displacement"].date is None


def test_day_of_a_date_is_not_taken_as_the_force_strength() -> None:
    text = "On 12 March 2012, 3,000 Nigerien troops were deployed in Agadez."
    result = annotate(text, "en", [("Nigerien", "NE", "demonym"),
                                   ("Agadez", "gn:agadez", "toponym")])
    deployment = _by_type(find_frames(result))["deployment"]
    assert deployment.strength == 3000 and deployment.date == "2012-03-12"


@pytest.mark.parametrize(
    ("text", "lang", "spans", "actor"),
    [
        ("The US administration is weighing drone strikes on AQIM bases in northern Mali.",
         "en", [("northern Mali", "ML#north", "toponym")], "US administration"),
        ("L'administration américaine envisage des frappes aériennes contre l'EIGS dans le "
         "nord du Mali.", "fr",
         [("américaine", "US", "demonym"), ("nord du Mali", "ML#north", "toponym")],
         "US administration"),
        ("وتدرس الإدارة الأميركية شن غارات على مواقع تنظيم القاعدة في شمال مالي.", "ar",
         [("الأميركية", "US", "demonym"), ("شمال مالي", "ML#north", "toponym")],
         "US administration"),
        ("Le gouvernement malien a ordonné des frappes sur Kidal.", "fr",
         [("malien", "ML", "demonym"), ("Kidal", "gn:kidal", "toponym")], "Malian government"),
    ],
)
def test_government_is_the_strike_actor_not_its_target(text, lang, spans, actor) -> None:
    strike = _by_type(find_frames(annotate(text, lang, spans)))["strike"]
    assert strike.actor == actor


def test_strike_actor_after_the_trigger_when_none_before() -> None:
    text = "Strikes carried out by Chadian troops hit camps near Maiduguri."
    result = annotate(text, "en", [("Chadian", "TD", "demonym"),
                                   ("Maiduguri", "gn:maiduguri", "toponym")])
    strike = _by_type(find_frames(result))["strike"]
    assert strike.actor == "Chadian troops"
    assert [p.place.name for p in strike.places] == ["Maiduguri"]
