"""The one phrase scan of the frame stage finds, for every phrase list, exactly what a
scan of the text with that list's own pattern finds (real reports in three languages,
overlapping phrases, phrases at the edges of the text, Arabic clitics)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from geo import geoparse
from geo.frames import extract_frames
from geo.frames.clauses import Document
from geo.frames.context import frame_phrase_lists
from geo.frames.phrasehits import PhraseHits, PhraseList, PhraseScan, phrase_scan
from geo.lexicon import compile_phrases
from geo.normalize import normalize_indexed
from geo.records import GeoparseResult

EVENTS = Path(__file__).resolve().parents[2] / "eval" / "events"


def _separately(norm: str, phrases: tuple[str, ...], org: str | None = None, start: int = 0,
                end: int | None = None) -> list[tuple[int, int]]:
    """The hits of one list scanned on its own, as the frame stage did before."""
    found = compile_phrases(phrases, org).finditer(norm, start, len(norm) if end is None else end)
    return [m.span() for m in found if m.end() > m.start()]


def _report_text(lang: str) -> str:
    lines = (EVENTS / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    return "\n".join(json.loads(line)["text"] for line in lines)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_every_list_of_the_frame_stage_hits_as_its_own_scan(lang: str) -> None:
    norm = normalize_indexed(_report_text(lang))[0]
    lists = frame_phrase_lists(lang)
    hits = PhraseHits(norm, phrase_scan(lists))
    found = 0
    for phrases, org in lists:
        expected = _separately(norm, phrases, org)
        assert hits.spans(phrases, org) == expected, phrases[:5]
        found += len(expected)
    assert len(lists) > 30 and found > 500  # the reports do exercise the lists


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_hits_within_a_span_are_those_of_a_scan_of_the_span(lang: str) -> None:
    """Spans cut anywhere, also inside a word or a phrase: ``\\w*`` and the word-end
    check then stop at the span's end, and a phrase may start inside a whole-text hit."""
    norm = normalize_indexed(_report_text(lang)[:60_000])[0]
    lists = frame_phrase_lists(lang)
    hits = PhraseHits(norm, phrase_scan(lists))
    spans = random.Random(12).sample(range(len(norm)), 400)
    found = 0
    for a, length in zip(spans[::2], spans[1::2], strict=True):
        b = min(len(norm), a + length % 300)
        for phrases, org in lists:
            expected = _separately(norm, phrases, org, a, b)
            assert hits.spans(phrases, org, a, b) == expected, (a, b, phrases[:5])
            found += len(expected)
    assert found > 100


#: (language, text, phrase lists): phrases overlapping each other in one list and across
#: lists, a phrase that is a prefix of another, stems, phrases at both edges of the text.
CASES = [
    ("en", "border area clashes near the border areas of the border",
     [("border", "border area"), ("border area*", "area clashes"), ("the border",),
      ("clashes near", "near the")]),
    ("en", "Armed groups linked to AQIM attacked; armed groups",
     [("armed groups", "groups linked to", "attack*"), ("groups ~ linked to {org}",),
      ("linked",), ("groups",)]),
    ("fr", "l'armée a attaqué les groupes armés près de la frontière. L'armée",
     [("armée", "l'armée"), ("groupes armés", "armés près"), ("frontière",),
      ("la frontière", "de la")]),
    ("ar", "وبالحدود للحدود و«الحدود المشتركة» الحدود",
     [("الحدود",), ("الحدود المشتركة", "المشتركة"), ("حدود*",), ("مشترك*",)]),
    ("ar", "هاجمت الجماعات المسلحة بلدة قرب الحدود الجماعات",
     [("الجماعات المسلحة", "المسلحة بلدة"), ("جماعات",), ("بلدة قرب", "قرب الحدود"),
      ("~ الحدود",)]),
]


@pytest.mark.parametrize(("lang", "text", "lists"), CASES)
def test_overlapping_phrases_and_text_edges(lang: str, text: str,
                                            lists: list[tuple[str, ...]]) -> None:
    norm = normalize_indexed(text)[0]
    org = "(?:aqim)"
    keyed: list[PhraseList] = [(p, org if any("{org}" in x for x in p) else None)
                               for p in lists]
    hits = PhraseHits(norm, PhraseScan(keyed))
    for phrases, with_org in keyed:
        assert hits.spans(phrases, with_org) == _separately(norm, phrases, with_org)
    assert sum(bool(hits.spans(p, o)) for p, o in keyed) >= 3  # not a vacuous comparison


def test_a_list_left_out_of_the_scan_is_none() -> None:
    hits = PhraseHits("the border", PhraseScan([(("border",), None)]))
    assert hits.spans(("border",)) == [(4, 10)]
    assert hits.spans(("the",)) is None


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_frame_stage_reads_every_list_from_the_one_scan(
        lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = geoparse(_report_text(lang)[:20_000], lang=lang)
    scans: list[str] = []
    scan = Document.find

    def find(self: Document, pattern: object, start: int = 0, end: int | None = None) -> (
        list[tuple[int, int]]
    ):
        scans.append(str(pattern))
        return scan(self, pattern, start, end)  # type: ignore[arg-type]

    monkeypatch.setattr(Document, "find", find)
    frames = extract_frames(result)
    assert frames.found and frames.skipped  # binders ran, cues were looked for
    assert scans == []  # no list scanned the text, a clause or a span on its own


def test_document_spans_with_and_without_the_scan_agree() -> None:
    text = "Les groupes armés liés à l'EIGS ont attaqué Ménaka ; l'armée malienne a riposté."
    result = GeoparseResult(text=text, lang="fr", mentions=(), sentences=((0, len(text)),))
    scanned = Document(result, phrase_scan(frame_phrase_lists("fr")))
    alone = Document(result)
    compared = 0
    for phrases, org in frame_phrase_lists("fr"):
        expected = alone.phrase_spans(phrases, org)
        assert scanned.phrase_spans(phrases, org) == expected
        compared += bool(expected)
    assert compared >= 3

