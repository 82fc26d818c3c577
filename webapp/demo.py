"""The demo Sahel map created on first run, so a newcomer sees a real map at once.

The text is written for the project (not taken from any article) and is
short on purpose: a few places, a control claim, a displacement, a meeting.
"""

from __future__ import annotations

from flask import Flask

from geo.errors import KharitaError
from webapp.ingest import Submission, ingest
from webapp.store import get_store

DEMO_TITLE = "Demo: a week in the central Sahel"
DEMO_TEXT = """\
Armed groups linked to al-Qaeda still hold large parts of northern Mali, around Kidal and \
Tessalit, according to local officials.
Hundreds of families fled the fighting near Ménaka and crossed into Niger, where aid workers \
counted new arrivals in Tillabéri.
Ministers from Mali, Niger and Burkina Faso met in Niamey on Tuesday to discuss joint patrols \
in the Liptako-Gourma area.
Further north, Algerian troops reinforced the border near Tamanrasset.
"""


def ensure_demo(app: Flask) -> None:
    """Create the demo document and map once, when the store is empty."""
    with app.app_context():
        store = get_store()
        if store.count_documents() or store.count_maps():
            return
        try:
            ingest(store, Submission(text=DEMO_TEXT, title=DEMO_TITLE, lang="en"))
        except (ImportError, KharitaError) as error:
            app.logger.warning("demo map not created: %s", error)
