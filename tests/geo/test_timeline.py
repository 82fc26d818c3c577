"""Time on features: yearless dates against the report's day, spans, windows, closed states."""

from __future__ import annotations

import datetime

import pytest

from geo.frames.quantities import find_dates
from geo.timeline import close_states, filter_features, overlaps, span, stamp

REPORT = datetime.date(2024, 12, 2)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Le 3 mars, des hommes armés ont attaqué Ménaka.", "fr", "2024-03-03"),
        ("On 12 March gunmen attacked Gao.", "en", "2024-03-12"),
        ("On March 12 gunmen attacked Gao.", "en", "2024-03-12"),
        ("وفي ٣ مارس هاجم مسلحون مدينة كيدال", "ar", "2024-03-03"),
        ("وفي 3 آذار هاجم مسلحون مدينة كيدال", "ar", "2024-03-03"),
        # within a month after the report: announced, not last year's
        ("La réunion aura lieu le 20 décembre à Alger.", "fr", "2024-12-20"),
        ("Talks open on 1 January in Algiers.", "en", "2025-01-01"),
        ("Talks opened on 10 January in Algiers.", "en", "2024-01-10"),
        # a year in the text wins over the report's
        ("هاجم مسلحون كيدال في ٣ مارس ٢٠٢٣", "ar", "2023-03-03"),
        ("Le 2 décembre 2024, l'armée est entrée à Kidal.", "fr", "2024-12-02"),
    ],
)
def test_dates_against_the_report_day(text, lang, expected) -> None:
    assert [d.value for d in find_dates(text, lang, reference=REPORT)] == [expected]


def test_yearless_dates_need_a_report_day() -> None:
    assert find_dates("Le 3 mars, des hommes armés ont attaqué Ménaka.", "fr") == ()


def test_yearless_date_offsets_cover_its_surface() -> None:
    text = "وفي ٣ مارس هاجم مسلحون"
    (found,) = find_dates(text, "ar", reference=REPORT)
    assert text[found.start:found.end] == "٣ مارس"


def test_stamp_gives_reported_to_all_and_validity_to_states() -> None:
    attack = stamp({"layer": "attacks", "date": "2024-03-03"}, layer="attacks",
                   reported="2024-03-05")
    assert attack == {"layer": "attacks", "date": "2024-03-03", "reported": "2024-03-05"}
    zone = stamp({"layer": "control_zones"}, layer="control_zones", reported="2024-03-05")
    assert (zone["valid_from"], zone["valid_to"]) == ("2024-03-05", None)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"date": "2024-03-03", "reported": "2024-03-05"}, ("2024-03-03", "2024-03-03")),
        ({"reported": "2024-03-05"}, ("2024-03-05", "2024-03-05")),
        ({"date": "2013-04"}, ("2013-04-01", "2013-04-30")),
        ({"valid_from": "2024-01-01", "valid_to": "2024-02-01"}, ("2024-01-01", "2024-01-31")),
        ({"valid_from": "2024-01-01", "valid_to": None}, ("2024-01-01", None)),
        ({}, (None, None)),
    ],
)
def test_span(props, expected) -> None:
    iso = tuple(d.isoformat() if d else None for d in span(props))
    assert iso == expected


def day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def test_windows_meet_events_on_their_day_and_states_while_they_hold() -> None:
    event = {"date": "2024-03-03"}
    assert overlaps(event, day("2024-03-01"), day("2024-03-31"))
    assert not overlaps(event, day("2024-03-04"), None)
    held = {"valid_from": "2024-01-01", "valid_to": "2024-02-01"}
    assert overlaps(held, day("2024-01-31"), day("2024-01-31"))
    assert not overlaps(held, day("2024-02-01"), day("2024-02-01"))  # retaken that day
    assert overlaps({"valid_from": "2024-01-01"}, day("2030-01-01"), None)
    assert not overlaps({}, None, None)  # no time at all: never in a window


def zone(fid: str, actor: str, since: str, place: str = "gn:kidal") -> dict:
    props = {"layer": "control_zones", "actor": actor, "places": [place],
             "valid_from": since, "valid_to": None}
    return {"type": "Feature", "id": fid, "geometry": None, "properties": props}


def test_a_zone_retaken_closes_the_earlier_state() -> None:
    taken, retaken = zone("a", "MNLA", "2012-03-30"), zone("b", "Malian army", "2023-11-14")
    out = {f["id"]: f["properties"] for f in close_states([retaken, taken])}
    assert (out["a"]["valid_to"], out["a"]["closed_by"]) == ("2023-11-14", "b")
    assert out["b"]["valid_to"] is None
    assert taken["properties"]["valid_to"] is None  # the input is left as it was
    held_2020 = filter_features(close_states([taken, retaken]), day("2020-06-01"),
                                day("2020-06-01"))
    assert [f["id"] for f in held_2020] == ["a"]


