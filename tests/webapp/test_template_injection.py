"""Report text is data, never template source: template syntax comes back as literal text.

Every payload goes into a report's text and title and a map's title and
description through the real pipeline, then through every page, download and
API answer. An evaluated payload would print ``qxevaluated``; the server's PID would appear if
``lipsum.__globals__`` were reachable; ``{% if %}`` would answer 500 for good.
"""

from __future__ import annotations

import json
import os
import zipfile
from io import BytesIO

import pytest
from markupsafe import escape

from webapp.ingest import Submission, ingest
from webapp.store import get_store

PAYLOADS = [
    "{{ 'qx' ~ 'evaluated' }}",
    "{% if %}",
    "{{ lipsum.__globals__.os.getpid() }}",
    "{# 'qx' ~ 'evaluated'",
    "${'qx' + 'evaluated'}",
    "<%= 'qx' + 'evaluated' %>",
    "{%- raw %}{{ 'qx' ~ 'evaluated' }}",
    "{% for x in 'ab' %}q{% endfor %}xevaluated",
    "</script><script>window.__x=1</script>",
]
#: what an evaluated payload prints (random hex ids make numbers a poor witness)
EVALUATED = ("qxevaluated", f"Kidal {os.getpid()}")


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def hostile(request, app):
    """A document and map whose text, title, map title and description carry the payload."""
    payload = request.param
    text = f"Al-Qaeda took control of Kidal {payload} today. Refugees fled to Niger {payload}."
    with app.app_context():
        store = get_store()
        doc = ingest(store, Submission(text=text, title=f"Report {payload}", lang="en"))
        made = store.create_map(title=f"Map {payload}", description=f"About {payload}",
                                document_ids=[doc.id])
    return payload, doc, made


def gets(doc, made) -> list[str]:
    return [
        "/", "/maps/new",
        f"/documents/{doc.id}", f"/documents/{doc.id}.geojson", f"/documents/{doc.id}.csv",
        f"/documents/{doc.id}.kml",
        f"/maps/{made.id}", f"/maps/{made.id}.geojson", f"/maps/{made.id}.csv",
        f"/maps/{made.id}.kml", f"/maps/{doc.map_id}",
        f"/embed/{made.id}", f"/embed/{made.id}?lang=ar&legend=0",
        f"/oembed?url=http://localhost/maps/{made.id}",
        f"/api/v1/documents/{doc.id}", "/api/v1/documents", f"/api/v1/maps/{made.id}",
        "/api/v1/maps", f"/api/v1/maps/{made.id}/layers.geojson",
        f"/api/v1/documents/{doc.id}/layers.geojson",
        "/ogc/collections", "/ogc/collections?f=html",
        "/ogc/collections/control_zones/items", "/ogc/collections/control_zones/items?f=html",
        f"/ogc/collections/map-{made.id}-control_zones/items?f=html",
    ]


def test_every_page_and_answer_shows_the_payload_as_text(client, hostile):
    payload, doc, made = hostile
    for url in gets(doc, made):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, (url, response.status_code, body[:300])
        for mark in EVALUATED:
            assert mark not in body.replace(payload, ""), (url, mark)
        if response.mimetype == "text/html":
            assert "<script>window.__x" not in body, url


def test_payload_is_returned_literally(client, hostile):
    payload, doc, made = hostile
    api = client.get(f"/api/v1/documents/{doc.id}").get_json()["document"]
    assert payload in api["text"] and api["title"] == f"Report {payload}"
    assert client.get(f"/api/v1/maps/{made.id}").get_json()["map"]["description"] == \
        f"About {payload}"
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert str(escape(payload)) in page
    data = json.loads(client.get(f"/maps/{made.id}.geojson").data)
    evidence = [e["text"] for f in data["features"] for e in f["properties"]["evidence"]]
    assert any(payload in text for text in evidence)
    assert f"Map {payload}" in client.get(
        f"/oembed?url=http://localhost/maps/{made.id}").get_json()["title"]


def test_geopackage_download_keeps_the_payload(client, hostile):
    payload, _doc, made = hostile
    response = client.get(f"/maps/{made.id}.gpkg")
    assert response.status_code == 200 and response.data[:16] == b"SQLite format 3\x00"
    assert payload.encode() in response.data
    assert not zipfile.is_zipfile(BytesIO(response.data))


def test_geoparse_api_returns_the_payload(client):
    for payload in PAYLOADS:
        text = f"Armed groups seized Gao {payload} on Monday."
        body = client.post("/api/v1/geoparse", json={"text": text, "lang": "en"}).get_json()
        assert body["ok"], body
        evidence = [e["text"] for f in body["layers"]["features"]
                    for e in f["properties"]["evidence"]]
        assert any(payload in t for t in evidence)
