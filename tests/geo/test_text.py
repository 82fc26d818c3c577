"""Reading input: encodings, binary files, HTML, language, sentences."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.errors import InputError
from geo.evaluate import read_gold
from geo.language import detect_language, sentence_spans
from geo.normalize import normalize
from geo.text import (
    decode_text,
    html_to_text,
    iter_documents,
    iter_numbered_documents,
    read_text_file,
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (bytes(range(1, 32)) * 10, "binary"),
    ],
)
def test_decode_rejects_non_text(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_text(data, name="upload.txt")


def test_decode_names_the_file_and_strips_bom() -> None:
    assert decode_text("\ufeffمالي".encode(), name="a.txt") == "مالي"
    with pytest.raises(InputError, match=r"report\.txt"):
        decode_text(b"\xff\xfe\x00", name="report.txt")


def test_read_text_file_reduces_html(tmp_path) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>T</title><script>alert(1)</script></head>"
        "<body><p>Troops reached <b>Gao</b>.</p><p>Then Kidal &amp; Tessalit.</p></body></html>",
        encoding="utf-8",
    )
    text = read_text_file(page)
    assert "alert" not in text
    assert "Troops reached Gao." in text
    assert "Kidal & Tessalit." in text


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_text_file(tmp_path / "nope.txt")


def test_html_to_text_drops_style_and_keeps_blocks() -> None:
    text = html_to_text("<style>p{}</style><div>أ</div><div>ب</div>")
    assert text.split() == ["أ", "ب"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("انسحبت القوات من المدينة بعد معارك عنيفة", "ar"),
        ("Les soldats sont arrivés dans la ville pour la protéger", "fr"),
        ("The soldiers arrived in the town to protect it", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_sentence_spans_split_arabic_and_latin() -> None:
    text = "وصلت القوات. هل انسحبت؟ نعم\nThey left! Fine."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "وصلت القوات.", "هل انسحبت؟", "نعم", "They left!", "Fine.",
    ]


def test_an_abbreviation_ends_no_sentence() -> None:
    text = ("The U.N. Office said the clashes displaced 6,400 people. It says 45 died in an "
            "Aug. 4 airstrike. Lt. Col. Badjeck said so. M. Macron est arrivé.")
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "The U.N. Office said the clashes displaced 6,400 people.",
        "It says 45 died in an Aug. 4 airstrike.", "Lt. Col. Badjeck said so.",
        "M. Macron est arrivé."]


@given(st.text(alphabet=st.sampled_from("ab .؟!\n\u200fمالي")))
def test_sentence_spans_are_ordered_and_inside(text: str) -> None:
    last = 0
    for start, end in sentence_spans(text):
        assert last <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        last = end


#: The plain definition of a sentence end, looked behind for at every character:
#: what the faster pattern of geo.language must find, match for match.
LOOKBEHIND_END = re.compile(r"(?<=[.!?؟…])[\"'»”)\]]*\s+|\n+")


@given(st.text(alphabet=st.sampled_from("aZ .!?؟…\n\t\"'»”)]")))
def test_sentence_ends_are_those_of_the_plain_definition(text: str) -> None:
    from geo.language import _abbreviation

    spans, start = [], 0
    for match in LOOKBEHIND_END.finditer(text):
        if not _abbreviation(text, match.start()):
            piece = text[start:match.start()]
            if piece.strip():
                first = start + len(piece) - len(piece.lstrip())
                spans.append((first, first + len(piece.strip())))
            start = match.end()
    piece = text[start:]
    if piece.strip():
        first = start + len(piece) - len(piece.lstrip())
        spans.append((first, first + len(piece.strip())))
    assert sentence_spans(text) == tuple(spans)


@given(st.text())
def test_normalize_maps_every_char_back(text: str) -> None:
    norm, index = normalize(text)
    assert len(norm) == len(index)
    assert index == sorted(index)
    assert all(0 <= i < len(text) for i in index)


@pytest.mark.parametrize("separator", ["\u0085", "\u2028", "\u2029"])
def test_jsonl_lines_end_at_newline_only(separator: str, tmp_path) -> None:
    # Raw in a JSON string, these are legal and must not cut the document.
    raw = '{"id": "a", "text": "Gao' + separator + 'Kidal"}'
    text = raw + "\n\n" + json.dumps({"id": "b", "text": "Mali"}) + "\n"
    docs = list(iter_numbered_documents(text, name="docs.jsonl"))
    assert [(n, d["id"]) for n, d in docs] == [(1, "a"), (3, "b")]
    assert docs[0][1]["text"] == "Gao" + separator + "Kidal"
    path = tmp_path / "gold.jsonl"
    path.write_bytes(text.encode("utf-8"))
    assert [d["text"] for d in read_gold(path)] == ["Gao" + separator + "Kidal", "Mali"]


def test_jsonl_errors_name_the_line() -> None:
    with pytest.raises(InputError, match=r"docs\.jsonl:2: not valid JSON"):
        list(iter_documents('{"text": "a"}\n{oops\u0085}\n', name="docs.jsonl"))
