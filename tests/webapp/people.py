"""Accounts for the permission tests: one user per role, signed-in clients and API tokens."""

from __future__ import annotations

from functools import cache

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from webapp.store import get_store
from webapp.store.records import _now
from webapp.store.users import UserRow

PASSWORD = "correct horse battery"
ROLE_OF = {"ada": "admin", "ed": "editor", "vi": "viewer"}


@cache
def password_hash() -> str:
    """The scrypt hash of :data:`PASSWORD`, made once per test run (each takes ~0.1 s)."""
    return generate_password_hash(PASSWORD, method="scrypt")


def add_people(app: Flask) -> None:
    """Add ada (admin), ed (editor) and vi (viewer), all with :data:`PASSWORD`.

    The rows get one shared real hash (``store.add_user`` has its own tests through
    ``kharita users add`` and the admin page).
    """
    with app.app_context(), get_store().session.begin() as session:
        session.add_all([UserRow(name=name, role=role, password_hash=password_hash(),
                                 active=True, created=_now()) for name, role in ROLE_OF.items()])


def signed_in(app: Flask, name: str, password: str = PASSWORD) -> FlaskClient:
    """A test client signed in as ``name`` through the real sign-in form."""
    client = app.test_client()
    response = client.post("/signin", data={"name": name, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client


def make_token(app: Flask, name: str, scope: str) -> str:
    """A new API token of user ``name`` with ``scope``."""
    with app.app_context():
        store = get_store()
        user = next(u for u in store.list_users() if u.name == name)
        return store.add_token(user.id, scope, f"{scope} token")[0]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of ``token``."""
    return {"Authorization": f"Bearer {token}"}
