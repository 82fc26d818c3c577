"""Accounts in real Chromium: the first admin from the printed set-up link; sign in, make a
token, publish; hostile names stay text.

The app here has its own server: adding users closes an install, which the shared
``live_app`` of the other browser tests must not be.
"""

from __future__ import annotations

import logging
import re

import pytest

from tests.webapp.conftest import TEXT_EN, LiveServer, sample_result
from tests.webapp.people import PASSWORD, add_people
from webapp import create_app
from webapp.store import get_store

HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    """A served app with users and a draft whose title is hostile."""
    folder = tmp_path_factory.mktemp("accounts-browser")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}", "DEMO_MAP": False,
                      "PARSE_WORKERS": 0})
    add_people(app)
    mentions, layers = sample_result()
    with app.app_context():
        draft = get_store().add_document(text=TEXT_EN, title=HOSTILE, lang="en",
                                         mentions=mentions, layers=layers, public=False,
                                         map_title=HOSTILE)
    server = LiveServer(app)
    yield server, draft
    server.close()
    app.extensions["kharita.store"].close()


@pytest.fixture
def fresh_server(tmp_path, caplog):
    """A served install with no user, and the set-up path its start printed."""
    with caplog.at_level(logging.WARNING, logger="webapp.views.setup"):
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.db'}",
                          "DEMO_MAP": False, "PARSE_WORKERS": 0})
    printed = re.search(r"/setup\?token=[\w-]+", caplog.text)
    assert printed, caplog.text
    server = LiveServer(app)
    yield server, printed.group(0)
    server.close()
    app.extensions["kharita.store"].close()


def test_the_first_admin_comes_from_the_printed_link(page, fresh_server):
    server, link = fresh_server
    answer = page.goto(f"{server.url}/setup")
    assert answer.status == 403 and "console" in page.inner_text("main")
    assert page.locator("#password").count() == 0
    page.goto(f"{server.url}{link}")
    page.fill("#name", "root")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("#setup button[type=submit]")
    page.wait_for_url(f"{server.url}/admin/users")
    assert "root" in page.inner_text("main")
    assert page.goto(f"{server.url}{link}").status == 404  # the link died with the first user


def sign_in(page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/signin")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("#signin-password button[type=submit]")


def assert_no_script_ran(page) -> None:
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None and page.dialogs == []


def test_a_hostile_name_and_a_wrong_password_stay_text(page, closed):
    server, _draft = closed
    sign_in(page, server.url, HOSTILE, "wrong password")
    assert "Wrong name or password" in page.inner_text("[role=alert]")
    assert page.input_value("#name") == HOSTILE[:64]
    assert_no_script_ran(page)


def test_an_editor_makes_a_token_and_publishes_a_hostile_draft(page, closed, browser):
    server, draft = closed
    sign_in(page, server.url, "ed", PASSWORD)
    page.goto(f"{server.url}/account")
    page.fill("#label", HOSTILE)
    page.select_option("#scope", "write")
    page.click("form[action='/account/tokens'] button[type=submit]")
    assert page.inner_text("#new-token code").startswith("kh_")
    assert HOSTILE in page.inner_text("#tokens")
    page.goto(f"{server.url}/documents/{draft.id}")
    assert page.inner_text("h1") == HOSTILE
    assert "Draft" in page.inner_text("#publish-bar")
    page.click("#publish-bar button[type=submit]")
    page.wait_for_url(f"{server.url}/documents/{draft.id}")
    assert "Published" in page.inner_text("#publish-bar")
    assert_no_script_ran(page)
    anonymous = browser.new_context()
    try:
        embed = anonymous.new_page()
        assert embed.goto(f"{server.url}/embed/{draft.map_id}").status == 200
        assert embed.evaluate("window.__xss") is None
    finally:
        anonymous.close()
