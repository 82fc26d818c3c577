"""API tokens through the JSON API: listed without their secret, made once, revoked."""

from __future__ import annotations

import pytest

from tests.webapp.people import add_people, bearer, make_token, signed_in
from webapp.store import get_store


@pytest.fixture
def people(app):
    add_people(app)
    return app


def test_a_signed_in_editor_makes_uses_and_revokes_a_token(people):
    editor = signed_in(people, "ed")
    made = editor.post("/api/v1/tokens", json={"scope": "write", "label": "newsroom bot"})
    assert made.status_code == 201 and made.headers["Location"].endswith("/api/v1/tokens")
    token = made.json["token"]
    assert token["secret"].startswith("kh_") and token["scope"] == "write"
    assert token["user"] == "ed" and token["label"] == "newsroom bot"
    listed = editor.get("/api/v1/tokens")
    assert [t["id"] for t in listed.json["tokens"]] == [token["id"]]
    assert token["secret"] not in listed.get_data(as_text=True)  # shown once only
    bot = people.test_client()
    assert bot.post("/api/v1/maps", json={}, headers=bearer(token["secret"])).status_code == 400
    revoked = editor.post(f"/api/v1/tokens/{token['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json == {"ok": True, "revoked": token["id"]}
    assert bot.post("/api/v1/maps", json={}, headers=bearer(token["secret"])).status_code == 401
    assert editor.get("/api/v1/tokens").json["tokens"] == []


def test_a_write_token_manages_its_users_tokens(people):
    write = bearer(make_token(people, "ed", "write"))
    client = people.test_client()
    made = client.post("/api/v1/tokens", json={"scope": "read"}, headers=write)
    assert made.status_code == 201 and made.json["token"]["label"] == ""
    read = bearer(made.json["token"]["secret"])
    assert len(client.get("/api/v1/tokens", headers=write).json["tokens"]) == 2
    for method, url, body in [("GET", "/api/v1/tokens", None),
                              ("POST", "/api/v1/tokens", {"scope": "write"}),
                              ("POST", f"/api/v1/tokens/{made.json['token']['id']}/revoke", None)]:
        refused = client.open(url, method=method, json=body, headers=read)
        assert refused.status_code == 403 and "read-scope" in refused.json["error"], url
    assert client.post(f"/api/v1/tokens/{made.json['token']['id']}/revoke",
                       headers=write).status_code == 200
    assert client.get("/api/v1/tokens", headers=read).status_code == 401


def test_a_viewer_makes_read_tokens_only(people):
    viewer = signed_in(people, "vi")
    refused = viewer.post("/api/v1/tokens", json={"scope": "write"})
    assert refused.status_code == 403 and "viewer" in refused.json["error"]
    assert viewer.post("/api/v1/tokens", json={"scope": "read"}).status_code == 201
    assert [t["scope"] for t in viewer.get("/api/v1/tokens").json["tokens"]] == ["read"]


def test_nobody_revokes_another_users_token(people):
    theirs = make_token(people, "ada", "write")
    with people.app_context():
        token_id = get_store().find_token(theirs).id
    editor = signed_in(people, "ed")
    assert editor.post(f"/api/v1/tokens/{token_id}/revoke").status_code == 404
    assert editor.post("/api/v1/tokens/99999999999999999999/revoke").status_code == 404
    assert people.test_client().get("/api/v1/tokens", headers=bearer(theirs)).status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"scope": "admin"}, "scope"),
    ({}, "scope"),
    ({"scope": "read", "label": "x" * 101}, "label"),
    ({"scope": "read", "owner": "ada"}, "owner"),
    ({"scope": 1}, "scope"),
])
def test_bad_bodies_say_which_field_and_make_nothing(people, body, field):
    editor = signed_in(people, "ed")
    sent = editor.post("/api/v1/tokens", json=body)
    assert sent.status_code == 400 and field in sent.json["error"]
    assert editor.get("/api/v1/tokens").json["tokens"] == []


def test_callers_without_a_user_cannot_manage_tokens(people):
    client = people.test_client()
    missing = client.get("/api/v1/tokens")
    assert missing.status_code == 401 and "Authorization" in missing.json["error"]
    assert client.get("/api/v1/tokens", headers=bearer("kh_unknown")).status_code == 401
    form = client.post("/api/v1/tokens", data={"scope": "read"})
    assert form.status_code == 401  # and nothing is made
    with people.app_context():
        assert all(get_store().list_tokens(user.id) == [] for user in get_store().list_users())
