"""The map's timeline: its query options (``at``, ``from``, ``to``) and its labels.

The timeline filters in the browser (``static/kharita-timeline.js``) with the
rule of :mod:`geo.timeline`, so the page and embed are rendered once whatever
moment they open on: the options are read from the address by the script, and
checked here so that a malformed one is a 400 naming it, not a silently
ignored link. :class:`webapp.map_builder.Timeline` starts the widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from webapp.errors import RequestError
from webapp.i18n import N_

#: The UI labels the widget and popups use, by the key the script reads.
LABELS = {
    "play": N_("Play"), "pause": N_("Pause"), "as_of": N_("As of"),
    "all_dates": N_("All dates"), "timeline": N_("Timeline"), "reported": N_("Reported"),
    "valid_from": N_("Held since"), "valid_to": N_("Until"), "sources": N_("Sources"),
    "corroboration": N_("Independent sources"), "contested": N_("Contested: sources disagree"),
    "first_reported": N_("First reported"), "last_reported": N_("Last reported"),
    "why_confidence": N_("Confidence rises with each independent source"),
}


@dataclass(frozen=True, slots=True)
class TimeQuery:
    """A moment (``at``: the 30 days up to it) or a window (``start``..``end``), or neither."""

    at: date | None = None
    start: date | None = None
    end: date | None = None

    def args(self) -> dict[str, str]:
        """The query arguments that reproduce this choice (empty when none was made)."""
        if self.start and self.end:
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"at": self.at.isoformat()} if self.at else {}


def _day(name: str, raw: str | None) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise RequestError(f"{name}: expected a day YYYY-MM-DD, got {raw[:40]!r}") from None


def parse_time_query(args: Mapping[str, str]) -> TimeQuery:
    """Check ``at``, ``from`` and ``to`` (both or neither, ``from`` not after ``to``)."""
    at, start, end = _day("at", args.get("at")), _day("from", args.get("from")), _day(
        "to", args.get("to"))
    if (start is None) != (end is None):
        raise RequestError("from/to: give both days of the window, or use at=YYYY-MM-DD")
    if start and end and start > end:
        raise RequestError(f"from: {start} is after to: {end}; swap them")
    if at and start:
        raise RequestError("at: give either at=YYYY-MM-DD or from/to, not both")
    return TimeQuery(at=at, start=start, end=end)

