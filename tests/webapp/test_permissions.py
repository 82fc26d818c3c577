"""The permission matrix: every route of the app, for every kind of caller, answers as the
table says; and no form accepts a POST without its CSRF token.

:data:`TABLE` names, for every (endpoint, method) of ``app.url_map``, one or more requests
and the status each caller gets. A route added without an entry fails
:func:`test_every_route_and_method_is_in_the_table`. The callers:

* ``anonymous``: no session, no header; ``revoked``: a bearer token that was revoked
  (the caller holds no valid token);
* ``viewer``, ``editor``, ``admin``: signed in with name and password (session cookie);
* ``read``, ``write``: an editor's API tokens of those scopes (``Authorization: Bearer``);
* ``deployment``: the deployment's own ``API_TOKEN``.

Requests that would change something are sent so that passing the permission check shows
as a validation error (400) or a harmless change, never as lost data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.people import add_people, bearer, make_token
from tests.webapp.people import signed_in as sign_in
from tests.webapp.stored import first_feature_id
from webapp import create_app
from webapp.store import get_store

CALLERS = ("anonymous", "viewer", "editor", "admin", "read", "write", "revoked", "deployment")
DEPLOYMENT_TOKEN = "deployment-token-for-the-matrix"


def statuses(anonymous: int, viewer: int, editor: int, admin: int, read: int, write: int,
             revoked: int, deployment: int) -> dict[str, int]:
    return dict(zip(CALLERS, (anonymous, viewer, editor, admin, read, write, revoked,
                              deployment), strict=True))


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


PUBLIC = everyone(200)
#: A draft: signed-in users and valid tokens read it, the others get 404 (ids do not leak).
DRAFT = statuses(404, 200, 200, 200, 200, 200, 404, 200)
#: The editing pages: anonymous callers are sent to /signin, viewers and read tokens refused.
EDIT_PAGE = statuses(302, 403, 200, 200, 403, 200, 302, 200)
#: The account page needs a password session: a bearer token cannot manage tokens.
ACCOUNT_PAGE = statuses(302, 200, 200, 200, 403, 403, 302, 403)


#: User management: admins signed in with a password, and the deployment token.
USERS_PAGE = statuses(302, 403, 403, 200, 403, 403, 302, 200)


def admin_write(ok: int) -> dict[str, int]:
    """A change to users: password-session admins and the deployment token get ``ok``."""
    return statuses(403, 403, 403, ok, 403, 403, 403, ok)


def form_write(ok: int) -> dict[str, int]:
    """A page form that changes something: editors, admins and write tokens get ``ok``."""
    return statuses(403, 403, ok, ok, 403, ok, 403, ok)


def api_write(ok: int) -> dict[str, int]:
    """An API write: 401 without valid credentials, 403 for credentials without the right."""
    return statuses(401, 403, ok, ok, 403, ok, 401, ok)


def token_api(ok: int) -> dict[str, int]:
    """The caller's API tokens: users signed in with a password and their write tokens; a read
    token and the deployment token (no user) are refused."""
    return statuses(401, ok, ok, ok, 403, ok, 401, 403)


def account_write(ok: int) -> dict[str, int]:
    """A change to one's own account: password sessions only."""
    return statuses(403, ok, ok, ok, 403, 403, 403, 403)


