"""Layer building stays linear in the text size (long reports, bulk corpora)."""

from __future__ import annotations

import time

from geo import geoparse
from geo.layers import build_layers


def _seconds(text: str) -> float:
    result = geoparse(text)
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        build_layers(result)
        best = min(best, time.perf_counter() - started)
    return best


def test_layers_scale_linearly(seed_text: str) -> None:
    build_layers(geoparse(seed_text))  # warm: trigger patterns, border geometry
    small = _seconds((seed_text + "\n") * 5)
    big = _seconds((seed_text + "\n") * 40)
    assert big < 16 * max(small, 0.02), f"8x the text took {big / small:.1f}x the time"
