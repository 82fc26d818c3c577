"""Split a document's text into plain runs and highlighted mentions.

Templates render each run with autoescaping, so the text (whatever HTML or
script it contains) is always shown as text. A mention is tagged with every
layer whose feature evidence covers it, so the page can colour it by layer.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text; ``mention`` is set when the run is a place mention."""

    text: str
    mention: Mapping[str, Any] | None = None
    layers: tuple[str, ...] = field(default_factory=tuple)


def evidence_spans(collections: Mapping[str, Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """Return ``(start, end, layer)`` for every evidence span of every feature."""
    spans = []
    for layer, collection in collections.items():
        for feature in collection.get("features", ()):
            for ev in (feature.get("properties") or {}).get("evidence") or ():
                if isinstance(ev, Mapping) and "start" in ev and "end" in ev:
                    spans.append((int(ev["start"]), int(ev["end"]), layer))
    return spans


def segments(
    text: str, mentions: Sequence[Mapping[str, Any]], collections: Mapping[str, Any]
) -> list[Segment]:
    """Return the text as segments, mentions in order, overlaps dropped.

    Linear in the text: one sweep over the mentions and the evidence spans, both
    sorted by start (a span covers a mention when it starts before and ends after).
    """
    spans = sorted((s, e, layer) for s, e, layer in evidence_spans(collections)
                   if layer != "mentions")
    out: list[Segment] = []
    cursor, next_span = 0, 0
    open_spans: list[tuple[int, str]] = []  # heap of (end, layer) of spans started so far
    covering: Counter[str] = Counter()  # open spans per layer
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = int(mention["start"]), int(mention["end"])
        if start < cursor or end > len(text) or start >= end:
            continue
        while next_span < len(spans) and spans[next_span][0] <= start:
            heapq.heappush(open_spans, (spans[next_span][1], spans[next_span][2]))
            covering[spans[next_span][2]] += 1
            next_span += 1
        while open_spans and open_spans[0][0] < end:  # later mentions end later: gone
            covering[heapq.heappop(open_spans)[1]] -= 1
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        layers = tuple(sorted(layer for layer, n in covering.items() if n))
        out.append(Segment(text[start:end], mention, layers))
        cursor = end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out


def feature_rows(collections: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return one table row per layer feature, with its evidence sentences."""
    rows = []
    for layer, collection in collections.items():
        if layer == "mentions":
            continue
        for feature in collection.get("features", ()):
            props = feature.get("properties") or {}
            evidence = [ev.get("text", "") for ev in props.get("evidence") or ()
                        if isinstance(ev, Mapping)]
            rows.append({"layer": layer, "id": feature.get("id"), "props": props,
                         "evidence": evidence})
    return rows
