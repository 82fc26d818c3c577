"""A map of many reports draws each place mentioned once per day (``?display=1``), so a
map its feeds fill stays light; the downloads keep every report's own feature."""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.test_browser import show_every_layer, wait_for_map


def store_reports(app, days: list[date]) -> str:
    """One map over a report (the same text) published on each of ``days``."""
    from webapp.store import get_store

    mentions, layers = sample_result()
    with app.app_context():
        store = get_store()
        ids = [store.add_document(text=f"{TEXT_EN}\n({n})", title=f"Report {n}", lang="en",
                                  mentions=mentions, layers=layers, published=day).id
               for n, day in enumerate(days)]
        return store.create_map(title="Fed", document_ids=ids).id


def mentions(client, path: str) -> list[dict]:
    data = client.get(path).get_json()
    return [f["properties"] for f in data["features"] if f["properties"]["layer"] == "mentions"]


def test_the_display_variant_draws_a_place_once_per_day(app, client):
    same, other = date(2026, 3, 1), date(2026, 3, 2)
    map_id = store_reports(app, [same, same, same, other])
    full = mentions(client, f"/maps/{map_id}.geojson")
    shown = mentions(client, f"/maps/{map_id}.geojson?display=1")
    per_report = len(full) // 4
    assert per_report >= 1 and len(full) == 4 * per_report  # the download keeps every one
    assert len(shown) == 2 * per_report  # one per place and day
    first_day = [p for p in shown if p["reported"] == same.isoformat()]
    assert {p["reports"] for p in first_day} == {3}
    assert all(p["count"] == 3 * (q.get("count") or 1)
               for p, q in zip(first_day, full[:per_report], strict=True))
    assert all("reports" not in p for p in shown if p["reported"] == other.isoformat())
    # the stored features are untouched by the display variant
    assert all("reports" not in p for p in mentions(client, f"/maps/{map_id}.geojson"))


@pytest.mark.browser
@pytest.mark.slow
def test_a_merged_place_says_how_many_reports_named_it(page, live_app, live_server):
    day = date(2026, 3, 1)
    map_id = store_reports(live_app, [day, day, day])
    page.goto(f"{live_server.url}/maps/{map_id}?lang=en")
    wait_for_map(page)
    show_every_layer(page)  # the places mentioned start hidden, loaded when shown
    text = page.evaluate("""() => {
      const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
      const place = map._kharitaFeatures.find(l => l.feature.properties.layer === 'mentions');
      window.kharita.openAt(map, [place], place.getLatLng ? place.getLatLng()
                                                          : place.getBounds().getCenter());
      return document.querySelector('.leaflet-popup-content').textContent;
    }""")
    assert "Reports that day3" in text, text
