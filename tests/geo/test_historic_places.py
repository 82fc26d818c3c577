"""Historic states and regions, and the nations of the United Kingdom (curated data)."""

from __future__ import annotations

import pytest

from geo import geoparse


@pytest.mark.parametrize(
    ("text", "lang", "surface", "place_id"),
    [
        ("Les troupes de la Prusse sont entrées en Bohême.", "fr", "Prusse", "kh:prussia"),
        ("Les troupes de la Prusse sont entrées en Bohême.", "fr", "Bohême", "kh:bohemia"),
        ("La grève s'étend en Silésie.", "fr", "Silésie", "kh:silesia"),
        ("The treaty was signed by Czechoslovakia and Yugoslavia.", "en", "Czechoslovakia",
         "kh:czechoslovakia"),
        ("The treaty was signed by Czechoslovakia and Yugoslavia.", "en", "Yugoslavia",
         "kh:yugoslavia"),
        ("Les crues du Rhin inquiètent Strasbourg.", "fr", "Rhin", "kh:rhine"),
        ("Le ministre est arrivé hier à Pétersbourg.", "fr", "Pétersbourg", "gn:498817"),
    ],
)
def test_historic_names_are_found(text: str, lang: str, surface: str, place_id: str) -> None:
    found = {m.surface: m for m in geoparse(text, lang=lang).mentions}
    assert surface in found, sorted(found)
    assert found[surface].place is not None and found[surface].place.id == place_id


@pytest.mark.parametrize(
    ("text", "lang", "surface", "place_id"),
    [
        ("فاز منتخب إنجلترا على ضيفه في لندن.", "ar", "إنجلترا", "kh:england"),
        ("Les pluies ont frappé l'Écosse et le pays de Galles.", "fr", "Écosse", "kh:scotland"),
        ("Talks on Northern Ireland resumed in Belfast.", "en", "Northern Ireland",
         "kh:northern-ireland"),
        ("وصل السياح إلى الأندلس في جنوب إسبانيا.", "ar", "الأندلس", "kh:andalusia"),
        ("اشتد البرد في خراسان شرقي إيران.", "ar", "خراسان", "kh:khorasan"),
    ],
)
def test_nations_and_great_regions_are_found(text: str, lang: str, surface: str,
                                             place_id: str) -> None:
    found = {m.surface: m for m in geoparse(text, lang=lang).mentions}
    assert surface in found, sorted(found)
    assert found[surface].place is not None and found[surface].place.id == place_id
