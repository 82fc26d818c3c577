"""Events merged across reports: written cases in Arabic, French and English, run through
the real pipeline (gazetteer, frames, layers), then small hand-made records for the rules."""

from __future__ import annotations

import datetime

import pytest

from geo import geoparse
from geo.layers import build_layers, to_feature_collection
from geo.merge import Source, merge_features
from geo.timeline import close_states, filter_features, stamp

# (document id, lang, text, published day, address)
REPORTS = {
    "fr-menaka": ("fr", "Le 3 mars 2024, des hommes armés du JNIM ont attaqué un camp militaire "
                  "à Ménaka, tuant 12 soldats.", "2024-03-04", "https://www.rfi.fr/a/1"),
    "ar-menaka": ("ar", "هاجم مسلحون من جماعة نصرة الإسلام والمسلمين معسكرا للجيش في ميناكا في "
                  "3 مارس 2024 وقتلوا 12 جنديا.", "2024-03-05", "https://www.aljazeera.net/b/2"),
    "en-menaka": ("en", "JNIM gunmen attacked a military camp in Menaka on 3 March 2024, killing "
                  "12 soldiers.", "2024-03-04", "https://apnews.com/c/3"),
    "en-menaka-repeat": ("en", "JNIM gunmen attacked an army camp in Menaka on 3 March 2024, "
                         "killing 12 soldiers.", "2024-03-05", "https://apnews.com/c/4"),
    "ar-menaka-toll": ("ar", "هاجم مسلحون من جماعة نصرة الإسلام والمسلمين معسكرا للجيش في ميناكا "
                       "في 3 مارس 2024 وقتلوا 15 جنديا.", "2024-03-05", "https://alwasat.ly/d/5"),
    "en-menaka-market": ("en", "On 13 March 2024, JNIM fighters attacked a market in Menaka.",
                         "2024-03-14", "https://apnews.com/c/6"),
    "fr-menaka-isgs": ("fr", "Le 3 mars 2024, l'État islamique au Sahel a attaqué un village près "
                       "de Ménaka.", "2024-03-04", "https://www.jeuneafrique.com/e/7"),
    "fr-kidal-2012": ("fr", "Le 30 mars 2012, le MNLA a pris le contrôle de Kidal.", "2012-04-01",
                      "https://www.lemonde.fr/f/8"),
    "en-kidal-2012": ("en", "On 2 April 2012, Ansar Dine took control of Kidal.", "2012-04-03",
                      "https://www.bbc.co.uk/g/9"),
    "ar-kidal-2023": ("ar", "في 14 نوفمبر 2023 استعاد الجيش المالي السيطرة على مدينة كيدال.",
                      "2023-11-15", "https://www.aljazeera.net/h/10"),
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[dict]]:
    """Each report's event features, tagged as the store tags them (id, document, reported)."""
    out = {}
    for doc, (lang, text, day, _) in REPORTS.items():
        layers = build_layers(geoparse(text, lang=lang),
                              published=datetime.date.fromisoformat(day))
        features = []
        for n, feature in enumerate(to_feature_collection(layers)["features"]):
            props = feature["properties"]
            if props["layer"] == "mentions":
                continue
            props["document"] = doc
            feature["id"] = f"{doc}.{props['layer']}.{n}"
            feature["properties"] = stamp(props, layer=props["layer"], reported=day)
            features.append(feature)
        out[doc] = features
    return out


SOURCES = {doc: Source(title=f"Report {doc}", url=url) for doc, (*_, url) in REPORTS.items()}


def merged(parsed: dict[str, list[dict]], *docs: str) -> list[dict]:
    return merge_features([f for d in docs for f in parsed[d]], SOURCES)


def props_of(features: list[dict], layer: str) -> list[dict]:
    return [f["properties"] for f in features if f["properties"]["layer"] == layer]


