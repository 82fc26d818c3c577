"""Query parameters of the JSON API and OGC API - Features, parsed and checked.

Pure functions over the raw strings of a request, so every rule is testable
without a server. Each failure raises :class:`RequestError` naming the argument
and what was received; the blueprints map it to HTTP 400.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from webapp.errors import RequestError

BBox = tuple[float, float, float, float]

#: Media types answered as JSON, in the order the server prefers them.
JSON_TYPES = ("application/geo+json", "application/json")
HTML_TYPE = "text/html"
FORMATS = ("json", "html")
OPEN = ("", "..")


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of calendar days (UTC); ``None`` ends are open.

    Documents carry a publication *date*, so a datetime instant or bound is
    reduced to its UTC day: a document matches when its day intersects.
    """

    start: date | None
    end: date | None

    def contains(self, day: date | None) -> bool:
        """Return whether ``day`` (a publication date) falls inside."""
        if day is None:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def parse_int(name: str, raw: str | None, *, default: int, minimum: int, maximum: int) -> int:
    """Return ``raw`` as an integer in ``[minimum, maximum]`` or ``default`` when absent."""
    if raw is None:
        return default
    if not raw.strip().lstrip("+-").isdigit():  # int() also takes "1_000" and " 5 "
        raise RequestError(f"'{name}' should be an integer, got {raw!r}")
    try:
        value = int(raw)
    except ValueError:
        raise RequestError(f"'{name}' should be an integer, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise RequestError(f"'{name}' should be between {minimum} and {maximum}, got {value}")
    return value


def parse_bbox(raw: str | None) -> BBox | None:
    """Return ``minlon,minlat,maxlon,maxlat`` (4 or 6 numbers, heights dropped) or ``None``.

    ``minlon > maxlon`` is kept: it is a box crossing the antimeridian (OGC 17-069).
    """
    if raw is None:
        return None
    try:
        return read_bbox(raw)
    except ValueError as error:
        raise RequestError(f"'bbox' {error}") from None


def read_bbox(raw: str) -> BBox:
    """Return the box ``raw`` says (as :func:`parse_bbox`), or ValueError saying what is wrong.

    The message leaves the parameter's name out, for callers that name it their own way
    (the JSON API's query models).
    """
    parts = raw.split(",")
    if len(parts) not in (4, 6):
        raise ValueError(f"should be 4 or 6 comma-separated numbers "
                         f"(minlon,minlat,maxlon,maxlat), got {raw!r}")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"should contain only numbers, got {raw!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"should contain finite numbers, got {raw!r}")
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    minx, miny, maxx, maxy = values
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180):
        raise ValueError(f"longitudes should be within -180..180, got {raw!r}")
    if not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise ValueError(f"latitudes should be within -90..90, got {raw!r}")
    if miny > maxy:
        raise ValueError(f"minimum latitude should not exceed the maximum, got {raw!r}")
    return (minx, miny, maxx, maxy)


def bbox_intersects(query: BBox, feature: BBox) -> bool:
    """Return whether a query box (maybe crossing the antimeridian) meets a feature box."""
    minx, miny, maxx, maxy = query
    if feature[1] > maxy or feature[3] < miny:
        return False
    if minx <= maxx:
        return not (feature[0] > maxx or feature[2] < minx)
    # Crosses the antimeridian: two boxes, [minx, 180] and [-180, maxx].
    return feature[2] >= minx or feature[0] <= maxx


def parse_datetime(raw: str | None) -> Interval | None:
    """Return an :class:`Interval` for an RFC 3339 instant or ``start/end`` (``..`` open)."""
    if raw is None:
        return None
    if "/" not in raw:
        day = _parse_instant(raw, raw)
        return Interval(day, day)
    start_raw, _, end_raw = raw.partition("/")
    if start_raw in OPEN and end_raw in OPEN:
        raise RequestError(f"'datetime' interval should have at least one bound, got {raw!r}")
    start = None if start_raw in OPEN else _parse_instant(start_raw, raw)
    end = None if end_raw in OPEN else _parse_instant(end_raw, raw)
    if start and end and start > end:
        raise RequestError(f"'datetime' interval should not end before it starts, got {raw!r}")
    return Interval(start, end)


def _parse_instant(text: str, raw: str) -> date:
    """Return the UTC day of an RFC 3339 date or date-time."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise RequestError(
            f"'datetime' should be an RFC 3339 date-time such as 2024-05-01T00:00:00Z "
            f"or an interval start/end with '..' for an open end, got {raw!r}"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def parse_format(raw: str | None, accept: Iterable[tuple[str, float]]) -> str:
    """Return ``json`` or ``html`` from ``f`` or else the ``Accept`` header (JSON by default).

    ``accept`` is a sequence of ``(media type, quality)``, as werkzeug's ``MIMEAccept``.
    """
    if raw is not None:
        if raw not in FORMATS:
            raise RequestError(f"'f' should be one of {', '.join(FORMATS)}, got {raw!r}")
        return raw
    best: tuple[float, str] = (0.0, "json")
    for media, quality in accept:
        media = media.lower()
        if media == HTML_TYPE and quality > best[0]:
            best = (quality, "html")
        elif (media in JSON_TYPES or media == "*/*") and quality >= best[0]:
            best = (quality, "json")
    return best[1]


def check_known(args: Mapping[str, str], known: Iterable[str]) -> None:
    """Raise :class:`RequestError` for a query parameter the endpoint does not define."""
    allowed = set(known)
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise RequestError(
            f"unknown query parameter {unknown[0]!r}; this endpoint accepts "
            f"{', '.join(sorted(allowed))}"
        )
