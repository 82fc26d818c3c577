"""Routes answer with the right status, type and framing policy."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from tests.webapp.conftest import TEXT_EN

PAGE = "text/html; charset=utf-8"


def routes(doc_id: str, map_id: str) -> list[tuple[str, int, str]]:
    return [
        ("/", 200, PAGE),
        (f"/documents/{doc_id}", 200, PAGE),
        (f"/maps/{map_id}", 200, PAGE),
        (f"/maps/{map_id}?layers=control_zones", 200, PAGE),
        ("/maps/new", 200, PAGE),
        (f"/embed/{map_id}", 200, PAGE),
        (f"/maps/{map_id}.geojson", 200, "application/geo+json"),
        ("/assets/leaflet/leaflet.js", 200, "text/javascript; charset=utf-8"),
        ("/assets/leaflet/leaflet.css", 200, "text/css; charset=utf-8"),
        ("/static/kharita-map.js", 200, "text/javascript; charset=utf-8"),
        ("/documents/dnope", 404, PAGE),
        ("/maps/mnope", 404, PAGE),
        ("/embed/mnope", 404, PAGE),
        ("/maps/mnope.geojson", 404, "application/json"),
        (f"/maps/{map_id}.shp", 404, PAGE),
        ("/assets/nope/x.js", 404, PAGE),
        ("/assets/leaflet/nope.js", 404, PAGE),
        ("/basemap/nope.geojson", 404, "application/json"),
        ("/no/such/page", 404, PAGE),
    ]


def test_route_table(client, stored):
    for url, status, content_type in routes(stored.id, stored.map_id):
        response = client.get(url)
        response.close()  # file responses hold an open file until closed
        assert (url, response.status_code, response.content_type) == (url, status, content_type)


def test_json_error_body(client):
    body = client.get("/maps/mnope.geojson").get_json()
    assert body == {"ok": False, "error": "No map with id 'mnope'; check the link.", "status": 404}


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_ui_language_and_direction(client, stored, lang, direction):
    html = client.get(f"/documents/{stored.id}?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert 'class="doc-text" id="doc-text" dir="auto" lang="en"' in html


def test_language_is_remembered(client):
    client.get("/?lang=ar")
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)


def test_accept_language_picks_french(client):
    html = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert 'lang="fr"' in html and "Cartes récentes" in html


def test_document_page_shows_mentions_and_evidence(client, stored):
    html = client.get(f"/documents/{stored.id}").get_data(as_text=True)
    assert 'class="mention kind-toponym"' in html and 'data-lat="18.44"' in html
    assert 'data-layer="control_zones"' in html
    assert "mention unresolved" in html
    assert 'id="features-table"' in html and "Control zones" in html
    assert TEXT_EN[:40] in html
    for fmt in ("geojson", "gpkg", "kml", "csv"):
        assert f"/maps/{stored.map_id}.{fmt}" in html
    assert "application/json+oembed" in html and "kharita:resize" in html


def test_map_page_has_legend_layers_and_embed(client, stored):
    html = client.get(f"/maps/{stored.map_id}").get_data(as_text=True)
    assert "kharita.addLegend(" in html and "L.control.layers(" in html
    assert html.count("L.featureGroup(") == 2
    assert f"/embed/{stored.map_id}" in html and "data-copy" in html


def test_home_lists_recent_maps(client, stored):
    html = client.get("/").get_data(as_text=True)
    assert "Stored map" in html and f"/maps/{stored.map_id}" in html


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_pages_refuse_framing_embeds_allow_it(client, stored):
    page = client.get(f"/maps/{stored.map_id}")
    assert directives(page)["frame-ancestors"] == "'none'"
    assert page.headers["X-Frame-Options"] == "DENY"
    embed = client.get(f"/embed/{stored.map_id}")
    assert directives(embed)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in embed.headers


def test_frame_allow_list(app, client, stored):
    app.config["FRAME_ANCESTORS"] = "https://news.example https://cms.example"
    embed = client.get(f"/embed/{stored.map_id}")
    assert directives(embed)["frame-ancestors"] == (
        "'self' https://news.example https://cms.example"
    )


@pytest.mark.parametrize("path", ["/", "/maps/{map}", "/embed/{map}", "/documents/{doc}",
                                  "/api/v1/documents", "/ogc/collections?f=html", "/signin"])
def test_every_answer_has_a_strict_script_policy(client, stored, path):
    response = client.get(path.format(map=stored.map_id, doc=stored.id))
    found = directives(response)
    assert found["default-src"] == "'self'" and found["object-src"] == "'none'"
    assert found["base-uri"] == "'none'" and found["form-action"] == "'self'"
    script = found["script-src"].split()
    assert script[0] == "'self'"
    body = response.get_data(as_text=True)
    if script[1].startswith("'sha256-"):  # a page kept whole in the render cache (embeds)
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", body, re.S)
        digests = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                   + "'" for s in inline}
        assert inline and digests == set(script[1:])
        return
    assert script[1].startswith("'nonce-") and len(script) == 2
    if response.mimetype == "text/html":
        nonce = script[1][len("'nonce-"):-1]
        tags = re.findall(r"<script\b[^>]*>", body)
        assert all(f'nonce="{nonce}"' in tag or "src=" in tag for tag in tags), tags


def test_the_nonce_changes_per_request(client, stored):
    first, second = (directives(client.get(f"/maps/{stored.map_id}")) for _ in range(2))
    assert first["script-src"] != second["script-src"]


def test_online_tiles_are_allowed_images_only_when_configured(app, client, stored):
    assert directives(client.get("/"))["img-src"] == "'self' data:"
    app.config["TILES"] = "OpenStreetMap.Mapnik"
    assert "tile.openstreetmap.org" in directives(client.get("/"))["img-src"]


def test_combine_documents_into_map(client, stored):
    response = client.post("/maps", data={"title": "Combined", "documents": [stored.id],
                                          "layers": ["control_zones"]})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Combined" in html and html.count("L.featureGroup(") == 1


@pytest.mark.parametrize("path", ["/", "/signin", "/maps/new"])
def test_page_titles_name_the_page_once(client, path):
    html = client.get(path).get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.endswith(" · Kharita") and title.count("Kharita") == 1
    assert 'rel="icon"' in html


def test_basemap_labels_are_served_with_names_in_three_languages(client):
    labels = client.get("/basemap/labels.geojson").get_json()
    mali = next(f for f in labels["features"] if f["properties"]["en"] == "Mali")
    assert mali["properties"]["ar"] == "مالي" and mali["properties"]["rank"] == 0
    ranks = {f["properties"]["rank"] for f in labels["features"]}
    assert ranks == {0, 1, 2, 3, 4}
    # people order the names of one rank when only some fit (static/kharita-map.js)
    nigeria = next(f for f in labels["features"] if f["properties"]["en"] == "Nigeria")
    assert nigeria["properties"]["pop"] > 5 * mali["properties"]["pop"] > 0
