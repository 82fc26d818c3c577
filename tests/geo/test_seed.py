"""The seed article (read from ../shared/seeds, never copied): every place, no trap."""

from __future__ import annotations

from collections import Counter

import pytest

from geo import geoparse
from geo.records import GeoparseResult


@pytest.fixture(scope="module")
def seed(seed_text: str) -> GeoparseResult:
    return geoparse(seed_text)


@pytest.mark.parametrize(
    ("surface", "iso", "ptype"),
    [
        ("بمالي", "ML", "country"),
        ("ومالي", "ML", "country"),
        ("الجزائر", "DZ", "country"),
        ("النيجر", "NE", "country"),
        ("وموريتانيا", "MR", "country"),
        ("وبوركينا فاسو", "BF", "country"),
        ("ونيجيريا", "NG", "country"),
        ("باكستان", "PK", "country"),
        ("واليمن", "YE", "country"),
        ("الصومال", "SO", "country"),
        ("الولايات المتحدة", "US", "country"),
        ("فرنسا", "FR", "country"),
        ("شمال مالي", "ML", "part"),
        ("جنوب البلاد", "DZ", "part"),
    ],
)
def test_seed_places(seed: GeoparseResult, surface: str, iso: str, ptype: str) -> None:
    found = [m for m in seed.mentions if m.surface == surface]
    assert found, f"{surface!r} not found"
    for m in found:
        assert m.place is not None, f"{surface!r} unresolved: {m.reason}"
        assert m.place.country == iso
        if ptype == "part":  # a derived part or the curated region it stands for
            assert m.precision == 5 and m.place.type in {"part", "region"}
        else:
            assert m.place.type == ptype


@pytest.mark.parametrize(
    ("surface", "members"),
    [("دول الميدان", {"DZ", "ML", "MR", "NE"})],
)
def test_seed_groups(seed: GeoparseResult, surface: str, members: set[str]) -> None:
    found = [m for m in seed.mentions if surface in m.surface]
    assert found and all(m.place and set(m.place.members) >= members for m in found)


@pytest.mark.parametrize("needle", ["أزواد", "المثلث الحدودي"])
def test_seed_regions(seed: GeoparseResult, needle: str) -> None:
    found = [m for m in seed.mentions if needle in m.surface]
    assert found
    assert all(m.place is not None and m.precision == 5 for m in found)


def test_seed_demonyms(seed: GeoparseResult) -> None:
    demonyms = Counter(m.place.country for m in seed.mentions if m.kind == "demonym" and m.place)
    assert demonyms["DZ"] >= 3 and demonyms["US"] >= 2 and demonyms["ML"] >= 1


def test_seed_has_no_traps(seed: GeoparseResult) -> None:
    countries = {m.place.country for m in seed.mentions if m.place}
    assert "MA" not in countries, "Morocco from the AQIM name"
    ids = {m.place.id for m in seed.mentions if m.place}
    assert not any(m.place and m.place.type == "city" for m in seed.mentions), ids
    assert not any("واشنطن" in m.surface for m in seed.mentions)


def test_seed_offsets(seed: GeoparseResult, seed_text: str) -> None:
    assert all(seed_text[m.start:m.end] == m.surface for m in seed.mentions)
