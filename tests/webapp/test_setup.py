"""The one-time set-up page: the first admin, from loopback only, once."""

from __future__ import annotations

import re

import pytest

from webapp import create_app
from webapp.store import get_store

PASSWORD = "correct horse battery"
FORM = {"name": "root", "password": PASSWORD, "password2": PASSWORD}


@pytest.fixture
def fresh(tmp_path):
    """A fresh install with CSRF checks on, as ``make run`` starts it."""
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'setup.db'}"})
    yield app
    app.extensions["kharita.store"].close()


def from_address(address: str) -> dict[str, dict[str, str]]:
    return {"environ_base": {"REMOTE_ADDR": address}}


def form_with_token(client, address: str = "127.0.0.1") -> dict[str, str]:
    page = client.get("/setup", **from_address(address)).get_data(as_text=True)
    return {**FORM, "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}


def users(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(user.name, user.role) for user in get_store().list_users()]


def test_loopback_makes_the_first_admin_once(fresh):
    client = fresh.test_client()
    form = form_with_token(client)
    made = client.post("/setup", data=form, **from_address("127.0.0.1"))
    assert made.status_code == 303 and made.headers["Location"].endswith("/admin/users")
    assert users(fresh) == [("root", "admin")]
    assert client.get("/admin/users").status_code == 200  # signed in as the new admin
    again = {**form, "name": "second"}
    assert client.post("/setup", data=again, **from_address("127.0.0.1")).status_code == 404
    assert client.get("/setup", **from_address("127.0.0.1")).status_code == 404
    assert fresh.test_client().get("/documents/dnope").status_code == 404
    assert fresh.test_client().post("/documents", data={"text": "Gao"}).status_code == 400  # CSRF


@pytest.mark.parametrize("address", ["::1", "127.8.9.10"])
def test_every_loopback_address_may_set_up(fresh, address):
    client = fresh.test_client()
    made = client.post("/setup", data=form_with_token(client, address), **from_address(address))
    assert made.status_code == 303 and users(fresh) == [("root", "admin")]


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "2001:db8::1", "::ffff:1.2.3.4"])
def test_other_addresses_get_404(fresh, address):
    client = fresh.test_client()
    assert client.get("/setup", **from_address(address)).status_code == 404
    token_form = form_with_token(client)  # a valid CSRF token, so only the address decides
    assert client.post("/setup", data=token_form, **from_address(address)).status_code == 404
    assert users(fresh) == []


def test_after_a_user_exists_the_page_is_gone(fresh):
    with fresh.app_context():
        get_store().add_user("alice", PASSWORD, "editor")
    client = fresh.test_client()
    assert client.get("/setup").status_code == 404
    assert users(fresh) == [("alice", "editor")]


@pytest.mark.parametrize(("change", "reason"), [
    ({"password2": "another horse battery"}, "differ"),
    ({"password": "short", "password2": "short"}, "password"),
    ({"name": "bad name!"}, "name"),
])
def test_bad_input_says_why_and_makes_nobody(fresh, change, reason):
    client = fresh.test_client()
    sent = client.post("/setup", data={**form_with_token(client), **change})
    assert sent.status_code == 400 and reason in sent.get_data(as_text=True)
    assert users(fresh) == []


def test_a_cross_site_post_is_refused(fresh):
    sent = fresh.test_client().post("/setup", data=FORM, headers={"Origin": "https://evil.example"})
    assert sent.status_code == 400 and "CSRF" in sent.get_data(as_text=True)
    assert users(fresh) == []


def test_the_store_makes_a_first_admin_only_once(fresh):
    with fresh.app_context():
        store = get_store()
        assert store.add_first_admin("first", PASSWORD) is not None
        assert store.add_first_admin("second", PASSWORD) is None
    assert users(fresh) == [("first", "admin")]
