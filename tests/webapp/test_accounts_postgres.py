"""Accounts, tokens, the limiter and publishing on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.people import PASSWORD, add_people, bearer, make_token, signed_in
from webapp import create_app
from webapp.store import get_store
from webapp.store.users import AccountError

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(postgres_url):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": postgres_url, "WTF_CSRF_ENABLED": False,
                      "LOGIN_ATTEMPTS": 2})
    assert app.extensions["kharita.store"].engine.dialect.name == "postgresql"
    add_people(app)
    yield app
    app.extensions["kharita.store"].close()


def test_accounts_tokens_and_publishing(app):
    mentions, layers = sample_result()
    with app.app_context():
        draft = get_store().add_document(text=TEXT_EN, title="Draft", lang="en",
                                         mentions=mentions, layers=layers, public=False,
                                         map_title="Draft")
    anonymous = app.test_client()
    assert anonymous.get(f"/maps/{draft.map_id}").status_code == 404
    assert signed_in(app, "vi").get(f"/maps/{draft.map_id}").status_code == 200
    token = make_token(app, "ed", "write")
    published = anonymous.post(f"/api/v1/maps/{draft.map_id}/publish", headers=bearer(token))
    assert published.status_code == 200
    assert anonymous.get(f"/embed/{draft.map_id}").status_code == 200
    for _ in range(2):
        anonymous.post("/signin", data={"name": "ed", "password": "guess"})
    limited = anonymous.post("/signin", data={"name": "ed", "password": PASSWORD})
    assert limited.status_code == 429
    nul = anonymous.post("/signin", data={"name": "e\x00d" + "x" * 300, "password": "guess"})
    assert nul.status_code == 403  # counted, not a 500 (PostgreSQL stores no NUL)
    with app.app_context(), pytest.raises(AccountError, match="already exists"):
        get_store().add_user("ed", PASSWORD, "editor")  # the unique name holds there too


def test_the_first_admin_is_made_once(postgres_url):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": postgres_url})
    try:
        with app.app_context():
            store = get_store()
            first = store.add_first_admin("root", PASSWORD)
            assert first is not None and first.role == "admin"
            assert store.add_first_admin("second", PASSWORD) is None
            assert [u.name for u in store.list_users()] == ["root"]
    finally:
        app.extensions["kharita.store"].close()
