"""Accounts for the permission tests: one user per role, signed-in clients and API tokens."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.store import get_store

PASSWORD = "correct horse battery"
ROLE_OF = {"ada": "admin", "ed": "editor", "vi": "viewer"}


def add_people(app: Flask) -> None:
    """Add ada (admin), ed (editor) and vi (viewer), all with :data:`PASSWORD`."""
    with app.app_context():
        for name, role in ROLE_OF.items():
            get_store().add_user(name, PASSWORD, role)


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
