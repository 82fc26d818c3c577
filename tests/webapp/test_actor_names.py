"""Arabic actor names read as a reader spells them (hamza and all), while matching stays
normalised: a report that writes "انصار الدين" still finds Ansar Dine, and the map says
"أنصار الدين"."""

from __future__ import annotations

import json
import re

import pytest

from geo import geoparse
from geo.frames.actors import find_organisations
from geo.frames.clauses import Document
from geo.lexicon import lexicon
from geo.pipeline import map_text
from webapp.ingest import Submission, ingest
from webapp.names import actor_name, feature_terms
from webapp.store import get_store

#: Words whose standard spelling starts a syllable with hamza, as the actor list's names
#: and Natural Earth write them; each must never reach a reader bare.
HAMZA_WORDS = ("الإسلامي", "الإسلامية", "الإسلام", "الإدارة", "الأميركية", "أنصار", "أزواد",
               "الأزوادية", "أفريقيا", "الأفريقي", "الأمم", "الإنسانية", "إنقاذ", "الإطار")
_BARE = str.maketrans("أإآ", "ااا")


def bare_words(text: str) -> list[str]:
    """The words of ``text`` that are a hamza word of :data:`HAMZA_WORDS` written bare."""
    bare = {word.translate(_BARE) for word in HAMZA_WORDS}
    return [word for word in re.findall(r"[\u0600-\u06ff]+", text) if word in bare]


def entries() -> list[dict]:
    data = lexicon("actors")
    return [*data["organisations"], *data["generic"]]


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.get("id") or e["label"])
def test_every_actor_has_an_arabic_display_name(entry):
    display = (entry.get("display") or {}).get("ar")
    assert display and re.fullmatch(r"[\u0600-\u06ff ]+", display), entry["label"]
    assert not bare_words(display), display


@pytest.mark.parametrize(("label", "expected"), [
    ("Ansar Dine", "أنصار الدين"),
    ("AQIM", "تنظيم القاعدة في بلاد المغرب الإسلامي"),
    ("US administration", "الإدارة الأميركية"),
    ("AQIM-linked groups", "جماعات مرتبطة بـتنظيم القاعدة في بلاد المغرب الإسلامي"),
    ("France", "فرنسا"),  # Barkhane is labelled France: the label is what is translated
])
def test_actor_names_are_spelled_with_hamza(label, expected):
    assert actor_name(label, "ar") == expected


@pytest.mark.parametrize("written", ["انصار الدين", "أنصار الدين"])
def test_matching_ignores_the_hamza(written):
    text = f"سيطرت جماعة {written} على مدينة كيدال في شمال مالي."
    found = find_organisations(Document(geoparse(text, lang="ar")))
    assert [org["label"] for org, _, _ in found] == ["Ansar Dine"]


def seed_features(seed_text: str) -> list[dict]:
    mapped = map_text(seed_text)
    return [feature["properties"] for frame in mapped.layers.values()
            for feature in json.loads(frame.to_json())["features"]]


def test_seed_map_arabic_actor_and_feature_names_have_hamza(seed_text):
    terms = feature_terms(seed_features(seed_text), "ar")
    shown = {key: value for key, value in terms.items() if key.startswith(("actor:", "name:"))}
    assert shown, "the seed map names actors and features"
    wrong = {key: bare_words(value) for key, value in shown.items() if bare_words(value)}
    assert not wrong, wrong
    # the seed names AQIM and the US administration: both read with their hamza
    assert "الإسلامي" in shown["actor:AQIM"] and shown["actor:US administration"] == \
        "الإدارة الأميركية"


def test_seed_map_page_in_arabic_shows_the_spelled_names(app, client, seed_text):
    with app.app_context():
        record = ingest(get_store(), Submission(text=seed_text, title="Seed"))
    page = client.get(f"/maps/{record.map_id}?lang=ar").get_data(as_text=True)
    assert "الإدارة الأميركية" in page and "المغرب الإسلامي" in page
    assert "الادارة الاميركية" not in page and "المغرب الاسلامي" not in page
