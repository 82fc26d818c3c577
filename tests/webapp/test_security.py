"""Who may see and change what: private things, the token, sign-in and CSRF.

The route table below names a request for every route of the app; a route
added without an entry fails :func:`test_every_route_is_in_the_table`, so the
visibility walk always covers the whole app.
"""

from __future__ import annotations

import re

import pytest

from tests.webapp.stored import TOKEN, collection, first_feature_id, point, token_app
from webapp import create_app
from webapp.store import get_store

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRET = "Qzxsecretplace"  # a word that appears nowhere else in the app
SECRET_TITLE = "Qzxsecret draft title"
SECRET_TEXT = "Qzxsecret report text from Gao"


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path)


@pytest.fixture
def things(app) -> dict[str, str]:
    """A private document (with its own private map), a private map, and a public map that
    includes the private document beside a public one."""
    with app.app_context():
        store = get_store()
        hidden = store.add_document(
            text=SECRET_TEXT, title=SECRET_TITLE, lang="en", mentions=[], public=False,
            layers={"mentions": collection(point(SECRET, 12.0, 34.0))},
            map_title=SECRET_TITLE,
        )
        shown = store.add_document(
            text="Kidal", title="Open report", lang="en", mentions=[],
            layers={"mentions": collection(point("Kidal", 1.41, 18.44))},
        )
        draft = store.create_map(title=SECRET_TITLE, description=SECRET, public=False,
                                 document_ids=[hidden.id])
        mixed = store.create_map(title="Mixed", document_ids=[shown.id, hidden.id])
        hidden_item = first_feature_id(store, hidden.id)
    return {"doc": hidden.id, "own_map": hidden.map_id, "map": draft.id, "mixed": mixed.id,
            "public_doc": shown.id, "doc_item": hidden_item}


