"""Displacement: a region wider than a state that holds the origin sets the scene, it is no
destination (own sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.layers import build_layers


def _flows(text: str, lang: str) -> list[str]:
    layer = build_layers(geoparse(text, lang=lang)).get("displacement")
    return [] if layer is None else list(layer["name"])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mauritania hosts the largest number of Malian refugees in the Sahel region.", "en"),
        ("De nombreux déplacés maliens trouvent refuge, fuyant le centre du Mali, un des "
         "foyers de la violence qui se propage au Sahel.", "fr"),
        ("يعيش آلاف النازحين الماليين الفارين من وسط مالي في منطقة الساحل.", "ar"),
    ],
)
def test_no_flow_into_a_region_that_holds_its_origin(text, lang) -> None:
    assert not any("→ Sahel" in name for name in _flows(text, lang))


@pytest.mark.parametrize(
    ("text", "lang", "flow"),
    [
        ("Thousands of Malian refugees have fled to Mauritania.", "en", "Mali → Mauritania"),
        ("Des milliers de réfugiés maliens ont fui vers le Niger.", "fr", "Mali → Niger"),
        ("Thousands of people fled from Kidal to Gao, in northern Mali.", "en", "Kidal → Gao"),
    ],
)
def test_flows_to_a_named_destination_stay(text, lang, flow) -> None:
    assert flow in _flows(text, lang)
