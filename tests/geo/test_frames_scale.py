"""Long texts: frames merge within a window of sentences, evidence stays bounded,
and the per-document lookups (actors, dates, coreference) stay local."""

from __future__ import annotations

from geo.frames import extract_frames
from geo.frames.clauses import SpanIndex
from geo.frames.find import MAX_EVIDENCE, MERGE_WINDOW
from tests.geo.test_layers_support import annotate

FILLER = "Nothing happened here. "


def _control_frames(text: str, towns: int) -> tuple:
    spans = [("Gao", "gn:gao", "toponym")] * towns
    return tuple(f for f in extract_frames(annotate(text, "en", spans)).found
                 if f.type == "control")


def test_restatements_merge_within_the_window_only() -> None:
    near = "Rebels control Gao. " + FILLER * 3 + "Rebels still control Gao."
    assert len(_control_frames(near, 2)) == 1
    far = "Rebels control Gao. " + FILLER * (MERGE_WINDOW + 2) + "Rebels control Gao."
    assert len(_control_frames(far, 2)) == 2


def test_evidence_of_a_merged_frame_is_capped() -> None:
    text = " ".join(["Rebels control Gao."] * (MAX_EVIDENCE + 10))
    (frame,) = _control_frames(text, MAX_EVIDENCE + 10)
    assert len(frame.evidence) == MAX_EVIDENCE
    assert frame.evidence[0].start == 0  # the first statements are kept


def test_arabic_actor_and_date_of_the_right_sentence_in_a_long_text() -> None:
    unit = "سيطرت جماعة بوكو حرام على مايدوغوري في 12 مارس 2015. "
    text = "لا شيء. " * 200 + unit + "لا شيء. " * 200
    frames = extract_frames(annotate(text, "ar", [("مايدوغوري", "gn:maiduguri", "toponym")]))
    (control,) = [f for f in frames.found if f.type == "control"]
    assert control.actor == "Boko Haram" and control.date == "2015-03-12"


def test_span_index_finds_overlaps_near_an_offset() -> None:
    index = SpanIndex([(50, 60), (0, 5), (10, 40), (70, 71)])
    assert index.overlapping(35, 55) == [(10, 40), (50, 60)]
    assert not index.overlaps(5, 10) and not index.overlaps(60, 70)
    assert index.overlaps(70, 71) and len(index) == 4


def test_organisations_named_in_a_span_are_found_by_position() -> None:
    """Binders ask which organisations stand in their sentence; the answer comes from a
    binary search, never from a walk over every organisation of a long text."""
    from geo import geoparse
    from geo.frames.actors import ActorFinder
    from geo.frames.clauses import Document

    text = "The MNJTF fought Boko Haram. " * 3 + "AQIM held Timbuktu."
    doc = Document(geoparse(text, lang="en"))
    finder = ActorFinder(doc, [])
    second = text.index("The MNJTF", 1)
    inside = finder.named_in(second, second + len("The MNJTF fought Boko Haram."))
    assert [text[s:e] for _, s, e in inside] == ["MNJTF", "Boko Haram"]
    assert [o for o, _, _ in inside] == finder.orgs_in(second, second + 28)
