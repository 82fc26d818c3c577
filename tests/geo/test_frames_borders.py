"""Border closures between two named states: the state closing named as a country, a
nationality or an owner, the other after "with" (own sentences, three languages)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo import geoparse
from geo.frames import extract_frames
from geo.layers import build_layers


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The Nigerien authorities closed the border with Burkina Faso on Monday.", "en"),
     ("Les autorités nigériennes ont fermé la frontière avec le Burkina Faso.", "fr"),
     ("أغلقت السلطات النيجرية الحدود مع بوركينا فاسو.", "ar"),
     ("The government of Niger closed its border with Burkina Faso.", "en"),
     ("أغلقت النيجر حدودها مع بوركينا فاسو.", "ar")],
)
def test_a_closure_between_two_named_states(text, lang) -> None:
    (frame,) = [f for f in extract_frames(geoparse(text, lang=lang)).found
                if f.type == "border_security"]
    assert {(p.role, p.place.name) for p in frame.places} == {
        ("area", "Niger"), ("counterpart", "Burkina Faso")}
    (band,) = build_layers(geoparse(text, lang=lang))["border_security"].geometry
    assert band.distance(Point(0.42, 13.33)) < 0.3  # on the Niger-Burkina Faso border
    assert band.distance(Point(3.6, 11.7)) > 1.0  # not along Niger's border with Benin


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Niger reopened its border with Benin on Friday.", "en"),
     ("Le Niger a rouvert sa frontière avec le Bénin.", "fr"),
     ("أعادت النيجر فتح حدودها مع بنين.", "ar")],
)
def test_reopening_a_border(text, lang) -> None:
    frames = [f for f in extract_frames(geoparse(text, lang=lang)).found
              if f.type == "border_security"]
    assert frames and "Benin" in {p.place.name for p in frames[0].places}


def _border_pairs(text: str, lang: str) -> set[tuple[str, ...]]:
    layer = build_layers(geoparse(text, lang=lang)).get("border_security")
    return set() if layer is None else {tuple(sorted(m)) for m in layer["members"]}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("أعادت السلطات في النيجر، فتح الحدود مع الجزائر، وليبيا، ومالي، وتشاد.", "ar"),
     ("The Nigerien authorities reopened the borders with Algeria, Libya, Mali and Chad.",
      "en"),
     ("Les autorités nigériennes ont rouvert les frontières avec l'Algérie, la Libye, le "
      "Mali et le Tchad.", "fr")],
)
def test_each_state_listed_after_with_is_a_border_pair(text: str, lang: str) -> None:
    assert _border_pairs(text, lang) == {("DZ", "NE"), ("LY", "NE"), ("ML", "NE"),
                                         ("NE", "TD")}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The borders between Niger and Benin have been closed since the coup.", "en"),
     ("La frontière terrestre entre le Niger et le Bénin resterait fermée.", "fr"),
     ("الحدود بين النيجر وبنين لا تزال مغلقة.", "ar"),
     ("Cameroon has deployed about 1,000 troops to its border with Nigeria.", "en"),
     ("Le Cameroun a déployé un millier de soldats à sa frontière avec le Nigeria.", "fr"),
     ("نشرت الكاميرون ألف جندي على حدودها مع نيجيريا.", "ar")],
)
def test_a_border_closed_between_two_states_or_reinforced_by_troops(text: str,
                                                                    lang: str) -> None:
    pairs = _border_pairs(text, lang)
    assert pairs in ({("BJ", "NE")}, {("CM", "NG")})


def test_the_borders_are_no_scottish_council_area() -> None:
    result = geoparse("The borders between Niger and Benin have been closed.", lang="en")
    assert not any(m.place is not None and m.place.country == "GB" for m in result.mentions)


def test_a_source_posted_at_a_border_says_nothing_of_it() -> None:
    text = "We sent evidence to Bamako, a Mauritanian security source on the border told AFP."
    assert [f for f in extract_frames(geoparse(text, lang="en")).found
            if f.type == "border_security"] == []
    secured = "Algeria secured its border with Mali."
    assert [f.type for f in extract_frames(geoparse(secured, lang="en")).found] == [
        "border_security"]