def test_same_actor_same_day_or_other_place_leave_states_open() -> None:
    again = close_states([zone("a", "MNLA", "2012-03-30"), zone("b", "MNLA", "2012-05-01")])
    assert [f["properties"]["valid_to"] for f in again] == [None, None]
    same_day = close_states([zone("a", "MNLA", "2012-03-30"), zone("b", "AQIM", "2012-03-30")])
    assert [f["properties"]["valid_to"] for f in same_day] == [None, None]
    elsewhere = close_states([zone("a", "MNLA", "2012-03-30"),
                              zone("b", "AQIM", "2013-01-01", place="gn:gao")])
    assert [f["properties"]["valid_to"] for f in elsewhere] == [None, None]


def square(lon: float, lat: float, half: float) -> dict:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


def drawn(fid: str, actor: str, since: str, place: str, geometry: dict) -> dict:
    return {**zone(fid, actor, since, place), "geometry": geometry}


KIDAL_REGION = square(1.0, 19.0, 1.5)  # gn:kidal-region
KIDAL_TOWN = square(1.41, 18.44, 0.1)  # gn:kidal, well inside the region


def test_a_town_retaken_inside_a_region_closes_the_regions_state_and_back() -> None:
    region = drawn("r", "MNLA", "2012-03-30", "gn:kidal-region", KIDAL_REGION)
    town = drawn("t", "Malian army", "2023-11-14", "gn:kidal", KIDAL_TOWN)
    out = {f["id"]: f["properties"] for f in close_states([town, region])}
    assert (out["r"]["valid_to"], out["r"]["closed_by"]) == ("2023-11-14", "t")
    assert out["t"]["valid_to"] is None
    town_first = drawn("t", "MNLA", "2012-03-30", "gn:kidal", KIDAL_TOWN)
    region_later = drawn("r", "Malian army", "2023-11-14", "gn:kidal-region", KIDAL_REGION)
    out = {f["id"]: f["properties"] for f in close_states([town_first, region_later])}
    assert out["t"]["closed_by"] == "r"
    as_point = drawn("p", "Malian army", "2023-11-14", "gn:kidal",
                     {"type": "Point", "coordinates": [1.41, 18.44]})
    out = {f["id"]: f["properties"] for f in close_states([region, as_point])}
    assert out["r"]["closed_by"] == "p"


def test_overlapping_neighbours_and_places_outside_stay_apart() -> None:
    region = drawn("r", "MNLA", "2012-03-30", "gn:kidal-region", KIDAL_REGION)
    neighbour = drawn("n", "Malian army", "2023-11-14", "gn:gao-region", square(2.8, 17.5, 1.5))
    outside = drawn("o", "Malian army", "2023-11-14", "gn:gao", square(0.0, 16.3, 0.1))
    for later in (neighbour, outside):
        out = {f["id"]: f["properties"] for f in close_states([region, later])}
        assert out["r"]["valid_to"] is None, later["id"]


def circle(lon: float, lat: float, radius: float, vertices: int) -> dict:
    import math

    ring = [[lon + radius * math.cos(2 * math.pi * k / vertices),
             lat + radius * math.sin(2 * math.pi * k / vertices)] for k in range(vertices)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_a_region_told_again_and_again_is_closed_at_each_change_quickly() -> None:
    import time

    # a feed tells the same region (a detailed outline) in report after report, each its
    # own place id so that only the shapes can say it is one zone
    outline = circle(1.0, 19.0, 1.5, 2000)
    actors = ("MNLA", "Malian army")
    start = datetime.date(2023, 1, 1)
    states = [drawn(f"s{n}", actors[(n // 10) % 2], str(start + datetime.timedelta(days=n)),
                    f"gn:report-{n}", {**outline}) for n in range(400)]
    began = time.perf_counter()
    out = close_states(states)
    assert time.perf_counter() - began < 5  # was a minute: every pair of copies intersected
    changes = [f["properties"]["closed_by"] for f in out[:20]]
    assert changes == ["s10"] * 10 + ["s20"] * 10
    assert out[-1]["properties"]["valid_to"] is None


def test_reports_at_one_point_are_no_zone_by_their_shape() -> None:
    spot = {"type": "Point", "coordinates": [1.41, 18.44]}
    out = close_states([drawn("a", "MNLA", "2012-03-30", "gn:a", spot),
                        drawn("b", "Malian army", "2013-01-01", "gn:b", dict(spot))])
    assert [f["properties"]["valid_to"] for f in out] == [None, None]
