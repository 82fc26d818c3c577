"""The one phrase scan finds, for every phrase list, exactly what a scan of the text with
that list's own pattern finds (overlapping phrases, phrases at the edges of the text,
Arabic clitics, lists with no literal to look for)."""

from __future__ import annotations

import pytest

from geo.frames.phrasehits import PhraseHits, PhraseList, PhraseScan
from geo.lexicon import compile_phrases
from geo.normalize import normalize_indexed


def _separately(norm: str, phrases: tuple[str, ...], org: str | None = None) -> (
    list[tuple[int, int]]
):
    """The hits of one list scanned on its own, as the frame stage did before."""
    return [m.span() for m in compile_phrases(phrases, org).finditer(norm) if m.end() > m.start()]


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