#: endpoint -> request paths (``{doc}``, ``{map}``... filled from :func:`things`), or a
#: reason it carries no stored content. Every route of the app must have an entry.
ROUTES: dict[str, list[str] | str] = {
    "home.index": ["/"],
    "maps.new": "owner only: redirects anonymous callers to /signin",
    "session.signin": ["/signin"],
    "session.create": "POST: sign-in form",
    "session.delete": "POST: sign-out",
    "documents.create": "POST: tested in test_writes_need_the_token",
    "maps.create": "POST: tested in test_writes_need_the_token",
    "api.create_document": "POST: tested in test_writes_need_the_token",
    "api.create_map": "POST: tested in test_writes_need_the_token",
    "api.parse": "POST: stores nothing",
    "documents.show": ["/documents/{doc}"],
    "jobs.show": "a job shows its status and links its document (visibility checked there)",
    "api.show_job": "a job shows its status and links its document (visibility checked there)",
    "documents.download": [f"/documents/{{doc}}.{fmt}" for fmt in ("geojson", "csv", "kml")],
    "maps.show": ["/maps/{map}", "/maps/{own_map}", "/maps/{mixed}"],
    "maps.download": ["/maps/{map}.geojson", "/maps/{own_map}.csv", "/maps/{mixed}.geojson",
                      "/maps/{mixed}.kml"],
    "maps.details": "a feature of a map (test_a_public_map_s_details_leave_out_its_private_"
                    "documents; tests/webapp/test_map_details.py)",
    "embeds.embed": ["/embed/{map}", "/embed/{own_map}", "/embed/{mixed}"],
    "embeds.code": ["/maps/{map}/embed-code.json", "/maps/{own_map}/embed-code.json?lang=ar"],
    "embeds.oembed": ["/oembed?url=http://localhost/maps/{map}",
                      "/oembed?url=http://localhost/embed/{own_map}"],
    "api.describe_api": ["/api/openapi.json"],
    "api.list_documents": ["/api/v1/documents"],
    "api.show_document": ["/api/v1/documents/{doc}"],
    "api.download_document_layers": ["/api/v1/documents/{doc}/layers.geojson"],
    "api.list_maps": ["/api/v1/maps"],
    "api.show_map": ["/api/v1/maps/{map}", "/api/v1/maps/{own_map}"],
    "api.list_map_documents": ["/api/v1/maps/{map}/documents",
                               "/api/v1/maps/{mixed}/documents?q=a&limit=5"],
    "api.download_map_layers": ["/api/v1/maps/{map}/layers.geojson",
                                "/api/v1/maps/{mixed}/layers.geojson"],
    "ogc.index": ["/ogc/"],
    "ogc.declare": ["/ogc/conformance"],
    "ogc.describe_api": ["/ogc/api"],
    "ogc.list_collections": ["/ogc/collections", "/ogc/collections?f=html"],
    "ogc.show_collection": ["/ogc/collections/mentions", "/ogc/collections/map-{map}-mentions",
                            "/ogc/collections/map-{mixed}-mentions"],
    "ogc.list_items": ["/ogc/collections/mentions/items?limit=1000",
                       "/ogc/collections/mentions/items?f=html&limit=1000",
                       "/ogc/collections/map-{map}-mentions/items",
                       "/ogc/collections/map-{mixed}-mentions/items"],
    "ogc.show_queryables": ["/ogc/collections/mentions/queryables",
                            "/ogc/collections/map-{map}-mentions/queryables"],
    "ogc.show_item": ["/ogc/collections/mentions/items/{doc_item}",
                      "/ogc/collections/map-{map}-mentions/items/{doc_item}"],
    "accounts.show": "a signed-in user's own page (tests/webapp/test_permissions.py)",
    "feeds.create": "POST: editors only (tests/webapp/test_permissions.py)",
    "api.list_feeds": "a map's feeds, tokens only (tests/webapp/test_permissions.py)",
    "api.follow_feed": "POST: editors only (tests/webapp/test_permissions.py)",
    "api.send_reports": "POST: editors only (tests/webapp/test_permissions.py)",
    "api.list_tokens": "the caller's own tokens (tests/webapp/test_permissions.py)",
    "api.create_token": "POST: tests/webapp/test_api_tokens.py",
    "api.revoke_token": "POST: tests/webapp/test_api_tokens.py",
    "setup.show": "loopback with the printed set-up token, before the first user "
                  "(tests/webapp/test_setup.py)",
    "setup.create": "POST: tests/webapp/test_setup.py",
    "accounts.create_token": "POST: tests/webapp/test_permissions.py",
    "accounts.revoke_token": "POST: tests/webapp/test_permissions.py",
    "accounts.change_password": "POST: tests/webapp/test_permissions.py",
    "admin.users": "admins only (tests/webapp/test_permissions.py)",
    "admin.create_user": "POST: tests/webapp/test_permissions.py",
    "admin.disable_user": "POST: tests/webapp/test_permissions.py",
    "admin.enable_user": "POST: tests/webapp/test_permissions.py",
    "admin.delete_user": "POST: tests/webapp/test_permissions.py",
    "publishing.publish_document": "POST: tests/webapp/test_permissions.py",
    "publishing.unpublish_document": "POST: tests/webapp/test_permissions.py",
    "publishing.publish_map": "POST: tests/webapp/test_permissions.py",
    "publishing.unpublish_map": "POST: tests/webapp/test_permissions.py",
    "api.publish_document": "POST: tests/webapp/test_permissions.py",
    "api.unpublish_document": "POST: tests/webapp/test_permissions.py",
    "api.publish_map": "POST: tests/webapp/test_permissions.py",
    "api.unpublish_map": "POST: tests/webapp/test_permissions.py",
    "corrections.history": ["/documents/{doc}/history"],
    "corrections.map_history": ["/maps/{map}/history", "/maps/{own_map}/history",
                                "/maps/{mixed}/history"],
    "corrections.revision": ["/documents/{doc}/revisions/0"],
    "corrections.revision_geojson": ["/documents/{doc}/revisions/0.geojson"],
    "corrections.search": ["/gazetteer/search?q=Kid"],
    "corrections.correct": "POST: editors only (test_corrections.py)",
    "corrections.restore": "POST: editors only (test_corrections.py)",
    "corrections_api.list_revisions": ["/api/v1/documents/{doc}/revisions"],
    "corrections_api.show_revision": ["/api/v1/documents/{doc}/revisions/0"],
    "corrections_api.readings": "a mention of a document (private ones: test_corrections.py)",
    "corrections_api.correct": "POST: editors only (test_corrections.py)",
    "corrections_api.restore": "POST: editors only (test_corrections.py)",
    "assets.show": "package files",
    "assets.palette": "the layer colours of the layers file",
    "basemap.show": "Natural Earth outlines",
    "static": "the project's CSS and JavaScript",
}
DIRECT = re.compile(r"\{(doc|doc_item|map|own_map)\}")  # requests that name a private thing itself


