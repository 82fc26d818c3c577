"""A town an Arabic report names with a cue once keeps its sense where it comes back bare
(own sentences, the bundled gazetteer)."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.frames import extract_frames


def _places(text: str, lang: str) -> list[str]:
    return [m.place.name for m in geoparse(text, lang=lang).mentions if m.place is not None]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("هاجم مسلحون مدينة نامبالا يوم الأحد. وقال متحدث باسمهم: احتلينا نامبالا من دون قتال.",
         ["Nampala", "Nampala"]),
        ("دخل الجيش بلدة ديابالي أمس، ثم غادر المسلحون ديابالي نحو الشمال.",
         ["Diabaly", "Diabaly"]),
    ],
)
def test_a_bare_repeat_of_a_cued_town_is_the_same_town(text, places) -> None:
    assert _places(text, "ar") == places


def test_a_bare_town_alone_still_needs_its_cue() -> None:
    assert _places("احتلينا نامبالا من دون قتال.", "ar") == []


def test_the_repeat_carries_the_event_told_there() -> None:
    text = "وصلت قافلة إلى مدينة نامبالا الشهر الماضي. وقال المتمردون: احتلينا نامبالا أمس."
    controls = [f for f in extract_frames(geoparse(text, lang="ar")).found
                if f.type == "control"]
    assert [p.place.name for f in controls for p in f.places] == ["Nampala"]
