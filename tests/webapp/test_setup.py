"""The one-time set-up page: the first admin, from loopback, with the printed link, once."""

from __future__ import annotations

import logging
import re

import pytest

from webapp import create_app
from webapp.store import get_store
from webapp.views.setup import issue_token, setup_url

PASSWORD = "correct horse battery"
FORM = {"name": "root", "password": PASSWORD, "password2": PASSWORD}
LINK = re.compile(r"/setup\?token=([\w-]+)")


def start(tmp_path, caplog, **options) -> tuple:
    """Start an app on ``tmp_path``'s database, as a server does; return it and the link's token.

    The token is read from the line the start logged, as a person reads it on the console.
    """
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="webapp.views.setup"):
        app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                          "DATABASE_URL": f"sqlite:///{tmp_path / 'setup.db'}"}, **options)
    printed = LINK.findall(caplog.text)
    return app, (printed[0] if printed else None)


@pytest.fixture
def fresh(tmp_path, caplog):
    """A fresh install with CSRF checks on, as ``make run`` starts it, and its printed token."""
    app, token = start(tmp_path, caplog)
    yield app, token
    app.extensions["kharita.store"].close()


def from_address(address: str) -> dict[str, dict[str, str]]:
    return {"environ_base": {"REMOTE_ADDR": address}}


def form_for(client, token: str, address: str = "127.0.0.1") -> dict[str, str]:
    """The set-up form as the printed link shows it: CSRF token and set-up token included."""
    page = client.get(f"/setup?token={token}", **from_address(address)).get_data(as_text=True)
    hidden = dict(re.findall(r'name="(csrf_token|token)" value="([^"]+)"', page))
    return {**FORM, **hidden}


def users(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(user.name, user.role) for user in get_store().list_users()]


