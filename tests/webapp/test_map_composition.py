"""The timeline, the filters and the layer switcher hide features together, in real Chromium.

Each of them may hide a feature; it is drawn (with its arrowheads, in the feature list and
in the filter count) only while none of them does.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp import test_timeline_browser as timeline
from tests.webapp.stored import collection
from tests.webapp.test_timeline_browser import DRAWN, event, slide_to, wait_for_timeline
from webapp.store import get_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
timed_map = timeline.timed_map  # the timeline tests' map: Kidal 2024
MAP = "window[document.querySelector('[data-map-name]').getAttribute('data-map-name')]"
LISTED = """() => [...document.querySelectorAll('.kh-list-item')]
  .filter(b => !b.closest('li').hidden).map(b => b.textContent).sort()"""
ARROWS = f"""() => {{
  const map = {MAP};
  return map._kharitaFeatures.flatMap(l => l._kharitaArrows).map(a => map.hasLayer(a));
}}"""


def flight(lon: float, lat: float, day: str) -> dict:
    """A displacement line towards the west, dated ``day``."""
    return {"type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon - 2, lat]]},
            "properties": {"layer": "displacement", "name": "Menaka–Niamey", "date": day,
                           "confidence": 0.8, "precision": 1, "evidence": [],
                           "trigger": "fled"}}


def count(page) -> str:
    return page.locator(".kh-count").text_content()


def test_a_feature_is_drawn_only_when_the_timeline_and_the_filters_allow_it(
        page, live_server, timed_map) -> None:
    page.goto(f"{live_server.url}/maps/{timed_map}?lang=en&at=2024-01-20")
    wait_for_timeline(page)
    assert page.evaluate(DRAWN) == ["Aguelhok|", "Kidal|MNLA"]
    page.click(".kh-finder summary")
    page.select_option(".kh-finder select[name=layer]", "attacks")
    assert page.evaluate(DRAWN) == ["Aguelhok|"]
    assert count(page).startswith("1 of ")
    assert page.evaluate(LISTED) == ["Aguelhok"]

    page.select_option(".kh-finder select[name=layer]", "")  # the timeline still hides Anefis
    assert page.evaluate(DRAWN) == ["Aguelhok|", "Kidal|MNLA"]
    assert count(page).startswith("2 of ")
    assert page.evaluate(LISTED) == ["Aguelhok", "Kidal"]

    page.select_option(".kh-finder select[name=layer]", "attacks")
    slide_to(page, "2024-03-01")  # the filter still hides the army's zone
    assert page.evaluate(DRAWN) == ["Anefis|"]
    assert count(page).startswith("1 of ")
    assert page.evaluate(LISTED) == ["Anefis"]
    page.fill(".kh-finder input[type=search]", "kidal")  # the search finds what is drawn
    assert page.locator(".kh-results button").count() == 0


def test_arrowheads_hide_with_their_line(page, live_app, live_server) -> None:
    with live_app.app_context():
        store = get_store()
        doc = store.add_document(
            text="flights", title="Flights", lang="en", mentions=[], published=date(2024, 3, 1),
            layers={"displacement": {"type": "FeatureCollection", "bbox": [0.4, 15.9, 2.4, 15.9],
                                     "features": [flight(2.4, 15.9, "2024-01-07")]},
                    "attacks": collection(event("Anefis", 0.93, 17.98, "2024-02-20"))})
        map_id = store.create_map(title="Flights", document_ids=[doc.id]).id
    page.goto(f"{live_server.url}/maps/{map_id}?lang=en")
    wait_for_timeline(page)
    assert page.evaluate(ARROWS) == [True]

    slide_to(page, "2024-03-01")  # the timeline hides the line
    assert page.evaluate(DRAWN) == ["Anefis|"]
    assert page.evaluate(ARROWS) == [False]
    page.click(".kh-timeline-all")
    assert page.evaluate(ARROWS) == [True]

    page.click(".kh-finder summary")
    page.select_option(".kh-finder select[name=layer]", "attacks")  # the filter hides it
    assert page.evaluate(ARROWS) == [False]
    page.select_option(".kh-finder select[name=layer]", "")
    assert page.evaluate(ARROWS) == [True]

    page.hover(".leaflet-control-layers")  # the switcher opens under the pointer
    switch = page.locator(".leaflet-control-layers-overlays label",
                          has_text="Displacement").locator("input")
    switch.uncheck()  # the layer switcher hides it
    assert page.evaluate(ARROWS) == [False]
    switch.check()
    assert page.evaluate(ARROWS) == [True]
