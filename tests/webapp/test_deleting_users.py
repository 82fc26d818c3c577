"""Admins delete users (``kharita users delete``, the button on /admin/users): the account and
its tokens go, the revisions it saved keep its name as author."""

from __future__ import annotations

import re

import pytest

from tests.webapp.people import PASSWORD, add_people, bearer, make_token, signed_in
from tests.webapp.test_revisions import note_change
from webapp import create_app
from webapp.cli_users import users
from webapp.store import get_store


@pytest.fixture
def people(app):
    add_people(app)
    return app


def invoke(app, *args: str):
    return app.test_cli_runner().invoke(users, list(args))


def names(app) -> list[str]:
    with app.app_context():
        return [u.name for u in get_store().list_users()]


def test_a_deleted_user_is_gone_but_their_revisions_still_name_them(people, stored):
    token = make_token(people, "ed", "write")
    session = signed_in(people, "ed")
    saved = people.test_client().post(
        f"/api/v1/documents/{stored.id}/corrections", headers={**bearer(token),
                                                               "If-Match": '"rev-0"'},
        json={"changes": [note_change(stored.id, "seen by ed")]})
    assert saved.status_code == 200
    result = invoke(people, "delete", "ed")
    assert result.exit_code == 0 and "deleted ed" in result.output
    assert names(people) == ["ada", "vi"]
    assert session.get("/account").status_code == 302  # the session ended
    api = people.test_client().post("/api/v1/maps", headers=bearer(token),
                                    json={"title": "X", "document_ids": [stored.id]})
    assert api.status_code == 401  # the token went with the account
    revisions = signed_in(people, "vi").get(f"/api/v1/documents/{stored.id}/revisions").json
    assert [r["author"] for r in revisions["revisions"]] == ["ed", "kharita"]
    history = signed_in(people, "vi").get(f"/documents/{stored.id}/history")
    assert ">ed<" in history.get_data(as_text=True)


def test_the_command_line_refuses_unknown_names_and_the_last_admin(people):
    assert "no user 'nobody'" in invoke(people, "delete", "nobody").output
    refused = invoke(people, "delete", "ada")
    assert refused.exit_code != 0 and "last active admin" in refused.output
    assert "ada" in names(people)
    with people.app_context():
        get_store().add_user("amina", PASSWORD, "admin")
    assert invoke(people, "delete", "ada").exit_code == 0
    assert names(people) == ["amina", "ed", "vi"]


def test_an_admin_deletes_a_user_with_the_button_but_not_themselves(people):
    admin = signed_in(people, "ada")
    with people.app_context():
        ids = {u.name: u.id for u in get_store().list_users()}
    page = admin.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{ids["vi"]}/delete"' in page
    assert admin.post(f"/admin/users/{ids['vi']}/delete").status_code == 303
    assert names(people) == ["ada", "ed"]
    own = admin.post(f"/admin/users/{ids['ada']}/delete")
    assert own.status_code == 400 and "your own account" in own.get_data(as_text=True)
    assert admin.post(f"/admin/users/{ids['vi']}/delete").status_code == 404
    assert signed_in(people, "ed").post(f"/admin/users/{ids['ada']}/delete").status_code == 403
    assert names(people) == ["ada", "ed"]


def test_the_delete_button_needs_the_forms_csrf_token(tmp_path):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'csrf.db'}"})
    add_people(app)
    client = app.test_client()
    form = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post("/signin", data={"name": "ada", "password": PASSWORD,
                                        "csrf_token": token}).status_code == 303
    with app.app_context():
        vi = next(u.id for u in get_store().list_users() if u.name == "vi")
    refused = client.post(f"/admin/users/{vi}/delete")
    assert refused.status_code == 400 and "vi" in names(app)
    page = client.get("/admin/users").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/users/{vi}/delete", data={"csrf_token": token}).status_code \
        == 303
    assert names(app) == ["ada", "ed"]
