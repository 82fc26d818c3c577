"""The home page a first-time visitor sees: a live preview, examples in three languages,
a favicon and a real title."""

from __future__ import annotations

import re

import pytest

from geo.pipeline import map_text
from tests.webapp.conftest import sample_result
from tests.webapp.test_browser import wait_for_map
from webapp.demo import DEMO_TITLE
from webapp.store import get_store
from webapp.views.home import examples


@pytest.fixture
def demo(app) -> str:
    """A stored map with the demo's title (hand-made layers), beside a newer other map."""
    mentions, layers = sample_result()
    with app.app_context():
        store = get_store()
        record = store.add_document(text="x", title="d", lang="en", mentions=mentions,
                                    layers=layers, map_title=DEMO_TITLE)
        store.add_document(text="y", title="e", lang="en", mentions=mentions, layers=layers,
                           map_title="Another map")
    return record.map_id


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_home_previews_the_demo_map_and_offers_examples(client, demo, lang):
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'src="/embed/{demo}?lang={lang}"' in page
    assert sorted(re.findall(r'data-example-lang="(\w+)"', page)) == ["ar", "en", "fr"]
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1).strip()
    assert title.endswith("Kharita") and title != "Kharita · Kharita" and "·" in title
    assert 'rel="icon"' in page


def test_without_the_demo_the_newest_public_map_is_previewed(client, stored):
    assert f"/embed/{stored.map_id}?lang=" in client.get("/?lang=en").get_data(as_text=True)


def test_an_empty_site_has_no_preview(client):
    assert "home-preview" not in client.get("/").get_data(as_text=True)


def test_the_favicon_is_served(client):
    with client.get("/static/favicon.svg") as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert b"<svg" in response.get_data()


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_each_example_maps_events_in_its_language(lang):
    example = examples()[lang]
    mapped = map_text(example["text"])
    assert mapped.lang == lang
    events = [layer for layer, frame in mapped.layers.items() if layer != "mentions" and len(frame)]
    assert len(events) >= 2, events


@pytest.mark.browser
@pytest.mark.slow
def test_the_example_button_fills_the_form_and_the_preview_draws(page, live_app, live_server):
    mentions, layers = sample_result()
    with live_app.app_context():
        get_store().add_document(text="x", title="d", lang="en", mentions=mentions,
                                 layers=layers, map_title=DEMO_TITLE)
    page.goto(f"{live_server.url}/?lang=ar")
    page.click("[data-example-lang=fr]")
    assert page.input_value("#text") == examples()["fr"]["text"]
    assert page.input_value("#lang") == "fr" and page.input_value("#title").startswith("Exemple")
    frame = page.frame_locator("#home-preview")
    frame.locator(".leaflet-container").wait_for()
    wait_for_map(page.frame(url=re.compile(r"/embed/")))