Request = tuple[str, str, dict[str, Any] | None, dict[str, int]]  # method, path, body, statuses
#: endpoint -> its requests. ``{doc}``/``{map}``: a draft document and its own map;
#: ``{pub}``/``{pubmap}``: a published pair; ``{target}``/``{targetmap}``: what the publish
#: buttons act on.
TABLE: Mapping[str, list[Request]] = {
    "home.index": [("GET", "/", None, PUBLIC)],
    "session.signin": [("GET", "/signin", None, PUBLIC)],
    "session.create": [("POST", "/signin", {"name": "nobody", "password": "wrong password"},
                        everyone(403))],
    "session.delete": [("POST", "/signout", {}, everyone(303))],
    "accounts.show": [("GET", "/account", None, ACCOUNT_PAGE)],
    "accounts.create_token": [("POST", "/account/tokens", {"scope": "read"}, account_write(201))],
    "accounts.revoke_token": [("POST", "/account/tokens/999999/revoke", {}, account_write(404))],
    "accounts.change_password": [("POST", "/account/password", {}, account_write(400))],
    "setup.show": [("GET", "/setup", None, everyone(404))],  # users exist: the page is gone
    "setup.create": [("POST", "/setup", {"name": "eve", "password": "correct horse battery",
                                         "password2": "correct horse battery"}, everyone(404))],
    "admin.users": [("GET", "/admin/users", None, USERS_PAGE)],
    "admin.create_user": [("POST", "/admin/users", {"name": "", "role": "editor"},
                           admin_write(400))],
    "admin.disable_user": [("POST", "/admin/users/999999/disable", {}, admin_write(404))],
    "admin.enable_user": [("POST", "/admin/users/999999/enable", {}, admin_write(404))],
    "admin.delete_user": [("POST", "/admin/users/999999/delete", {}, admin_write(404))],
    "documents.create": [("POST", "/documents", {"text": "", "lang": "en"}, form_write(400))],
    "documents.show": [("GET", "/documents/{doc}", None, DRAFT),
                       ("GET", "/documents/{pub}", None, PUBLIC)],
    "documents.download": [("GET", "/documents/{doc}.geojson", None, DRAFT),
                           ("GET", "/documents/{pub}.csv", None, PUBLIC)],
    "jobs.show": [("GET", "/jobs/jnope", None, everyone(404))],
    "maps.new": [("GET", "/maps/new", None, EDIT_PAGE)],
    "maps.create": [("POST", "/maps", {"title": "", "documents": ["{pub}"]}, form_write(400))],
    "maps.show": [("GET", "/maps/{map}", None, DRAFT), ("GET", "/maps/{pubmap}", None, PUBLIC)],
    "maps.download": [("GET", "/maps/{map}.geojson", None, DRAFT),
                      ("GET", "/maps/{pubmap}.kml", None, PUBLIC)],
    "maps.details": [("GET", "/maps/{map}/details.json?feature={doc_item}", None, DRAFT)],
    "embeds.embed": [("GET", "/embed/{map}", None, DRAFT),
                     ("GET", "/embed/{pubmap}", None, PUBLIC)],
    "embeds.code": [("GET", "/maps/{map}/embed-code.json", None, DRAFT)],
    "embeds.oembed": [("GET", "/oembed?url=http://localhost/maps/{map}", None, DRAFT),
                      ("GET", "/oembed?url=http://localhost/embed/{pubmap}", None, PUBLIC)],
    "publishing.publish_document": [("POST", "/documents/{target}/publish", {}, form_write(303))],
    "publishing.unpublish_document": [("POST", "/documents/{target}/unpublish", {},
                                       form_write(303))],
    "publishing.publish_map": [("POST", "/maps/{targetmap}/publish", {}, form_write(303))],
    "publishing.unpublish_map": [("POST", "/maps/{targetmap}/unpublish", {}, form_write(303))],
    "api.describe_api": [("GET", "/api/openapi.json", None, PUBLIC)],
    "api.parse": [("POST", "/api/v1/geoparse", {"text": ""}, api_write(400))],
    "api.create_document": [("POST", "/api/v1/documents", {}, api_write(400))],
    "api.create_map": [("POST", "/api/v1/maps", {}, api_write(400))],
    "api.show_job": [("GET", "/api/v1/jobs/jnope", None, everyone(404))],
    "api.list_documents": [("GET", "/api/v1/documents", None, PUBLIC)],
    "api.show_document": [("GET", "/api/v1/documents/{doc}", None, DRAFT)],
    "api.download_document_layers": [("GET", "/api/v1/documents/{doc}/layers.geojson", None,
                                      DRAFT)],
    "api.list_maps": [("GET", "/api/v1/maps", None, PUBLIC)],
    "api.show_map": [("GET", "/api/v1/maps/{map}", None, DRAFT)],
    "api.download_map_layers": [("GET", "/api/v1/maps/{map}/layers.geojson", None, DRAFT)],
    "api.list_map_documents": [("GET", "/api/v1/maps/{map}/documents", None, DRAFT),
                               ("GET", "/api/v1/maps/{pubmap}/documents", None, PUBLIC)],
    "api.publish_document": [("POST", "/api/v1/documents/{target}/publish", {}, api_write(200))],
    "api.unpublish_document": [("POST", "/api/v1/documents/{target}/unpublish", {},
                                api_write(200))],
    "api.publish_map": [("POST", "/api/v1/maps/{targetmap}/publish", {}, api_write(200))],
    "api.unpublish_map": [("POST", "/api/v1/maps/{targetmap}/unpublish", {}, api_write(200))],
    "corrections.correct": [("POST", "/documents/{target}/corrections", {}, form_write(400))],
    "corrections.restore": [("POST", "/documents/{target}/revisions/0/restore", {},
                             form_write(400))],
    "corrections.history": [("GET", "/documents/{doc}/history", None, DRAFT)],
    "corrections.map_history": [("GET", "/maps/{map}/history", None, DRAFT)],
    "corrections.revision": [("GET", "/documents/{doc}/revisions/0", None, DRAFT)],
    "corrections.revision_geojson": [("GET", "/documents/{doc}/revisions/0.geojson", None,
                                      DRAFT)],
    "corrections.search": [("GET", "/gazetteer/search?q=Kid", None, PUBLIC)],
    "corrections_api.correct": [("POST", "/api/v1/documents/{target}/corrections", {},
                                 api_write(428))],
    "corrections_api.restore": [("POST", "/api/v1/documents/{target}/revisions/0/restore", {},
                                 api_write(428))],
    "corrections_api.list_revisions": [("GET", "/api/v1/documents/{doc}/revisions", None,
                                        DRAFT)],
    "corrections_api.show_revision": [("GET", "/api/v1/documents/{doc}/revisions/0", None,
                                       DRAFT)],
    "corrections_api.readings": [("GET", "/api/v1/documents/{doc}/mentions/0/readings", None,
                                  DRAFT)],
    "api.list_tokens": [("GET", "/api/v1/tokens", None, token_api(200))],
    "api.create_token": [("POST", "/api/v1/tokens", {"scope": "admin"}, token_api(400))],
    "api.revoke_token": [("POST", "/api/v1/tokens/999999/revoke", {}, token_api(404))],
    "feeds.create": [("POST", "/maps/{targetmap}/feeds", {"url": ""}, form_write(400))],
    "api.list_feeds": [("GET", "/api/v1/maps/{map}/feeds", None, api_write(200))],
    "api.follow_feed": [("POST", "/api/v1/maps/{targetmap}/feeds", {}, api_write(400))],
    "api.send_reports": [("POST", "/api/v1/maps/{targetmap}/reports", {}, api_write(400))],
    "ogc.index": [("GET", "/ogc/", None, PUBLIC)],
    "ogc.declare": [("GET", "/ogc/conformance", None, PUBLIC)],
    "ogc.describe_api": [("GET", "/ogc/api", None, PUBLIC)],
    "ogc.list_collections": [("GET", "/ogc/collections", None, PUBLIC)],
    "ogc.show_collection": [("GET", "/ogc/collections/map-{map}-mentions", None, DRAFT)],
    "ogc.list_items": [("GET", "/ogc/collections/map-{map}-mentions/items", None, DRAFT)],
    "ogc.show_queryables": [("GET", "/ogc/collections/map-{map}-mentions/queryables", None,
                             DRAFT)],
    "ogc.show_item": [("GET", "/ogc/collections/mentions/items/{doc_item}", None, DRAFT)],
    "assets.show": [("GET", "/assets/leaflet/leaflet.js", None, PUBLIC)],
    "assets.palette": [("GET", "/assets/palette.css", None, PUBLIC)],
    "basemap.show": [("GET", "/basemap/countries.geojson", None, PUBLIC)],
    "static": [("GET", "/static/kharita.css", None, PUBLIC)],
}
ROWS = [(endpoint, *request) for endpoint, requests in TABLE.items() for request in requests]


