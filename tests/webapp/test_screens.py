"""Screenshots of the main pages in real Chromium, desktop (1280 px) and phone (390 px), in
Arabic, French and English (saved under test-artifacts/, kept by CI), and no sideways
scrolling on the phone."""

from __future__ import annotations

import pytest

from tests.webapp.conftest import screenshot
from tests.webapp.test_browser import assert_local_only, wait_for_map
from webapp.ingest import Submission, ingest
from webapp.store import get_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def seed_record(live_app, seed_text):
    """The seed article stored through the real pipeline: its document and its map."""
    with live_app.app_context():
        return ingest(get_store(), Submission(text=seed_text, title="Seed"))


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_pages_fit_the_screen_in_every_language(browser, live_server, seed_record, lang,
                                                screen):
    context = browser.new_context(viewport=SCREENS[screen],
                                  is_mobile=screen == "phone", has_touch=screen == "phone")
    try:
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        pages = {"home": "/", "document": f"/documents/{seed_record.id}",
                 "map": f"/maps/{seed_record.map_id}"}
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}?lang={lang}")
            if name != "home":
                wait_for_map(page)
            assert page.evaluate("() => document.documentElement.lang") == lang
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= SCREENS[screen]["width"], f"{path} is {width} px wide ({lang})"
            shot = screenshot(page, f"{name}-{screen}-{lang}")
            assert shot.stat().st_size > 10_000
        assert_local_only(page)
    finally:
        context.close()
