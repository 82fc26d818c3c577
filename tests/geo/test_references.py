"""Phrases that stand for places without naming one are references, not toponyms.

"The north of the country" is the part of the country being talked about, and
"ECOWAS" or "the field states" map to their members' territory; neither is a
place name, so each is a mention of kind ``reference``: still drawn on the
map, never counted as a toponym by the scorer.
"""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.evaluate import evaluate
from geo.records import GeoparseResult


@pytest.mark.parametrize(
    ("text", "lang", "surface", "place"),
    [
        ("L'armée du Niger dit que les combats ont repris dans le nord du pays.",
         "fr", "nord du pays", "northern Niger"),
        ("أعلن جيش النيجر أن هجوما وقع أمس في شمال البلاد.", "ar", "شمال البلاد",
         "northern Niger"),
        ("The army of Chad said its troops were sent to the east of the country.", "en",
         "the east of the country", "eastern Chad"),
        ("ECOWAS leaders met in Abuja on Sunday.", "en", "ECOWAS", "ECOWAS"),
        ("وقال وزراء دول الميدان المجتمعون في تمنراست إن الحدود مغلقة.", "ar", "دول الميدان",
         "field states"),
    ],
)
def test_references_are_not_toponyms(text: str, lang: str, surface: str, place: str) -> None:
    found = {m.surface: m for m in geoparse(text, lang=lang).mentions}
    assert surface in found, sorted(found)
    assert found[surface].kind == "reference"
    assert found[surface].place is not None and found[surface].place.name == place


def test_a_reference_with_no_country_is_a_reasoned_miss() -> None:
    (m,) = geoparse("Troops were sent to the east of the country.", lang="en").mentions
    assert (m.kind, m.place, m.reason) == ("reference", None,
                                           "no country in context for this expression")


def test_names_beside_references_stay_toponyms() -> None:
    found = {m.surface: m for m in geoparse("ECOWAS leaders met in Abuja on Sunday.",
                                            lang="en").mentions}
    assert found["Abuja"].kind == "toponym"


def test_the_scorer_counts_no_reference() -> None:
    text = "Le nord du pays reste instable, selon Niamey."
    result = geoparse(text, lang="fr")
    doc = {"id": "d", "lang": "fr", "text": text,
           "toponyms": [{"start": 38, "end": 44, "lat": 13.5, "lon": 2.1}]}

    def parse(t: str, lang: str | None) -> GeoparseResult:
        return result

    class NoGeometry:
        def geometry(self, place_id: str) -> None:
            return None

    for demonyms in (False, True):
        s = evaluate([doc], parse, gazetteer=NoGeometry(), demonyms=demonyms)["fr"].summary()
        assert (s["predicted"], s["matched"]) == (1, 1)