def test_every_route_is_in_the_table(app):
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(ROUTES))
    assert not missing, f"add these routes to ROUTES in {__file__}: {missing}"


def walk(client, things, headers=None):
    for endpoint, paths in ROUTES.items():
        if isinstance(paths, str):
            continue
        for template in paths:
            yield endpoint, template, client.get(template.format(**things), headers=headers)


def test_anonymous_callers_see_no_byte_of_private_things(client, things):
    for endpoint, template, response in walk(client, things):
        body = response.get_data()
        assert b"Qzxsecret" not in body, (endpoint, template)
        if DIRECT.search(template):  # the 404 may repeat the id asked for, nothing more
            assert response.status_code == 404, (template, response.status_code)
        else:
            assert response.status_code == 200, (template, response.status_code)
            for key in ("doc", "map", "own_map"):
                assert things[key].encode() not in body, (template, key)


def test_a_public_map_s_details_leave_out_its_private_documents(client, things):
    mixed = things["mixed"]
    shown = client.get(f"/maps/{mixed}.geojson").json["features"]
    every = client.get(f"/maps/{mixed}.geojson", headers=AUTH).json["features"]
    hidden = [f["id"] for f in every if f["properties"]["name"] == SECRET]
    assert shown and hidden
    for feature in shown:
        seen = client.get(f"/maps/{mixed}/details.json?feature={feature['id']}")
        assert seen.status_code == 200 and b"Qzxsecret" not in seen.get_data()
    for feature in hidden:
        assert client.get(f"/maps/{mixed}/details.json?feature={feature}").status_code == 404
        with_token = client.get(f"/maps/{mixed}/details.json?feature={feature}", headers=AUTH)
        assert with_token.status_code == 200


def test_the_token_sees_everything(client, things):
    seen = b""
    for _endpoint, template, response in walk(client, things, headers=AUTH):
        assert response.status_code == 200, (template, response.status_code, response.data[:200])
        seen += response.get_data()
    assert SECRET_TEXT.encode() in seen and SECRET.encode() in seen


def test_a_public_map_leaves_out_its_private_documents(client, things):
    names = {f["properties"]["name"]
             for f in client.get(f"/maps/{things['mixed']}.geojson").json["features"]}
    assert names == {"Kidal"}
    with_token = client.get(f"/maps/{things['mixed']}.geojson", headers=AUTH)
    assert {f["properties"]["name"] for f in with_token.json["features"]} == {"Kidal", SECRET}
    assert "private" in with_token.headers["Cache-Control"]


# --- writes ---------------------------------------------------------------------------------------
def counts(app) -> tuple[int, int]:
    with app.app_context():
        return get_store().count_documents(private=True), get_store().count_maps(private=True)


def test_writes_need_the_token(app, client, things):
    before = counts(app)
    form = client.post("/documents", data={"text": "Gao, Mali", "lang": "en"})
    assert form.status_code == 403 and "/signin" in form.get_data(as_text=True)
    made = client.post("/maps", data={"title": "X", "documents": [things["public_doc"]]})
    assert made.status_code == 403
    assert client.get("/maps/new").status_code == 302
    assert client.post("/api/v1/documents", json={"text": "Gao"}).status_code == 401
    assert client.post("/api/v1/maps", json={"title": "X", "document_ids": [
        things["public_doc"]]}).status_code == 401
    assert counts(app) == before
    assert client.post("/maps", data={"title": "X", "documents": [things["public_doc"]]},
                       headers=AUTH).status_code == 303


def test_signing_in_with_the_token_lets_the_forms_write(app, client, things):
    assert client.post("/signin", data={"token": "wrong"}).status_code == 403
    assert client.post("/maps", data={"title": "X", "documents": [things["public_doc"]]}
                       ).status_code == 403
    signed = client.post("/signin", data={"token": TOKEN, "next": "/maps/new"})
    assert signed.status_code == 303 and signed.headers["Location"] == "/maps/new"
    assert client.get("/maps/new").status_code == 200
    assert client.get(f"/maps/{things['map']}").status_code == 200  # private, now visible
    made = client.post("/maps", data={"title": "Made", "documents": [things["public_doc"]]})
    assert made.status_code == 303
    client.post("/signout")
    assert client.get(f"/maps/{things['map']}").status_code == 404


