"""Places a text describes by a distance and a direction from a named one ("à 65 km au
nord-ouest de Tillia") are drawn at that point; a long distance that only situates a town
for the reader, or one without a direction, stays a reference (own sentences, three
languages, the bundled gazetteer)."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic

from geo import geoparse
from geo.frames import extract_frames
from geo.frames.clauses import Document
from geo.frames.exclusions import Exclusions, Offset
from geo.layers import build_layers

TILLIA = (16.14, 4.79)
GAO = (16.27, -0.04)
TIMBUKTU = (16.77, -3.01)


def _attack_places(text: str, lang: str) -> list[tuple[str, float, float]]:
    found = extract_frames(geoparse(text, lang=lang)).found
    return [(p.place.name, p.place.lat, p.place.lon)
            for f in found if f.type == "attack" for p in f.places]


@pytest.mark.parametrize(
    ("text", "lang", "base", "km", "name"),
    [("Des hommes armés ont attaqué un campement à 65 km au nord-ouest de Tillia.", "fr",
      TILLIA, 65, "65 km NW of Tillia"),
     ("Gunmen attacked a village some 80 km north of Gao on Sunday.", "en", GAO, 80,
      "80 km N of Gao"),
     ("هاجم مسلحون قرية تقع على بعد 80 كلم شمال مدينة غاو.", "ar", GAO, 80, "80 km N of Gao"),
     ("هاجم مسلحون قرية على بعد 100 كلم إلى الغرب من تمبكتو.", "ar", TIMBUKTU, 100,
      "100 km W of Timbuktu")],
)
def test_a_place_described_by_distance_and_direction_is_drawn_there(text, lang, base, km,
                                                                    name) -> None:
    ((found, lat, lon),) = _attack_places(text, lang)
    assert found == name
    assert abs(geodesic(base, (lat, lon)).km - km) < 15  # the gazetteer's town, not ours
    (feature,) = build_layers(geoparse(text, lang=lang))["attacks"].geometry
    assert geodesic(base, (feature.centroid.y, feature.centroid.x)).km > km - 15


def test_a_far_town_or_a_distance_without_direction_is_no_offset() -> None:
    far = "Le camp de Ménaka attaqué dimanche se trouve à quelque 700 km à l'est de Tombouctou."
    assert [name for name, _, _ in _attack_places(far, "fr")] == ["Ménaka"]
    result = geoparse("Gunmen attacked a village 90 km from Gao.", lang="en")
    found = Exclusions(Document(result), result.resolved)
    (gao,) = result.resolved
    assert found.reason(gao) == "reference" and found.offset(gao) == Offset(km=90.0, bearing=None)


def test_a_distance_phrase_goes_on_past_its_commas() -> None:
    text = ("The clashes are centred in the town of Murzuq, located about 800 kilometres, or "
            "500 miles, south of the capital, Tripoli.")
    result = geoparse(text, lang="en")
    found = Exclusions(Document(result), result.resolved)
    assert {m.surface: found.reason(m) for m in result.resolved} == {
        "Murzuq": None, "Tripoli": "reference"}
