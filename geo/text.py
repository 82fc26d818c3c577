"""Reading input: bytes to text, HTML to text, sentences, language.

HTML is reduced to its visible text before geoparsing (``script``/``style``
dropped, entities unescaped, block elements become line breaks); offsets of
mentions then refer to that extracted text, which is what Kharita stores and
shows, never to the HTML source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from geo.errors import InputError

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "figcaption",
        "title",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Return the visible text of ``html``, one block element per line.

    Parameters
    ----------
    html : str
        An HTML document or fragment.

    Returns
    -------
    str
        Text with tags removed, entities decoded and blank lines collapsed.
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document rather than text with a stray tag."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(p|div|article|body)[\s>]", head)
    )


def decode_text(data: bytes, *, name: str = "<input>") -> str:
    """Decode UTF-8 bytes (with or without BOM) or raise :class:`InputError`.

    Parameters
    ----------
    data : bytes
        Raw file content.
    name : str
        What to call the input in error messages (usually the file name).
    """
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes); give a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8 first"
        ) from None
    if _control_share(text) > 0.05:
        raise InputError(f"{name}: looks like a binary file (control characters); give text")
    return text


def read_text_file(path: str | Path) -> str:
    """Read a UTF-8 text, Markdown or HTML file and return its text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror})") from None
    text = decode_text(data, name=str(path))
    if path.suffix.lower() in {".html", ".htm"} or looks_like_html(text):
        return html_to_text(text)
    return text


def iter_documents(lines: str | Iterable[str], *, name: str) -> Iterator[dict[str, Any]]:
    """Yield the ``{"text", ...}`` objects of JSON-lines input, line by line.

    Blank lines are skipped; a line that is not a JSON object with a ``text``
    string raises :class:`InputError` naming ``name`` and the line number.
    See :func:`iter_numbered_documents` for ``lines``.
    """
    for _, doc in iter_numbered_documents(lines, name=name):
        yield doc


def iter_numbered_documents(lines: str | Iterable[str], *, name: str) -> (
    Iterator[tuple[int, dict[str, Any]]]
):
    """Yield ``(line number, document)`` pairs of JSON-lines input (1-based).

    Parameters
    ----------
    lines : str or iterable of str
        The whole input, split here on ``"\n"`` only, or lines already split
        that way (a text file opened with ``newline="\n"``). Never
        ``str.splitlines``: it also breaks at U+0085, U+2028 and other
        characters that JSON strings may hold raw, and a document would be
        cut in two.
    name : str
        What to call the input in error messages (usually the file name).
    """
    if isinstance(lines, str):
        lines = lines.split("\n")
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{n}: not valid JSON ({exc.msg})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise InputError(f"{name}:{n}: each line needs a 'text' string")
        yield n, doc


def _control_share(text: str) -> float:
    """Share of C0 control characters other than tab/newline/return in a sample."""
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    return bad / len(sample)