def test_a_changed_token_ends_the_sessions(tmp_path, things, client):
    client.post("/signin", data={"token": TOKEN})
    assert client.get(f"/maps/{things['map']}").status_code == 200
    client.application.config["API_TOKEN"] = "another-token"
    assert client.get(f"/maps/{things['map']}").status_code == 404


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil",
                                    "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, target):
    response = client.post("/signin", data={"token": TOKEN, "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


# --- CSRF --------------------------------------------------------------------------------------
@pytest.fixture
def csrf_app(tmp_path):
    """An open install (no token) with CSRF checks on, as in production."""
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'csrf.db'}"})
    yield app
    app.extensions["kharita.store"].close()


def form_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("path, data", [
    ("/documents", {"text": "Gao, Mali", "lang": "en"}),
    ("/maps", {"title": "Cross-site", "documents": ["dnope"]}),
    ("/signin", {"token": "x"}),
    ("/signout", {}),
])
def test_cross_site_form_posts_are_refused(csrf_app, path, data):
    client = csrf_app.test_client()
    response = client.post(path, data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert counts(csrf_app) == (0, 0)


def test_forms_carry_a_working_csrf_token(csrf_app):
    client = csrf_app.test_client()
    token = form_token(client, "/")
    response = client.post("/documents", data={"text": "Gao, Mali", "lang": "en",
                                               "csrf_token": token})
    assert response.status_code == 303
    assert 'name="csrf_token"' in client.get("/maps/new").get_data(as_text=True)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded",
                                          "multipart/form-data", "text/plain"])
def test_api_writes_take_json_only(csrf_app, content_type):
    """Without a token the API is open, so a cross-site page must not be able to post to it."""
    client = csrf_app.test_client()
    for path in ("/api/v1/documents", "/api/v1/maps", "/api/v1/geoparse"):
        response = client.post(path, data='{"text": "Gao"}', content_type=content_type)
        assert response.status_code == 415 and response.json["ok"] is False
    assert counts(csrf_app) == (0, 0)


# --- absolute URLs --------------------------------------------------------------------------------
EVIL = {"Host": "evil.example"}


@pytest.fixture
def based(tmp_path):
    app = token_app(tmp_path, BASE_URL="https://maps.news.example/kharita/")
    with app.app_context():
        store = get_store()
        doc = store.add_document(text="Kidal", title="Open", lang="en", mentions=[],
                                 layers={"mentions": collection(point("Kidal", 1.41, 18.44))},
                                 map_title="Open map")
    yield app, doc
    app.extensions["kharita.store"].close()


def test_absolute_urls_come_from_base_url_not_the_host_header(based):
    app, doc = based
    client = app.test_client()
    page = client.get(f"/maps/{doc.map_id}", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in page
    assert f"https://maps.news.example/kharita/embed/{doc.map_id}" in page
    api = client.get(f"/api/v1/documents/{doc.id}", headers=EVIL).json["document"]
    assert api["links"]["self"].startswith("https://maps.news.example/kharita/api/v1/")
    ogc = client.get("/ogc/collections", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in ogc and "https://maps.news.example/kharita/ogc" in ogc
    # the prefix is also accepted in paths (a proxy that does not strip it)
    assert client.get(f"/kharita/maps/{doc.map_id}").status_code == 200


@pytest.mark.parametrize("url, status", [
    ("https://maps.news.example/kharita/maps/{map}", 200),
    ("https://maps.news.example/kharita/embed/{map}", 200),
    ("https://evil.example/maps/{map}", 400),
    ("http://maps.news.example.evil.example/maps/{map}", 400),
])
def test_oembed_answers_only_for_its_own_maps(based, url, status):
    app, doc = based
    response = app.test_client().get("/oembed", query_string={"url": url.format(map=doc.map_id)},
                                     headers=EVIL)
    assert response.status_code == status, response.json
    if status == 200:
        assert "evil.example" not in response.get_data(as_text=True)


def test_without_base_url_oembed_refuses_other_hosts(client, things):
    ok = client.get(f"/oembed?url=http://localhost/maps/{things['mixed']}")
    other = client.get(f"/oembed?url=http://evil.example/maps/{things['mixed']}")
    assert ok.status_code == 200 and other.status_code == 400
    assert "not an address on this server" in other.json["error"]


def test_a_bad_base_url_fails_at_start(tmp_path):
    from webapp.settings import SettingError

    with pytest.raises(SettingError, match="BASE_URL"):
        token_app(tmp_path, BASE_URL="maps.example")