def test_the_printed_link_makes_the_first_admin_once(fresh):
    app, token = fresh
    assert token is not None and len(token) >= 40
    client = app.test_client()
    form = form_for(client, token)
    assert form["token"] == token and form["csrf_token"]
    made = client.post("/setup", data=form, **from_address("127.0.0.1"))
    assert made.status_code == 303 and made.headers["Location"].endswith("/admin/users")
    assert users(app) == [("root", "admin")]
    assert client.get("/admin/users").status_code == 200  # signed in as the new admin
    again = {**form, "name": "second"}
    assert client.post("/setup", data=again, **from_address("127.0.0.1")).status_code == 404
    assert client.get(f"/setup?token={token}", **from_address("127.0.0.1")).status_code == 404
    assert app.test_client().get("/documents/dnope").status_code == 404
    assert app.test_client().post("/documents", data={"text": "Gao"}).status_code == 400  # CSRF


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", "?token=%00%ff<script>"])
def test_without_the_token_the_page_says_where_the_link_is(fresh, query):
    app, token = fresh
    answer = app.test_client().get(f"/setup{query}", **from_address("127.0.0.1"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 403 and "console" in page and "kharita users add" in page
    assert token not in page and 'name="password"' not in page and "<script>" not in page


@pytest.mark.parametrize("given", [None, "", "wrong", "a-token-of-another-install-0123456789"])
def test_a_post_without_the_token_makes_nobody(fresh, given):
    app, token = fresh
    client = app.test_client()
    form = form_for(client, token)  # a valid CSRF token, so only the set-up token decides
    if given is None:
        del form["token"]
    else:
        form["token"] = given
    answer = client.post("/setup", data=form, **from_address("127.0.0.1"))
    assert answer.status_code == 403 and "console" in answer.get_data(as_text=True)
    assert users(app) == []


def test_every_worker_of_one_install_accepts_every_printed_link(tmp_path, caplog):
    first, first_token = start(tmp_path, caplog)  # two workers on one database
    second, second_token = start(tmp_path, caplog)
    assert first_token and second_token and first_token != second_token
    for app in (first, second):
        for token in (first_token, second_token):
            answer = app.test_client().get(f"/setup?token={token}", **from_address("127.0.0.1"))
            assert answer.status_code == 200 and 'name="password"' in answer.get_data(as_text=True)
    client = second.test_client()
    made = client.post("/setup", data=form_for(client, first_token), **from_address("127.0.0.1"))
    assert made.status_code == 303 and users(first) == [("root", "admin")]
    other = first.test_client().get(f"/setup?token={second_token}", **from_address("127.0.0.1"))
    assert other.status_code == 404
    with first.app_context():  # the first admin took every set-up token with it
        assert not get_store().check_setup_token(first_token)
        assert not get_store().check_setup_token(second_token)
    for app in (first, second):
        app.extensions["kharita.store"].close()


def test_a_single_process_restart_replaces_the_earlier_links(tmp_path, caplog):
    app, printed = start(tmp_path, caplog)
    first = issue_token(app, replace=True)  # as `kharita serve` starts
    restarted = issue_token(app, replace=True)  # ... and starts again
    client = app.test_client()
    for token, status in ((printed, 403), (first, 403), (restarted, 200)):
        assert client.get(f"/setup?token={token}", **from_address("127.0.0.1")).status_code \
            == status
    app.extensions["kharita.store"].close()


def test_a_start_after_the_first_user_prints_no_link(tmp_path, caplog):
    app, token = start(tmp_path, caplog)
    with app.app_context():
        get_store().add_user("alice", PASSWORD, "admin")  # as `kharita users add` does
    answer = app.test_client().get(f"/setup?token={token}", **from_address("127.0.0.1"))
    assert answer.status_code == 404
    restarted, again = start(tmp_path, caplog)
    assert again is None and "/setup" not in caplog.text
    with restarted.app_context():
        assert get_store().issue_setup_token() is None
    for started in (app, restarted):
        started.extensions["kharita.store"].close()


def test_only_a_serving_start_issues_a_link(tmp_path, caplog):
    for options in ({"serving": False}, {"startup": False}):
        app, token = start(tmp_path, caplog, **options)  # the feed worker, `kharita users`
        assert token is None and caplog.text == ""
        app.extensions["kharita.store"].close()


@pytest.mark.parametrize("address", ["::1", "127.8.9.10"])
def test_every_loopback_address_may_set_up(fresh, address):
    app, token = fresh
    client = app.test_client()
    made = client.post("/setup", data=form_for(client, token, address), **from_address(address))
    assert made.status_code == 303 and users(app) == [("root", "admin")]


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "2001:db8::1", "::ffff:1.2.3.4"])
def test_other_addresses_get_404_even_with_the_token(fresh, address):
    app, token = fresh
    client = app.test_client()
    assert client.get(f"/setup?token={token}", **from_address(address)).status_code == 404
    assert client.get("/setup", **from_address(address)).status_code == 404
    form = form_for(client, token)  # valid CSRF and set-up tokens, so only the address decides
    assert client.post("/setup", data=form, **from_address(address)).status_code == 404
    assert users(app) == []


@pytest.mark.parametrize(("change", "reason"), [
    ({"password2": "another horse battery"}, "differ"),
    ({"password": "short", "password2": "short"}, "password"),
    ({"name": "bad name!"}, "name"),
])
def test_bad_input_says_why_and_makes_nobody(fresh, change, reason):
    app, token = fresh
    client = app.test_client()
    sent = client.post("/setup", data={**form_for(client, token), **change})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 400 and reason in page
    assert f'name="token" value="{token}"' in page  # the form can be sent again as it is
    assert users(app) == []


def test_a_cross_site_post_is_refused(fresh):
    app, token = fresh
    sent = app.test_client().post("/setup", data={**FORM, "token": token},
                                  headers={"Origin": "https://evil.example"})
    assert sent.status_code == 400 and "CSRF" in sent.get_data(as_text=True)
    assert users(app) == []


def test_the_store_makes_a_first_admin_only_once(fresh):
    app, _ = fresh
    with app.app_context():
        store = get_store()
        assert store.add_first_admin("first", PASSWORD) is not None
        assert store.add_first_admin("second", PASSWORD) is None
    assert users(app) == [("first", "admin")]


@pytest.mark.parametrize(("host", "link"), [
    ("127.0.0.1", "http://127.0.0.1:5000/setup?token=T"),
    ("0.0.0.0", "http://127.0.0.1:5000/setup?token=T"),
    ("::1", "http://[::1]:5000/setup?token=T"),
    ("::", "http://127.0.0.1:5000/setup?token=T"),
    ("192.0.2.7", "http://127.0.0.1:5000/setup?token=T"),
])
def test_the_served_link_points_at_loopback(host, link):
    assert setup_url(host, 5000, "T") == link
