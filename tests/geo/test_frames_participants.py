"""Who and how many: actors next to named groups, strengths, counts that are no
force (own sentences in three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.records import Frame


def _frames(text: str, lang: str, frame_type: str) -> list[Frame]:
    return [f for f in extract_frames(geoparse(text, lang=lang)).found if f.type == frame_type]


@pytest.mark.parametrize(
    ("text", "lang", "actor"),
    [
        ("Boko Haram fighters seized Bama on Monday.", "en", "Boko Haram"),
        ("Des combattants de l'État islamique au Sahel contrôlent Ménaka.", "fr", "ISGS"),
        ("سيطر مسلحو بوكو حرام على مدينة باما.", "ar", "Boko Haram"),
    ],
)
def test_a_generic_noun_next_to_a_named_group_is_that_group(text, lang, actor) -> None:
    (control,) = _frames(text, lang, "control")
    assert control.actor == actor


def test_phrase_files_read_on_and_no_as_words() -> None:
    from geo.lexicon import frame_specs, lexicon

    assert "no" in lexicon("status")["negated"]["en"]
    deployment = next(s for s in frame_specs() if s.frame == "deployment")
    assert "on" in deployment.roles["location"]["en"]


def test_the_arabic_article_after_the_preposition_lam() -> None:
    (risk,) = _frames("تهدف الخطة إلى منع تمدد نشاط جديد للقاعدة في موريتانيا.", "ar", "risk")
    assert risk.actor == "al-Qaeda"
