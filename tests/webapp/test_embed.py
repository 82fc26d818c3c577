"""Embeds, embed options and oEmbed."""

from __future__ import annotations

import json

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.stored import TOKEN, token_app
from webapp.store import get_store


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["kharita.addLegend(", "gestureHandling", "fitBounds"]),
        ("legend=0", ["gestureHandling"]),
        ("zoom=6&center=17.5,-2.25", ['"zoom": 6', "[17.5, -2.25]"]),
        ("layers=control_zones", ["Control zones"]),
        ("lang=ar", ['lang="ar" dir="rtl"', "مناطق السيطرة"]),
        ("lang=fr", ['lang="fr" dir="ltr"', "Zones de contrôle"]),
    ],
)
def test_embed_options(client, stored, query, expected):
    response = client.get(f"/embed/{stored.map_id}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for needle in expected:  # labels reach the page as escaped JSON
        assert needle in html or json.dumps(needle)[1:-1] in html
    if "legend=0" in query:
        assert "kharita.addLegend(" not in html
    if "layers=control_zones" in query:
        assert html.count("L.featureGroup(") == 1
    if "zoom=" in query:
        assert "fitBounds" not in html


def test_embed_uses_gesture_handling_assets(client, stored):
    html = client.get(f"/embed/{stored.map_id}").get_data(as_text=True)
    assert "/assets/leaflet-gesturehandling/leaflet-gesture-handling.min.js" in html
    assert '"gestureHandling": true' in html


def test_oembed_rich_json(client, stored):
    url = f"http://localhost/maps/{stored.map_id}"
    response = client.get(f"/oembed?url={url}&maxwidth=500&maxheight=300")
    assert response.status_code == 200
    body = response.get_json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert body["width"] == 500 and body["height"] == 300
    assert f"/embed/{stored.map_id}" in body["html"] and "<iframe" in body["html"]
    assert body["title"] == "Stored map" and body["provider_name"] == "Kharita"


def test_oembed_accepts_embed_urls(client, stored):
    response = client.get(f"/oembed?url=http://localhost/embed/{stored.map_id}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query, status",
    [
        ("", 400),
        ("url=ftp://x/maps/m1", 400),
        ("url=http://localhost/maps/mnope", 404),
        ("url=http://localhost/documents/dx", 404),
        ("url=http://localhost/elsewhere", 404),
        ("url=http://localhost/maps/{map}&maxwidth=wide", 400),
        ("url=http://localhost/maps/{map}&maxheight=0", 400),
        ("url=http://localhost/maps/{map}&format=xml", 501),
    ],
)
def test_oembed_errors_are_json(client, stored, query, status):
    response = client.get("/oembed?" + query.replace("{map}", stored.map_id))
    assert response.status_code == status
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]


def test_discovery_links(client, stored):
    for url in (f"/maps/{stored.map_id}", f"/documents/{stored.id}", f"/embed/{stored.map_id}"):
        html = client.get(url).get_data(as_text=True)
        assert 'rel="alternate" type="application/json+oembed"' in html
        assert "/oembed?url=http" in html


def test_embed_snippet_is_responsive(client, stored):
    html = client.get(f"/maps/{stored.map_id}").get_data(as_text=True)
    assert "&lt;iframe src=&#34;http://localhost/embed/" in html
    assert "postMessage" not in html.split("embed-code")[0]  # the snippet listens, embed posts
    assert "kharita:resize" in html and "width:100%" in html


# --- rendered once per map version, options and language --------------------------------------
@pytest.fixture
def builds(monkeypatch):
    """Count the folium maps built (the slow part the render cache saves)."""
    import webapp.views.common as common

    calls = []
    real = common.build_map

    def counting(*args, **kwargs):
        calls.append(kwargs["options"].lang)
        return real(*args, **kwargs)

    monkeypatch.setattr(common, "build_map", counting)
    return calls


def test_embed_is_rendered_once_per_options_and_language(client, stored, builds):
    url = f"/embed/{stored.map_id}"
    first, second = client.get(url), client.get(url)
    assert len(builds) == 1 and first.data == second.data and first.get_etag() == second.get_etag()
    client.get(url + "?legend=0")
    client.get(url + "?legend=0", headers={"Accept-Language": "fr"})
    client.get(url, headers={"Accept-Language": "ar"})
    client.get(url + "?layers=mentions,control_zones&legend=1")
    client.get(url + "?layers=control_zones,mentions,mentions")  # normalised: the same options
    assert builds == ["en", "en", "fr", "ar", "en"]