def _add(store, title: str, public: bool):
    mentions, layers = sample_result()
    return store.add_document(text=TEXT_EN, title=title, lang="en", mentions=mentions,
                              layers=layers, public=public, map_title=title)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app with a user per role, a draft, a published pair, publish targets, and the
    credentials of every caller (session cookies, token headers)."""
    folder = tmp_path_factory.mktemp("permissions")
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "WTF_CSRF_ENABLED": False, "API_TOKEN": DEPLOYMENT_TOKEN,
                      "LOGIN_ATTEMPTS": 10_000,
                      "DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}"})
    add_people(app)
    with app.app_context():
        store = get_store()
        draft, pub, target = (_add(store, "Draft", False), _add(store, "Published", True),
                              _add(store, "Target", False))
        revoked = make_token(app, "ed", "read")
        store.revoke_token(store.find_token(revoked).user.id, store.find_token(revoked).id)
        draft_item = first_feature_id(store, draft.id)
    ids = {"doc": draft.id, "map": draft.map_id, "pub": pub.id, "pubmap": pub.map_id,
           "target": target.id, "targetmap": target.map_id, "doc_item": draft_item}
    cookies = {role: sign_in(app, name).get_cookie("session").value
               for role, name in (("viewer", "vi"), ("editor", "ed"), ("admin", "ada"))}
    headers = {"read": bearer(make_token(app, "ed", "read")),
               "write": bearer(make_token(app, "ed", "write")),
               "revoked": bearer(revoked), "deployment": bearer(DEPLOYMENT_TOKEN)}
    yield app, ids, cookies, headers
    app.extensions["kharita.store"].close()


def send(world, caller: str, method: str, path: str,
         body: dict[str, Any] | None) -> tuple[int, bytes]:
    """Send one request as ``caller`` from a fresh client (so signing out affects no other);
    return its status and body."""
    app, ids, cookies, headers = world
    client = app.test_client()
    if caller in cookies:
        client.set_cookie("session", cookies[caller])
    url = path.format(**ids)
    options: dict[str, Any] = {"headers": headers.get(caller, {})}
    if method == "POST" and url.startswith("/api/"):
        options["json"] = body
    elif method == "POST":
        options["data"] = {k: [v.format(**ids) for v in val] if isinstance(val, list)
                           else val for k, val in (body or {}).items()}
    with client.open(url, method=method, **options) as response:
        return response.status_code, response.get_data()


def test_every_route_and_method_is_in_the_table(world):
    app = world[0]
    routed = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    tabled = {(endpoint, method) for endpoint, method, *_ in ROWS}
    assert not routed - tabled, f"add these to TABLE in {__file__}: {sorted(routed - tabled)}"
    assert not tabled - routed, f"TABLE names routes that no longer exist: {tabled - routed}"


@pytest.mark.parametrize(("endpoint", "method", "path", "body", "expected"), ROWS,
                         ids=[f"{r[0]}:{r[2]}" for r in ROWS])
def test_the_matrix(world, endpoint, method, path, body, expected):
    got = {caller: send(world, caller, method, path, body)[0] for caller in CALLERS}
    assert got == expected, f"{method} {path}: {got}"


def test_drafts_leak_nothing_to_anonymous_callers(world):
    ids = world[1]
    for _endpoint, method, path, body, expected in ROWS:
        if method == "GET" and expected == DRAFT:
            assert b"Draft" not in send(world, "anonymous", method, path, body)[1], path
    listed = send(world, "anonymous", "GET", "/api/v1/documents", None)[1]
    assert ids["doc"].encode() not in listed and ids["pub"].encode() in listed


# --- CSRF --------------------------------------------------------------------------------------
@pytest.fixture
def guarded(tmp_path):
    """An app with accounts and CSRF checks on (as in production), and a signed-in editor."""
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'csrf.db'}"})
    add_people(app)
    with app.app_context():
        target = _add(get_store(), "Target", False)
    client = app.test_client()
    token = csrf_token(client, "/signin")
    signed = client.post("/signin", data={"name": "ed", "password": "correct horse battery",
                                          "csrf_token": token})
    assert signed.status_code == 303
    yield app, client, {"target": target.id, "targetmap": target.map_id, "pub": target.id}
    app.extensions["kharita.store"].close()


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


FORM_POSTS = [(endpoint, path, body) for endpoint, method, path, body, _ in ROWS
              if method == "POST" and not path.startswith("/api/")]  # the API takes JSON only


def test_every_form_post_is_in_the_csrf_walk(guarded):
    app = guarded[0]
    posts = {rule.endpoint for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and not rule.rule.startswith("/api/")}
    assert {e for e, _path, _body in FORM_POSTS} == posts


@pytest.mark.parametrize(("endpoint", "path", "body"), FORM_POSTS, ids=[r[0] for r in FORM_POSTS])
def test_a_form_post_without_its_csrf_token_is_refused(guarded, endpoint, path, body):
    app, client, ids = guarded
    data = {k: [v.format(**ids) for v in val] if isinstance(val, list) else val
            for k, val in (body or {}).items()}
    response = client.post(path.format(**ids), data=data,
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    with app.app_context():
        assert not get_store().get_document(ids["target"], private=True).public
        assert get_store().list_tokens(1) == []
    assert client.get("/account").status_code == 200  # still signed in: nothing was done


def test_the_same_post_with_its_token_goes_through(guarded):
    app, client, ids = guarded
    token = csrf_token(client, f"/documents/{ids['target']}")
    response = client.post(f"/documents/{ids['target']}/publish", data={"csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert get_store().get_document(ids["target"], private=True).public
