"""The map's timeline: its labels.

The timeline filters in the browser (``static/kharita-timeline.js``) with the
rule of :mod:`geo.timeline`, so the page and embed are rendered once whatever
moment they open on: the options are read from the address by the script, and
checked by :class:`webapp.forms.TimeArgs` so that a malformed one is a 400 naming
it, not a silently ignored link. :class:`webapp.map_builder.Timeline` starts the widget.
"""

from __future__ import annotations

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
