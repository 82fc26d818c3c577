"""Query-parameter rules of the OGC API and JSON API, without a server."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.ogc.query import (
    Interval,
    RequestError,
    bbox_intersects,
    check_known,
    parse_bbox,
    parse_datetime,
    parse_format,
    parse_int,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("-5,10,5,20", (-5.0, 10.0, 5.0, 20.0)),
        ("-5,10,0,5,20,100", (-5.0, 10.0, 5.0, 20.0)),
        ("170,-10,-170,10", (170.0, -10.0, -170.0, 10.0)),  # crosses the antimeridian
    ],
)
def test_bbox_accepts(raw, expected):
    assert parse_bbox(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1,2,3", "4 or 6"),
        ("1,2,3,4,5", "4 or 6"),
        ("a,b,c,d", "only numbers"),
        ("nan,0,1,1", "finite"),
        ("-181,0,1,1", "longitudes"),
        ("0,-91,1,1", "latitudes"),
        ("0,20,1,10", "minimum latitude"),
        ("", "4 or 6"),
    ],
)
def test_bbox_rejects_with_reason(raw, message):
    with pytest.raises(RequestError, match=message) as caught:
        parse_bbox(raw)
    assert repr(raw) in str(caught.value)


@pytest.mark.parametrize(
    ("query", "feature", "hit"),
    [
        ((0, 0, 10, 10), (5, 5, 6, 6), True),
        ((0, 0, 10, 10), (11, 5, 12, 6), False),
        ((0, 0, 10, 10), (-1, -1, 0, 0), True),  # touching counts
        ((170, -10, -170, 10), (175, 0, 176, 1), True),
        ((170, -10, -170, 10), (-175, 0, -174, 1), True),
        ((170, -10, -170, 10), (0, 0, 1, 1), False),
    ],
)
def test_bbox_intersects(query, feature, hit):
    assert bbox_intersects(query, feature) is hit


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("2024-05-01", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-05-01T23:30:00Z", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-05-01T23:30:00-02:00", date(2024, 5, 2), date(2024, 5, 2)),  # UTC day
        ("2024-01-01T00:00:00Z/2024-12-31T00:00:00Z", date(2024, 1, 1), date(2024, 12, 31)),
        ("../2024-12-31", None, date(2024, 12, 31)),
        ("2024-01-01/..", date(2024, 1, 1), None),
        ("/2024-12-31", None, date(2024, 12, 31)),
        ("2024-01-01/", date(2024, 1, 1), None),
    ],
)
def test_datetime_accepts(raw, start, end):
    assert parse_datetime(raw) == Interval(start, end)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("yesterday", "RFC 3339"),
        ("2024-13-01", "RFC 3339"),
        ("../..", "at least one bound"),
        ("2024-05-02/2024-05-01", "end before it starts"),
        ("2024-05-01/soon", "RFC 3339"),
    ],
)
def test_datetime_rejects_with_reason(raw, message):
    with pytest.raises(RequestError, match=message):
        parse_datetime(raw)


def test_interval_contains_days_and_skips_undated():
    interval = Interval(date(2024, 1, 1), None)
    assert interval.contains(date(2024, 1, 1))
    assert not interval.contains(date(2023, 12, 31))
    assert not interval.contains(None)


@pytest.mark.parametrize(
    ("raw", "accept", "expected"),
    [
        (None, [], "json"),
        (None, [("*/*", 1)], "json"),
        (None, [("text/html", 1), ("*/*", 0.8)], "html"),
        (None, [("application/geo+json", 1), ("application/json", 0.9)], "json"),
        (None, [("text/html", 0.5), ("application/json", 1)], "json"),
        ("html", [("application/json", 1)], "html"),
        ("json", [("text/html", 1)], "json"),
    ],
)
def test_format_from_f_or_accept(raw, accept, expected):
    assert parse_format(raw, accept) == expected


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [("f", "xml", "'f' should be one of"), ("limit", "ten", "integer"), ("limit", "0", "between")],
)
def test_bad_values_name_the_argument(name, raw, message):
    with pytest.raises(RequestError, match=message):
        if name == "f":
            parse_format(raw, [])
        else:
            parse_int(name, raw, default=10, minimum=1, maximum=1000)


def test_unknown_parameter_is_named():
    with pytest.raises(RequestError, match="'colour'"):
        check_known({"colour": "red", "limit": "1"}, ("limit",))


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=7))
def test_bbox_never_fails_otherwise(values):
    raw = ",".join(repr(v) for v in values)
    try:
        box = parse_bbox(raw)
    except RequestError:
        return
    assert box is not None and len(box) == 4 and box[1] <= box[3]


@given(st.text(max_size=40))
def test_datetime_never_fails_otherwise(raw):
    with contextlib.suppress(RequestError):
        parse_datetime(raw)
