"""Negation, hedging, conditionals and past background set a frame's status, lower its
confidence and keep it off the default map (own sentences, three languages)."""

from __future__ import annotations

import datetime

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.layers import HIDDEN_STATUSES, layer_features, on_default_map
from geo.records import Frame


def _frame(text: str, lang: str, frame_type: str,
           published: datetime.date | None = None) -> Frame:
    frames = extract_frames(geoparse(text, lang=lang), published=published).found
    (found,) = [f for f in frames if f.type == frame_type]
    return found


@pytest.mark.parametrize(
    ("text", "lang", "frame_type", "status"),
    [
        ("Algeria would not commit troops to Mali.", "en", "deployment", "negated"),
        ("L'Algérie n'a pas déployé de soldats au Mali.", "fr", "deployment", "negated"),
        ("لم تسيطر الجماعات المسلحة على كيدال.", "ar", "control", "negated"),
        ("If the army withdraws, jihadists could seize Gao.", "en", "control",
         "hypothetical"),
        ("Si l'armée se retire, les jihadistes pourraient s'emparer de Gao.", "fr", "control",
         "hypothetical"),
        ("إذا انسحب الجيش فقد تسيطر الجماعات المسلحة على غاو.", "ar", "control",
         "hypothetical"),
        ("US drone strikes were used in the past against militants in Kidal and Gao.",
         "en", "strike", "past"),
        ("Par le passé, des frappes de drones ont visé Kidal et Gao.", "fr",
         "strike", "past"),
        ("استخدمت الطائرات المسيرة في الماضي لقصف كيدال وغاو.", "ar", "strike", "past"),
        ("Niger had considered closing its border with Nigeria.", "en", "border_security",
         "past"),
        ("Le Niger avait envisagé de fermer sa frontière avec le Nigeria.", "fr",
         "border_security", "past"),
        ("كانت النيجر قد قررت إغلاق حدودها مع نيجيريا.", "ar", "border_security", "past"),
        # a negation word that negates nothing: "still"
        ("لا تزال الجماعات المسلحة تسيطر على كيدال.", "ar", "control", "ongoing"),
        ("Armed groups still control Kidal, not only its outskirts.", "en", "control",
         "ongoing"),
    ],
)
def test_status_cues(text, lang, frame_type, status) -> None:
    frame = _frame(text, lang, frame_type)
    assert frame.status == status
    if status in HIDDEN_STATUSES:
        assert frame.confidence < 0.5


@pytest.mark.parametrize(
    ("text", "lang"),
    [("In 2012, jihadists seized Kidal.", "en"),
     ("En 2012, des jihadistes ont pris le contrôle de Kidal.", "fr"),
     ("في عام 2012 سيطر مسلحون على كيدال.", "ar")],
)
def test_a_year_before_the_report_is_background(text, lang) -> None:
    assert _frame(text, lang, "control", datetime.date(2019, 11, 2)).status == "past"
    assert _frame(text, lang, "control", datetime.date(2012, 6, 1)).status == "reported"


def test_since_a_year_is_no_past_and_the_text_date_stands_for_the_report() -> None:
    since = "Since 2012, armed groups have controlled Kidal."
    assert _frame(since, "en", "control", datetime.date(2019, 1, 1)).status != "past"
    dated = "On 3 May 2019 the army said that in 2012 jihadists had seized Kidal."
    assert _frame(dated, "en", "control").status == "past"


def test_hedged_features_are_off_the_default_map() -> None:
    text = "Rebels control Gao. In 2012, jihadists seized Kidal. The army will not deploy in Mopti."
    features, _ = layer_features(geoparse(text, lang="en"), published=datetime.date(2019, 1, 1))
    drawn = {f.name for f in features if f.layer != "mentions" and on_default_map(f.row())}
    hidden = {f.status for f in features if f.layer != "mentions" and not on_default_map(f.row())}
    assert any("Gao" in n for n in drawn) and not any("Kidal" in n for n in drawn)
    assert {"past", "negated"} <= hidden


def test_since_a_few_words_before_a_date_opens_a_state_that_still_holds() -> None:
    text = ("Some 75,000 refugees from Mali have sought safety in the Mbera camp since fleeing "
            "their homes in March 2012.")
    flight = _frame(text, "en", "displacement", datetime.date(2016, 5, 1))
    assert flight.status == "reported"
    recalled = _frame("Some 75,000 refugees from Mali fled to the Mbera camp in March 2012.",
                      "en", "displacement", datetime.date(2016, 5, 1))
    assert recalled.status == "past"


@pytest.mark.parametrize(
    ("text", "lang", "frame_type", "status"),
    [("La force aura son quartier général à Niamey, dans l'ancienne base de Barkhane.", "fr",
      "deployment", "reported"),
     ("Kidal, a former stronghold of the rebels, is quiet.", "en", "sanctuary", "past"),
     ("The junta broke off its alliance with France and Germany.", "en", "coalition", "past")],
)
def test_a_past_adjective_dates_only_the_noun_it_qualifies(text, lang, frame_type,
                                                           status) -> None:
    assert _frame(text, lang, frame_type).status == status


def test_a_state_since_an_older_event_still_holds() -> None:
    text = ("The borders between Niger and Benin have been closed since the sanctions imposed "
            "in reaction to the July 26 coup.")
    assert _frame(text, "en", "border_security", datetime.date(2023, 12, 19)).status != "past"
    closed = "The borders between Niger and Benin were closed after the July 26 coup."
    assert _frame(closed, "en", "border_security", datetime.date(2023, 12, 19)).status == "past"


@pytest.mark.parametrize(
    ("text", "lang", "frame_type"),
    [("The president called for a right of hot pursuit between Nigeria and Cameroon.", "en",
      "pursuit"),
     ("Face à Boko Haram, l’urgence d’un droit de poursuite entre le Nigeria et le Cameroun.",
      "fr", "pursuit"),
     ("دعا الرئيس إلى حق المطاردة بين نيجيريا والكاميرون.", "ar", "pursuit")],
)
def test_a_call_for_an_action_is_no_action_yet(text, lang, frame_type) -> None:
    assert _frame(text, lang, frame_type).status == "hypothetical"
