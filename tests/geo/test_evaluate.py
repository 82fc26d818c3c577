"""Scoring definitions: one-to-one overlap matching and accuracy@161 km."""

from __future__ import annotations

from geo.evaluate import evaluate
from geo.records import GeoparseResult, Mention, Place

GAO = Place(id="gn:1", name="Gao", type="city", lat=16.27, lon=-0.04, country="ML")
PARIS_TX = Place(id="gn:2", name="Paris", type="city", lat=33.66, lon=-95.55, country="US")


class NoGeometry:
    def geometry(self, place_id: str) -> None:
        return None


def mention(start: int, end: int, place: Place | None, kind: str = "toponym") -> Mention:
    return Mention(start=start, end=end, surface="x" * (end - start), kind=kind,  # type: ignore[arg-type]
                   place=place, precision=1, confidence=0.9, sentence=(0, 100))


def run(gold: list[dict], predicted: list[Mention], *, demonyms: bool = False) -> dict:
    doc = {"id": "d", "lang": "en", "text": "x" * 100, "toponyms": gold}

    def parse(text: str, lang: str | None) -> GeoparseResult:
        return GeoparseResult(text=text, lang="en", mentions=tuple(predicted), sentences=())

    return evaluate([doc], parse, gazetteer=NoGeometry(), demonyms=demonyms)["en"].summary()


def test_overlap_counts_once() -> None:
    gold = [{"start": 0, "end": 5, "lat": 16.3, "lon": 0.0}]
    s = run(gold, [mention(1, 4, GAO), mention(2, 5, GAO)])
    assert (s["matched"], s["predicted"], s["gold"]) == (1, 2, 1)
    assert s["precision"] == 0.5 and s["recall"] == 1.0


def test_accuracy_uses_161_km() -> None:
    gold = [{"start": 0, "end": 3, "lat": 16.3, "lon": 0.0},
            {"start": 10, "end": 15, "lat": 48.85, "lon": 2.35}]
    s = run(gold, [mention(0, 3, GAO), mention(10, 15, PARIS_TX)])
    assert s["acc161"] == 0.5 and s["resolvable"] == 2


def test_demonyms_count_only_when_asked() -> None:
    gold = [{"start": 0, "end": 3, "lat": None, "lon": None}]
    predicted = [mention(0, 3, GAO, kind="demonym")]
    assert run(gold, predicted)["matched"] == 0
    assert run(gold, predicted, demonyms=True)["matched"] == 1


def test_errors_list_misses_and_false_positives_in_context() -> None:
    text = "Fighting in Gao and Menaka spread to Kidal."
    doc = {"id": "d7", "lang": "en", "text": text,
           "toponyms": [{"start": 12, "end": 15}, {"start": 20, "end": 26}]}
    predicted = [mention(12, 15, GAO), mention(37, 42, GAO)]

    def parse(t: str, lang: str | None) -> GeoparseResult:
        return GeoparseResult(text=t, lang="en", mentions=tuple(predicted), sentences=())

    errors = evaluate([doc], parse, gazetteer=NoGeometry(), errors=True)["en"].errors
    assert errors == ["MISS d7 Fighting in Gao and [Menaka] spread to Kidal.",
                      "FP   d7 Fighting in Gao and Menaka spread to [Kidal] . -> Gao"]


def test_places_inside_marked_organisations_are_counted() -> None:
    doc = {"id": "d", "lang": "en", "text": "x" * 100, "toponyms": [],
           "organisations": [[0, 20, "Front for Gao"]]}
    predicted = [mention(10, 13, GAO), mention(30, 33, GAO)]

    def parse(t: str, lang: str | None) -> GeoparseResult:
        return GeoparseResult(text=t, lang="en", mentions=tuple(predicted), sentences=())

    s = evaluate([doc], parse, gazetteer=NoGeometry())["en"].summary()
    assert (s["org_predicted"], s["org_share"]) == (1, 0.5)
    assert run([], predicted)["org_share"] is None  # the gold marks no organisations
