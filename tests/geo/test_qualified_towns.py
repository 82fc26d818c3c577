"""Towns named with their state after a comma are that state's towns."""

from __future__ import annotations

import pytest

from geo import geoparse
from geo.records import Mention


def first(text: str) -> Mention:
    return geoparse(text, lang="en").mentions[0]


@pytest.mark.parametrize(("text", "surface", "state"), [
    ("The county fair in Paris, Tenn., drew a record crowd.", "Paris", "Tennessee"),
    ("A plant near Dublin, Ohio, will close next year.", "Dublin", "Ohio"),
    ("She grew up in Paris, Texas, before the war.", "Paris", "Texas"),
])
def test_a_state_after_the_comma_picks_its_town(text: str, surface: str, state: str) -> None:
    result = geoparse(text, lang="en")
    town, unit = result.mentions[0], result.mentions[1]
    assert town.surface == surface and unit.place is not None and unit.place.name == state
    assert town.place is not None and town.place.country == "US"
    assert town.place.parent == unit.place.id


@pytest.mark.parametrize(("text", "iso"), [
    ("Ministers met in Paris, London and Berlin.", "FR"),
    ("Talks between Niger, Nigeria and Chad resumed.", "NE"),
])
def test_a_list_of_places_is_not_a_town_and_its_state(text: str, iso: str) -> None:
    place = first(text).place
    assert place is not None and place.country == iso


@pytest.mark.parametrize(("text", "surface"), [
    ("The mayor of Toledo met farmers across Ohio on Monday.", "Toledo"),
    ("A storm hit Cairo and towns across Illinois.", "Cairo"),
])
def test_a_state_named_in_the_text_picks_its_towns(text: str, surface: str) -> None:
    mention = next(m for m in geoparse(text, lang="en").mentions if m.surface == surface)
    assert mention.place is not None and mention.place.country == "US"
