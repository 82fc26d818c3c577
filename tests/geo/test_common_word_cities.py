"""Arabic common words that GeoNames also lists as spellings of foreign cities."""

from __future__ import annotations

import pytest

from geo import geoparse


def places(text: str) -> list[str]:
    return [m.place.name for m in geoparse(text, lang="ar").mentions if m.place is not None]


@pytest.mark.parametrize("text", [
    "وقال المدرب إن فريقه يفوز لأول مرة خارج أرضه.",  # "for the first time", not Laval
    "وكان كلاوس شواب قد افتتح المنتدى صباحا.",  # Klaus, not "like Laos"
])
def test_a_common_word_is_not_a_far_city(text: str) -> None:
    assert places(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("وصل الوفد إلى لندن صباح الأحد.", "London"),
    ("وعاد اللاعب إلى مراكش بعد الإصابة.", "Marrakesh"),
])
def test_a_city_written_as_its_own_name_stays(text: str, name: str) -> None:
    assert name in places(text)



def test_a_direction_written_with_the_article_stays() -> None:
    assert places("وتشهد المنطقة الشمالية والجنوب الليبي اشتباكات متكررة.") == ["southern Libya"]
