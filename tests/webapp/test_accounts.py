"""Accounts: the `kharita users` commands, signing in and out, the limiter, API tokens."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text as sql_text

from tests.webapp.people import PASSWORD, add_people, bearer, make_token, signed_in
from webapp.cli_users import users
from webapp.store import get_store

HOSTILE = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def people(app):
    add_people(app)
    return app


def invoke(app, *args: str, password: str | None = None):
    return app.test_cli_runner().invoke(users, list(args), input=password)


# --- the command line ----------------------------------------------------------------------------
def test_the_first_admin_comes_from_the_command_line_and_closes_the_install(app, client):
    assert client.get("/maps/new").status_code == 200  # open install: everyone is the owner
    result = invoke(app, "add", "amina", "--role", "admin", password=PASSWORD + "\n")
    assert result.exit_code == 0 and "added amina (admin)" in result.output
    assert client.get("/maps/new").status_code == 302  # now anonymous callers must sign in
    signed = signed_in(app, "amina")
    assert signed.get("/maps/new").status_code == 200
    listed = invoke(app, "list")
    assert listed.exit_code == 0 and re.search(r"^amina\tadmin\t", listed.output, re.M)


@pytest.mark.parametrize("args, password, message", [
    (("add", "x<script>", "--role", "editor"), PASSWORD, "name: use 1 to 64"),
    (("add", "bob", "--role", "editor"), "short", "password: use 8"),
    (("add", "bob", "--role", "root"), PASSWORD, "Invalid value for '--role'"),
    (("disable", "nobody"), None, "no user 'nobody'"),
    (("token", "nobody"), None, "no active user 'nobody'"),
])
def test_bad_commands_say_what_is_wrong_and_change_nothing(app, args, password, message):
    result = invoke(app, *args, password=None if password is None else password + "\n")
    assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert get_store().count_users() == 0


def test_a_name_is_taken_once(people):
    result = invoke(people, "add", "ed", password=PASSWORD + "\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_a_token_from_the_command_line_writes(people, client, stored):
    result = invoke(people, "token", "ed", "--scope", "write")
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("kh_")
    made = client.post("/api/v1/maps", json={"title": "CLI", "document_ids": [stored.id]},
                       headers=bearer(token))
    assert made.status_code == 201
    refused = invoke(people, "token", "vi", "--scope", "write")
    assert refused.exit_code != 0 and "viewer" in refused.output


def test_passwords_and_tokens_are_stored_hashed(people):
    token = make_token(people, "ed", "write")
    with people.app_context(), get_store().engine.connect() as connection:
        dump = " ".join(str(row) for table in ("users", "api_tokens")
                        for row in connection.execute(sql_text(f"SELECT * FROM {table}")))
    assert PASSWORD not in dump and token not in dump and "scrypt:" in dump


# --- signing in ----------------------------------------------------------------------------------
def test_sign_in_and_out(people):
    client = signed_in(people, "ed")
    page = client.get("/account").get_data(as_text=True)
    assert "ed" in page and "editor" in page
    client.post("/signout")
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("lang, message", [
    ("en", "Wrong name or password"),
    ("fr", "Nom ou mot de passe incorrect"),
    ("ar", "الاسم أو كلمة المرور غير صحيحة"),
])
def test_a_wrong_password_gets_a_clear_message(people, lang, message):
    response = people.test_client().post(f"/signin?lang={lang}",
                                         data={"name": "ed", "password": "wrong password"})
    assert response.status_code == 403 and message in response.get_data(as_text=True)


def test_the_limiter_stops_guessing_for_that_name_only(people):
    people.config["LOGIN_ATTEMPTS"] = 3
    client = people.test_client()
    for _ in range(3):
        assert client.post("/signin", data={"name": "ed", "password": "guess"}).status_code == 403
    blocked = client.post("/signin", data={"name": "ed", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in blocked.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # the right password did not sign in
    assert client.post("/signin", data={"name": "vi", "password": PASSWORD}).status_code == 303


def test_a_success_clears_the_count(people):
    people.config["LOGIN_ATTEMPTS"] = 2
    client = people.test_client()
    client.post("/signin", data={"name": "ed", "password": "guess"})
    signed_in(people, "ed")
    client.post("/signin", data={"name": "ed", "password": "guess"})
    assert client.post("/signin", data={"name": "ed", "password": PASSWORD}).status_code == 303


def test_a_disabled_user_loses_sessions_sign_in_and_tokens(people, stored):
    token = make_token(people, "ed", "write")
    client = signed_in(people, "ed")
    assert invoke(people, "disable", "ed").exit_code == 0
    assert client.get("/account").status_code == 302  # the session ended
    response = people.test_client().post("/signin", data={"name": "ed", "password": PASSWORD})
    assert response.status_code == 403 and "disabled" in response.get_data(as_text=True)
    api = people.test_client().post("/api/v1/maps", json={"title": "X",
                                                          "document_ids": [stored.id]},
                                    headers=bearer(token))
    assert api.status_code == 401 and "disabled" in api.json["error"]
    assert re.search(r"^ed\teditor\t.*disabled$", invoke(people, "list").output, re.M)


def test_hostile_names_are_refused_or_escaped(people):
    response = people.test_client().post("/signin", data={"name": HOSTILE, "password": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and HOSTILE not in page
    assert "&lt;img src=x onerror=" in page  # shown back, as text
    with people.app_context(), pytest.raises(ValueError, match="name: use"):
        get_store().add_user(HOSTILE, PASSWORD, "editor")


# --- API tokens on the account page -------------------------------------------------------------
def test_a_token_is_shown_once_and_works_until_revoked(people, stored):
    client = signed_in(people, "ed")
    made = client.post("/account/tokens", data={"scope": "write", "label": HOSTILE})
    page = made.get_data(as_text=True)
    token = re.search(r"<code dir=\"ltr\">(kh_[\w-]+)</code>", page).group(1)
    assert made.status_code == 201 and HOSTILE not in page and "&lt;img" in page
    assert token not in client.get("/account").get_data(as_text=True)  # shown once
    anonymous = people.test_client()
    body = {"title": "With a token", "document_ids": [stored.id]}
    assert anonymous.post("/api/v1/maps", json=body, headers=bearer(token)).status_code == 201
    token_id = re.search(r"/account/tokens/(\d+)/revoke", page).group(1)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 303
    assert anonymous.post("/api/v1/maps", json=body, headers=bearer(token)).status_code == 401


def test_read_tokens_read_drafts_but_do_not_write(people, stored):
    with people.app_context():
        get_store().set_document_public(stored.id, False)
    token = make_token(people, "ed", "read")
    anonymous = people.test_client()
    assert anonymous.get(f"/api/v1/documents/{stored.id}").status_code == 404
    assert anonymous.get(f"/api/v1/documents/{stored.id}", headers=bearer(token)).status_code == 200
    write = anonymous.post("/api/v1/maps", json={"title": "X", "document_ids": [stored.id]},
                           headers=bearer(token))
    assert write.status_code == 403 and "viewer" in write.json["error"]


def test_viewers_make_read_tokens_only_and_tokens_cannot_make_tokens(people):
    client = signed_in(people, "vi")
    refused = client.post("/account/tokens", data={"scope": "write"})
    assert refused.status_code == 400 and "scope" in refused.get_data(as_text=True)
    token = make_token(people, "ada", "write")
    minted = people.test_client().post("/account/tokens", data={"scope": "write"},
                                       headers=bearer(token))
    assert minted.status_code == 403


@pytest.mark.parametrize("scope", ["", "admin", HOSTILE])
def test_a_scope_that_is_no_scope_is_told_on_the_page(people, scope):
    client = signed_in(people, "ed")
    refused = client.post("/account/tokens", data={"scope": scope, "label": "ci"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and HOSTILE not in page
    assert "scope: expected one of read, write, got" in page
    with people.app_context():
        store = get_store()
        assert all(store.list_tokens(user.id) == [] for user in store.list_users())


def test_nobody_revokes_another_users_token(people):
    make_token(people, "ed", "write")
    with people.app_context():
        ed = next(u for u in get_store().list_users() if u.name == "ed")
        token_id = get_store().list_tokens(ed.id)[0].id
    assert signed_in(people, "vi").post(f"/account/tokens/{token_id}/revoke").status_code == 404
    with people.app_context():
        assert len(get_store().list_tokens(ed.id)) == 1


def test_the_deployment_token_keeps_full_rights_beside_accounts(people, stored):
    people.config["API_TOKEN"] = "deployment-token"
    response = people.test_client().post("/api/v1/maps", json={"title": "Deployment",
                                                               "document_ids": [stored.id]},
                                         headers=bearer("deployment-token"))
    assert response.status_code == 201


# --- user management page (admins) ---------------------------------------------------------------
def test_an_admin_adds_disables_and_enables_users_on_the_page(people):
    admin = signed_in(people, "ada")
    added = admin.post("/admin/users", data={"name": "nour", "role": "viewer",
                                             "password": PASSWORD})
    assert added.status_code == 303
    nour = signed_in(people, "nour")
    assert "viewer" in nour.get("/account").get_data(as_text=True)
    with people.app_context():
        nour_id = next(u.id for u in get_store().list_users() if u.name == "nour")
    assert f"/admin/users/{nour_id}/disable" in admin.get("/admin/users").get_data(as_text=True)
    assert admin.post(f"/admin/users/{nour_id}/disable").status_code == 303
    assert nour.get("/account").status_code == 302  # the session ended
    assert admin.post(f"/admin/users/{nour_id}/enable").status_code == 303
    signed_in(people, "nour")


@pytest.mark.parametrize("data, message", [
    ({"name": HOSTILE, "role": "editor", "password": PASSWORD}, "name: use 1 to 64"),
    ({"name": "sami", "role": "root", "password": PASSWORD}, "role: expected one of"),
    ({"name": "sami", "role": "editor", "password": "short"}, "password: use 8"),
    ({"name": "ed", "role": "editor", "password": PASSWORD}, "already exists"),
    ({"name": "sami", "password": PASSWORD}, "role: expected one of admin, editor, viewer, "
                                             "got &#39;&#39;"),
    ({"name": "sami", "role": HOSTILE, "password": PASSWORD}, "role: expected one of"),
])
def test_the_add_form_refuses_bad_input_clearly(people, data, message):
    response = signed_in(people, "ada").post("/admin/users", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and HOSTILE not in page
    if data["name"] == "sami":  # what was typed is shown again, to correct
        assert 'value="sami"' in page
    with people.app_context():
        assert get_store().count_users() == 3


def test_an_admin_cannot_disable_themselves(people):
    admin = signed_in(people, "ada")
    with people.app_context():
        own = next(u.id for u in get_store().list_users() if u.name == "ada")
    response = admin.post(f"/admin/users/{own}/disable")
    assert response.status_code == 400 and "your own account" in response.get_data(as_text=True)


def test_an_open_install_points_to_the_command_line_for_the_first_admin(app, client):
    page = client.get("/admin/users").get_data(as_text=True)
    assert "kharita users add NAME --role admin" in page and 'id="add-user"' not in page
    refused = client.post("/admin/users", data={"name": "me", "role": "admin",
                                                "password": PASSWORD})
    assert refused.status_code == 403 and "kharita users add" in refused.get_data(as_text=True)
    with app.app_context():
        assert get_store().count_users() == 0


@pytest.mark.parametrize("path", ["/account/tokens/{n}/revoke", "/admin/users/{n}/disable",
                                  "/admin/users/{n}/enable"])
def test_ids_beyond_the_database_integers_are_a_404_not_a_500(people, path):
    response = signed_in(people, "ada").post(path.format(n=10**30))
    assert response.status_code == 404


# --- passwords -----------------------------------------------------------------------------------
NEW_PASSWORD = "a new and longer secret"


def test_changing_the_password_ends_the_other_sessions_only(people):
    here, elsewhere = signed_in(people, "ed"), signed_in(people, "ed")
    changed = here.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD})
    assert changed.status_code == 200 and "Password changed" in changed.get_data(as_text=True)
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    old = people.test_client().post("/signin", data={"name": "ed", "password": PASSWORD})
    assert old.status_code == 403
    signed_in(people, "ed", NEW_PASSWORD)


@pytest.mark.parametrize("data, status, message", [
    ({"current": "wrong password", "new": NEW_PASSWORD}, 403, "current password is wrong"),
    ({"current": PASSWORD, "new": "short"}, 400, "password: use 8"),
])
def test_a_bad_password_change_changes_nothing(people, data, status, message):
    client = signed_in(people, "ed")
    response = client.post("/account/password", data=data)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200
    signed_in(people, "ed")


def test_the_command_line_sets_a_password_and_ends_sessions(people):
    client = signed_in(people, "vi")
    result = invoke(people, "password", "vi", password=NEW_PASSWORD + "\n")
    assert result.exit_code == 0 and "new password for vi" in result.output
    assert client.get("/account").status_code == 302
    signed_in(people, "vi", NEW_PASSWORD)
    assert invoke(people, "password", "nobody", password=NEW_PASSWORD + "\n").exit_code != 0
