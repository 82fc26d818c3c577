"""Split a document's text into plain runs and highlighted mentions.

Templates render each run with autoescaping, so the text (whatever HTML or
script it contains) is always shown as text. A mention is tagged with every
layer whose feature evidence covers it, so the page can colour it by layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


def _layers_at(start: int, end: int, spans: Iterable[tuple[int, int, str]]) -> tuple[str, ...]:
    found = {layer for s, e, layer in spans if s <= start and end <= e and layer != "mentions"}
    return tuple(sorted(found))


def segments(
    text: str, mentions: Sequence[Mapping[str, Any]], collections: Mapping[str, Any]
) -> list[Segment]:
    """Return the text as segments, mentions in order, overlaps dropped."""
    spans = evidence_spans(collections)
    out: list[Segment] = []
    cursor = 0
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = int(mention["start"]), int(mention["end"])
        if start < cursor or end > len(text) or start >= end:
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], mention, _layers_at(start, end, spans)))
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
