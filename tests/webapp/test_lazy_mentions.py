"""Map pages and embeds load the events first and the places mentioned (hidden under
them) only when they are shown: on a map its feeds fill they are most of the data.
A map of places mentioned alone draws them at once; the downloads keep every layer."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.test_browser import DRAWN, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAP = "window[document.querySelector('[data-map-name]').getAttribute('data-map-name')]"
MENTIONS_BOX = ".leaflet-control-layers-overlays label:has-text('Places mentioned') input"
LOADED = "() => document.querySelector('[data-mentions]').dataset.mentions === 'loaded'"


def store_map(app, *, events: bool = True) -> str:
    """A map over the sample report: its event layer and places mentioned, or these alone."""
    from webapp.store import get_store

    mentions, layers = sample_result()
    if not events:
        layers = {"mentions": layers["mentions"]}
    with app.app_context():
        return get_store().add_document(text=TEXT_EN, title="Lazy report", lang="en",
                                        mentions=mentions, layers=layers,
                                        map_title="Lazy map").map_id


def watch_data(page) -> list[list[str] | None]:
    """Record the layers each display-data request of the page asks for (None: all); the
    map page's embed preview (a frame of its own) is left out."""
    asked: list[list[str] | None] = []

    def seen(request) -> None:
        query = parse_qs(urlsplit(request.url).query)
        if query.get("display") == ["1"] and request.frame == page.main_frame:
            asked.append(query["layers"][0].split(",") if "layers" in query else None)

    page.on("request", seen)
    return asked


@pytest.mark.parametrize("path", ["/maps/{id}?lang=en", "/embed/{id}?lang=en"])
def test_places_mentioned_load_when_turned_on(page, live_app, live_server, path):
    map_id = store_map(live_app)
    asked = watch_data(page)
    page.goto(live_server.url + path.format(id=map_id))
    wait_for_map(page)
    assert asked == [["control_zones"]], asked  # the first request leaves them out
    drawn = page.evaluate(DRAWN)
    assert drawn["shown"] == {"control_zones": 1} and "mentions" not in drawn["layers"], drawn
    assert page.get_attribute("[data-mentions]", "data-mentions") == "later"

    page.locator(".leaflet-control-layers").hover()
    page.locator(MENTIONS_BOX).check()
    page.wait_for_function(LOADED)
    assert asked == [["control_zones"], ["mentions"]], asked
    drawn = page.evaluate(DRAWN)
    assert drawn["shown"] == {"control_zones": 1, "mentions": 1}, drawn
    assert drawn["layers"] == {"control_zones": 1, "mentions": 1}, drawn
    # turned off and on again: drawn once, fetched once
    page.locator(MENTIONS_BOX).uncheck()
    page.locator(MENTIONS_BOX).check()
    assert page.evaluate(DRAWN)["shown"] == {"control_zones": 1, "mentions": 1}
    assert len(asked) == 2, asked


def test_a_map_of_places_mentioned_draws_them_at_once(page, live_app, live_server):
    map_id = store_map(live_app, events=False)
    asked = watch_data(page)
    page.goto(f"{live_server.url}/maps/{map_id}?lang=en")
    wait_for_map(page)
    assert asked == [None], asked
    assert page.evaluate(DRAWN)["shown"] == {"mentions": 1}


def test_the_search_finds_places_mentioned_before_they_are_shown(page, live_app, live_server):
    map_id = store_map(live_app)
    page.goto(f"{live_server.url}/maps/{map_id}?lang=en")
    wait_for_map(page)
    page.click(".kh-finder summary")
    page.fill(".kh-finder input[type=search]", "Kidal")
    page.wait_for_function(LOADED)
    hits = page.locator("#kh-finder-results button").all_text_contents()
    assert any(hit.startswith("Kidal · Places mentioned") for hit in hits), hits
    # the finder's layer filter now offers them too
    assert page.locator(".kh-finder select[name=layer] option[value=mentions]").count() == 1


def test_a_shared_link_filtering_places_mentioned_loads_them_with_the_rest(
        page, live_app, live_server):
    map_id = store_map(live_app)
    asked = watch_data(page)
    page.goto(f"{live_server.url}/maps/{map_id}?lang=en#layer=mentions")
    wait_for_map(page)
    assert sorted(asked, key=str) == [["control_zones"], ["mentions"]], asked
    assert page.get_attribute("[data-mentions]", "data-mentions") == "loaded"
    assert page.locator(".kh-finder select[name=layer]").input_value() == "mentions"
    assert page.evaluate(DRAWN)["layers"] == {"control_zones": 1, "mentions": 1}
