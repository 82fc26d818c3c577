"""Curated Sahel regions that reporting names and Natural Earth lacks: Mali's Gourma is not
Burkina Faso's Gourma province (own sentences, three languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Un drone a frappé dans le sud-est du Gourma malien.", "fr"),
     ("A drone struck in the Malian Gourma on Tuesday.", "en"),
     ("نفذت طائرة مسيرة غارة في منطقة غورما شمال مالي.", "ar")],
)
def test_the_malian_gourma_is_in_mali(text, lang) -> None:
    (gourma,) = [m for m in geoparse(text, lang=lang).resolved if "Gourma" in m.place.name]
    assert gourma.place.country == "ML"


def test_the_gourma_province_of_burkina_faso_stays_there() -> None:
    text = "Des jihadistes ont attaqué Fada N'Gourma, dans la province du Gourma, au Burkina Faso."
    found = [m for m in geoparse(text, lang="fr").resolved if m.surface == "Gourma"]
    assert [m.place.country for m in found] == ["BF"]
