"""Highlighted document text: the same answer as the obvious quadratic rule, in linear time."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.highlight import evidence_spans, segments


def brute_force(text, mentions, collections):
    """The rule spelled out: each kept mention gets every layer whose evidence covers it."""
    spans = evidence_spans(collections)
    out, cursor = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = m["start"], m["end"]
        if start < cursor or end > len(text) or start >= end:
            continue
        layers = sorted({layer for s, e, layer in spans
                         if s <= start and end <= e and layer != "mentions"})
        out.append((start, end, tuple(layers)))
        cursor = end
    return out


def collections_of(spans):
    out: dict = {}
    for start, end, layer in spans:
        feature = {"properties": {"evidence": [{"start": start, "end": end, "text": ""}]}}
        out.setdefault(layer, {"features": []})["features"].append(feature)
    return out


positions = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(mentions=st.lists(positions, max_size=15),
       spans=st.lists(st.tuples(positions, st.sampled_from(
           ["control_zones", "attacks", "mentions", "strikes"])), max_size=15))
def test_segments_follow_the_rule(mentions, spans):
    text = "x" * 70
    ms = [{"start": s, "end": e} for s, e in mentions]
    found = segments(text, ms, collections_of([(s, e, layer) for (s, e), layer in spans]))
    got = [(seg.mention["start"], seg.mention["end"], seg.layers) for seg in found if seg.mention]
    assert got == brute_force(text, ms, collections_of([(s, e, la) for (s, e), la in spans]))
    assert "".join(seg.text for seg in found) == text


def test_a_hundred_thousand_names_highlight_in_linear_time():
    names = ["Gao", "Kidal", "Mopti", "Niamey"] * 25_000
    text = " ".join(names)
    mentions, spans, at = [], [], 0
    for name in names:
        mentions.append({"start": at, "end": at + len(name)})
        spans.append((at, at + len(name), "attacks"))
        at += len(name) + 1
    collections = collections_of(spans)
    started = time.perf_counter()
    found = segments(text, mentions, collections)
    elapsed = time.perf_counter() - started
    assert sum(1 for seg in found if seg.layers == ("attacks",)) == 100_000
    assert elapsed < 3.0, f"{elapsed:.1f} s for 100,000 mentions"


def test_a_document_of_a_hundred_thousand_names_renders_once(app, client):
    """The page of a huge document is built in seconds, then served from the render cache."""
    from webapp.store import get_store

    names = ["Gao", "Kidal", "Mopti", "Niamey"] * 25_000
    text = " ".join(names)
    place = {"id": "gn:1", "name": "Gao", "names": {}, "type": "city", "country": "ML",
             "lat": 16.27, "lon": -0.04, "bbox": None}
    mentions, at = [], 0
    for name in names:
        mentions.append({"start": at, "end": at + len(name), "surface": name,
                         "kind": "toponym", "place": place, "precision": 1,
                         "confidence": 0.9, "sentence": [0, len(text)]})
        at += len(name) + 1
    attack = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.04, 16.27]},
              "properties": {"layer": "attacks", "name": "Gao",
                             "evidence": [{"start": 0, "end": len(text), "text": "..."}]}}
    with app.app_context():
        doc = get_store().add_document(
            text=text, title="Many names", lang="en", mentions=mentions,
            layers={"attacks": {"type": "FeatureCollection", "features": [attack]}})
    started = time.perf_counter()
    first = client.get(f"/documents/{doc.id}")
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = client.get(f"/documents/{doc.id}")
    second_seconds = time.perf_counter() - started
    assert first.status_code == second.status_code == 200
    assert first_seconds < 20, f"first view {first_seconds:.1f} s"
    assert second_seconds < first_seconds / 3 and second_seconds < 2, second_seconds
    assert first.get_data(as_text=True).count('data-layers="attacks"') == 100_000
