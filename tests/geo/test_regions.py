"""Curated region geometry recipes, directional parts and curated-file schema checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point, box

from geo.errors import GazetteerError
from geo.gazetteer.curated import (
    demonym_forms,
    english_forms,
    french_forms,
    load_demonyms,
    load_places,
    load_traps,
    load_variants,
)
from geo.gazetteer.regions import LAND, build_geometry, circle, part_geometry

SQUARE = box(0.0, 0.0, 10.0, 10.0)  # lon/lat degrees near the equator


@pytest.mark.parametrize(("direction", "inside", "outside"), [
    ("north", (5, 8), (5, 2)),
    ("south", (5, 2), (5, 8)),
    ("east", (8, 5), (2, 5)),
    ("west", (2, 5), (8, 5)),
    ("northeast", (8, 8), (2, 8)),
    ("southwest", (2, 2), (8, 2)),
    ("center", (5, 5), (1, 1)),
])
def test_part_geometry(direction: str, inside: tuple[float, float],
                       outside: tuple[float, float]) -> None:
    part = part_geometry(SQUARE, direction)
    assert part.is_valid and SQUARE.buffer(1e-9).contains(part)
    assert part.contains(Point(inside)) and not part.contains(Point(outside))


def test_part_geometry_rejects_unknown_direction() -> None:
    with pytest.raises(ValueError, match="'direction' should be one of"):
        part_geometry(SQUARE, "upwards")


def test_circle_is_metric() -> None:
    disc = circle(60.0, 10.0, 100.0)
    minx, miny, maxx, maxy = disc.bounds
    assert (maxy - miny) == pytest.approx(1.8, abs=0.05)       # 200 km of latitude
    assert (maxx - minx) == pytest.approx(3.6, abs=0.1)        # wider in degrees at 60°N


def test_recipes() -> None:
    shapes = {"a": box(0, 0, 2, 2), "b": box(2, 0, 4, 2), "iso:XA": box(0, 0, 3, 3)}
    union = build_geometry({"union": ["a", "b"]}, shapes.__getitem__)
    assert union.area == pytest.approx(8)
    clipped = build_geometry({"box": [1, 1, 5, 5], "clip": ["XA"]}, shapes.__getitem__)
    assert clipped.area == pytest.approx(4)
    band = build_geometry({"line": [[0, 0], [1, 0]], "buffer_km": 10}, shapes.__getitem__)
    assert band.contains(Point(0.5, 0.05))
    with pytest.raises(GazetteerError, match="recipe needs"):
        build_geometry({"blob": 1}, shapes.__getitem__)
    with pytest.raises(GazetteerError, match="empty"):
        build_geometry({"box": [10, 10, 11, 11], "clip": ["XA"]}, shapes.__getitem__)


def test_a_sea_is_its_outline_less_land() -> None:
    shapes = {LAND: box(0, 0, 3, 3)}
    sea = build_geometry({"box": [2, 2, 6, 6], "minus": "land"}, shapes.__getitem__)
    assert sea.area == pytest.approx(16 - 1)
    assert sea.contains(Point(4, 4)) and not sea.contains(Point(2.5, 2.5))
    with pytest.raises(GazetteerError, match="minus"):
        build_geometry({"box": [2, 2, 6, 6], "minus": ["XA"]}, shapes.__getitem__)


@pytest.mark.parametrize(("word", "forms"), [
    ("malien", ["malien", "maliens", "malienne", "maliennes"]),
    ("marocain", ["marocain", "marocains", "marocaine", "marocaines"]),
    ("français", ["français", "française", "françaises"]),
    ("belge", ["belge", "belges"]),
    ("turc/turque", ["turc", "turcs", "turque", "turques"]),
])
def test_french_forms(word: str, forms: list[str]) -> None:
    assert french_forms(word) == forms


def test_english_and_arabic_forms() -> None:
    assert english_forms("Algerian") == ["Algerian", "Algerians"]
    assert english_forms("Sudanese") == ["Sudanese"]
    forms = demonym_forms({"ar_stems": ["جزائر"], "ambiguous": ["fr"], "fr": ["algérien"]})
    arabic = {f.name for f in forms if f.lang == "ar"}
    assert {"جزائري", "جزائرية", "جزائريين", "جزائريون", "جزائريان"} <= arabic
    assert all(f.kind == "demonym" for f in forms)
    assert {f.ambiguous for f in forms if f.lang == "fr"} == {True}


def test_bundled_curated_files_load() -> None:
    places = {p.id: p for p in load_places()}
    assert {"kh:azawad", "kh:sahel", "kh:dz-ml-mr-triangle", "kh:field-states"} <= set(places)
    assert dict(load_demonyms())["NO"]  # "NO" is Norway, not YAML's false
    assert all(pid.startswith(("gn:", "ne:")) for pid, _ in load_variants())


@pytest.mark.parametrize(("text", "message"), [
    ("- id: kh:x\n  names: {en: [X]}\n  point: [1, 2]\n", "source"),
    ("- id: x\n  names: {en: [X]}\n  point: [1, 2]\n  source: s\n", "starting 'kh:'"),
    ("- id: kh:x\n  names: {xx: [X]}\n  point: [1, 2]\n  source: s\n", "names"),
    ("- id: kh:x\n  names: {en: [X]}\n  source: s\n", "exactly one"),
    ("- id: kh:x\n  names: {en: [X]}\n  point: [1, 2]\n  source: s\n  colour: red\n", "unknown"),
    ("- [unclosed\n", "cannot read"),
])
def test_places_schema_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        load_places(path)


def test_traps_file_is_optional(tmp_path: Path) -> None:
    assert load_traps(tmp_path / "missing.yaml") == []
    path = tmp_path / "traps.yaml"
    path.write_text("ar: [واشنطن بوست]\nen: [Washington Post]\n", encoding="utf-8")
    traps = load_traps(path)
    assert {(t.lang, t.kind) for t in traps} == {("ar", "trap"), ("en", "trap")}