def test_changed_map_gives_new_content(app, client, builds):
    from tests.webapp.conftest import TEXT_EN, sample_result
    from webapp.store import get_store

    mentions, layers = sample_result()
    with app.app_context():
        store = get_store()
        a, b = (store.add_document(text=TEXT_EN, title=t, lang="en", mentions=mentions,
                                   layers=layers) for t in "ab")
        both = store.create_map(title="Both", document_ids=[a.id, b.id])
    before = client.get(f"/embed/{both.id}")
    data_before = client.get(f"/maps/{both.id}.geojson").get_data(as_text=True)
    with app.app_context():
        get_store().delete_document(b.id)
    after = client.get(f"/embed/{both.id}")
    data_after = client.get(f"/maps/{both.id}.geojson").get_data(as_text=True)
    assert len(builds) == 2 and before.get_etag() != after.get_etag()
    assert b.id in data_before and b.id not in data_after and a.id in data_after


def test_embed_answers_cache_headers_and_304(client, stored):
    response = client.get(f"/embed/{stored.map_id}")
    # shared caches may keep it, but ask every time: unpublishing must take it down at once
    assert response.cache_control.public and response.cache_control.no_cache
    assert not response.cache_control.max_age
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    etag = response.get_etag()[0]
    again = client.get(f"/embed/{stored.map_id}", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304 and again.data == b""
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]


def test_private_map_embed_is_privately_cached(app, client, stored):
    from webapp.store import get_store

    with app.app_context():
        draft = get_store().create_map(title="Draft", document_ids=[stored.id], public=False)
    response = client.get(f"/embed/{draft.id}")
    assert response.cache_control.private and not response.cache_control.public


def test_bad_layers_are_refused_even_after_a_cached_render(client, stored, builds):
    assert client.get(f"/embed/{stored.map_id}").status_code == 200
    for _ in range(2):
        assert client.get(f"/embed/{stored.map_id}?layers=volcanoes").status_code == 400


def test_pages_render_their_map_once(client, stored, builds):
    for url in (f"/maps/{stored.map_id}", f"/documents/{stored.id}"):
        assert client.get(url).status_code == client.get(url).status_code == 200
    client.get(f"/maps/{stored.map_id}?layers=mentions")
    assert len(builds) == 3


def test_cache_is_bounded_and_can_be_turned_off(app, client, stored, builds):
    from webapp.render_cache import RenderCache, get_render_cache

    cache = RenderCache(2)
    for key in "abc":
        cache.fetch(key, lambda key=key: key.upper())
    assert len(cache) == 2 and cache.fetch("a", lambda: "new") == "new"
    with app.test_request_context():
        get_render_cache().max_entries = 0
    client.get(f"/embed/{stored.map_id}")
    client.get(f"/embed/{stored.map_id}")
    assert len(builds) == 2


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_embed_lang_sets_no_cookie(app, client, stored, public, lang):
    from webapp.store import get_store

    with app.app_context():
        record = get_store().create_map(title="Lang", document_ids=[stored.id], public=public)
    for headers in ({}, {"If-None-Match": "*"}):  # the 200 and its 304 alike
        response = client.get(f"/embed/{record.id}?lang={lang}", headers=headers)
        assert response.status_code in (200, 304)
        assert response.cache_control.public is public
        assert "Set-Cookie" not in response.headers


def test_page_lang_is_still_remembered(client, stored):
    response = client.get(f"/maps/{stored.map_id}?lang=fr")
    assert "kharita_lang=fr" in response.headers["Set-Cookie"]
    assert not response.cache_control.public


def test_the_embed_builder_answers_the_snippet_for_its_choices(client, stored):
    url = f"/maps/{stored.map_id}/embed-code.json"
    body = client.get(url, query_string={"lang": "ar", "legend": "0", "height": "600",
                                         "layers": "control_zones"}).get_json()
    assert body["ok"] and "lang=ar" in body["src"] and "legend=0" in body["src"]
    assert "layers=control_zones" in body["src"] and "height:600px" in body["code"]
    assert body["src"].replace("&", "&amp;") in body["code"]
    bad = client.get(url, query_string={"layers": "volcanoes"})
    assert bad.status_code == 400 and "volcanoes" in bad.get_json()["error"]
    assert client.get(url, query_string={"height": "-5"}).status_code == 400


def test_unpublishing_with_the_deployment_token_takes_a_cached_embed_down_at_once(tmp_path):
    app = token_app(tmp_path)  # no accounts: before, embeds kept a 300 s max-age here
    mentions, layers = sample_result()
    with app.app_context():
        doc = get_store().add_document(text=TEXT_EN, title="Open", lang="en", mentions=mentions,
                                       layers=layers, map_title="Open")
    client = app.test_client()
    shown = client.get(f"/embed/{doc.map_id}")
    assert shown.status_code == 200 and shown.cache_control.no_cache
    cached = {"If-None-Match": shown.headers["ETag"]}
    assert client.get(f"/embed/{doc.map_id}", headers=cached).status_code == 304
    assert client.post(f"/api/v1/maps/{doc.map_id}/unpublish",
                       headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get(f"/embed/{doc.map_id}", headers=cached).status_code == 404
