"""Embeds, embed options and oEmbed."""

from __future__ import annotations

import json

import pytest


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
