"""The article of a web page as text: what a feed item's link points to, without the site around it.

A small :class:`html.parser.HTMLParser`: scripts, styles, navigation, headers,
footers, asides and forms are dropped; when the page marks its article
(``<article>``, else ``<main>``) only that is kept; block elements end lines.
Trade-off: no scoring of text density as readability libraries do, so a page
with neither element keeps every paragraph outside the dropped parts, menus
written as plain ``<div>`` included.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED = frozenset({"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
                     "template", "svg", "iframe", "button", "select"})
BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                    "blockquote", "section", "article", "main", "pre", "figcaption", "dd", "dt"})
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "col"})
CONTAINERS = ("article", "main")


class _Extractor(HTMLParser):
    """Collects text per container (``article``, ``main``, whole page) outside skipped parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.open: list[str] = []
        self.parts: dict[str, list[str]] = {"page": [], "article": [], "main": []}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            if tag == "br":
                self._add("\n")
            return
        if tag in SKIPPED:
            self.skipping += 1
        self.open.append(tag)
        if tag in BLOCKS:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.open:
            return
        while self.open:  # close what the page left open inside it
            last = self.open.pop()
            if last in SKIPPED:
                self.skipping -= 1
            if last == tag:
                break
        if tag in BLOCKS:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and "title" not in self.open:
            self._add(data)

    def _add(self, text: str) -> None:
        self.parts["page"].append(text)
        for container in CONTAINERS:
            if container in self.open:
                self.parts[container].append(text)


def article_text(html: str) -> str:
    """Return the readable text of a page's article (its whole body when none is marked)."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    chosen = next((parser.parts[c] for c in CONTAINERS if "".join(parser.parts[c]).strip()),
                  parser.parts["page"])
    lines = (" ".join(line.split()) for line in "".join(chosen).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