def test_same_event_from_outlets_in_three_languages_is_one_feature(parsed) -> None:
    singles = [props_of(parsed[d], "attacks")[0] for d in ("fr-menaka", "ar-menaka", "en-menaka")]
    (attack,) = props_of(merged(parsed, "fr-menaka", "ar-menaka", "en-menaka"), "attacks")
    assert attack["corroboration"] == 3
    assert {s["document"] for s in attack["sources"]} == {"fr-menaka", "ar-menaka", "en-menaka"}
    assert {s["url"] for s in attack["sources"]} == {REPORTS[d][3] for d in
                                                     ("fr-menaka", "ar-menaka", "en-menaka")}
    assert (attack["first_reported"], attack["last_reported"]) == ("2024-03-04", "2024-03-05")
    assert attack["confidence"] > max(s["confidence"] for s in singles)
    assert attack["toll"] == 12 and attack["contested"] is False
    assert attack["date"] == "2024-03-03"


def test_a_repeat_from_the_same_outlet_adds_a_source_not_corroboration(parsed) -> None:
    (two,) = props_of(merged(parsed, "en-menaka", "ar-menaka"), "attacks")
    (three,) = props_of(merged(parsed, "en-menaka", "ar-menaka", "en-menaka-repeat"), "attacks")
    assert len(three["sources"]) == 3
    assert three["corroboration"] == two["corroboration"] == 2
    assert three["confidence"] == two["confidence"]


def test_differing_tolls_are_kept_side_by_side_and_contested(parsed) -> None:
    (attack,) = props_of(merged(parsed, "fr-menaka", "ar-menaka-toll"), "attacks")
    assert attack["contested"] is True
    assert attack["tolls"] == [12, 15] and attack["toll"] is None
    assert sorted(s["toll"] for s in attack["sources"]) == [12, 15]


def test_different_events_in_the_same_town_stay_apart(parsed) -> None:
    # ten days later, and the same day by another group
    attacks = props_of(merged(parsed, "en-menaka", "en-menaka-market", "fr-menaka-isgs"),
                       "attacks")
    assert len(attacks) == 3
    assert all(a["corroboration"] == 1 and not a["contested"] for a in attacks)


def test_a_zone_retaken_closes_the_earlier_state(parsed) -> None:
    zones = close_states(merged(parsed, "fr-kidal-2012", "ar-kidal-2023"))
    by_day = {p["valid_from"]: p for p in props_of(zones, "control_zones")}
    assert by_day["2012-03-30"]["valid_to"] == "2023-11-14"
    assert by_day["2023-11-14"]["valid_to"] is None
    held_2020 = filter_features(zones, datetime.date(2020, 1, 1), datetime.date(2020, 1, 1))
    assert [f["properties"]["actor"] for f in held_2020] == ["MNLA"]


def test_two_actors_holding_a_town_the_same_week_are_contested_not_closed(parsed) -> None:
    zones = close_states(merged(parsed, "fr-kidal-2012", "en-kidal-2012"))
    found = props_of(zones, "control_zones")
    assert sorted(p["actor"] for p in found) == ["Ansar Dine", "MNLA"]
    assert all(p["contested"] and p["valid_to"] is None for p in found)
    ids = {f["id"] for f in zones}
    assert all(set(p["contested_with"]) <= ids and len(p["contested_with"]) == 1 for p in found)


def point(fid: str, doc: str, lon: float, lat: float, day: str, **props) -> dict:
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"layer": "attacks", "document": doc, "reported": day,
                           "confidence": 0.5, "precision": 1, **props}}


def test_one_report_never_merges_with_itself() -> None:
    out = merge_features([point("a", "d1", 0, 15, "2024-01-01"),
                          point("b", "d1", 0.01, 15, "2024-01-01")], {})
    assert len(out) == 2


@pytest.mark.parametrize(
    ("lon", "day", "count"),
    [(0.2, "2024-01-02", 1),  # 21 km, next day: one event
     (0.3, "2024-01-02", 2),  # 32 km: two
     (0.0, "2024-01-05", 2)],  # four days later: two
)
def test_distance_and_window(lon, day, count) -> None:
    out = merge_features([point("a", "d1", 0, 15, "2024-01-01"),
                          point("b", "d2", lon, 15, day)], {})
    assert len(out) == count


def test_places_mentioned_and_undated_features_pass_through() -> None:
    mention = point("m", "d1", 0, 15, "2024-01-01")
    mention["properties"]["layer"] = "mentions"
    undated = point("u", "d2", 0, 15, "")
    out = merge_features([mention, undated], {})
    assert [f["id"] for f in out] == ["m", "u"]
    assert "sources" not in out[0]["properties"]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="distance_km"):
        merge_features([], {}, distance_km=0)
