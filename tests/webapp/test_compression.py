"""gzip of HTML, JSON and GeoJSON answers: negotiation, Vary, ETags and what is left alone."""

from __future__ import annotations

import gzip
import re

import pytest
from flask import Response

from webapp import create_app
from webapp.compression import EXTENSION

GZIP = {"Accept-Encoding": "gzip, deflate"}
PAGES = [
    "/embed/{map}",
    "/maps/{map}",
    "/documents/{doc}",
    "/maps/{map}.geojson",
    "/api/v1/maps/{map}/layers.geojson",
    "/api/v1/documents/{doc}",
    "/api/openapi.json",
    "/",
]


@pytest.fixture
def app(tmp_path):
    """The conftest app with a lower threshold: the hand-made test layers are about 1 KB."""
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0, "GZIP_MIN_BYTES": 512,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.db'}"})
    yield app
    app.extensions["kharita.store"].close()


def url(template: str, stored) -> str:
    return template.format(map=stored.map_id, doc=stored.id)


def unnonced(body: bytes) -> bytes:
    """The page without its per-request CSP nonce (webapp.headers)."""
    return re.sub(rb'nonce="[^"]+"', b'nonce=""', body)


@pytest.mark.parametrize("page", PAGES)
def test_large_answers_are_gzipped_when_accepted(client, stored, page):
    plain = client.get(url(page, stored))
    packed = client.get(url(page, stored), headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert unnonced(gzip.decompress(packed.data)) == unnonced(plain.data)
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    assert "Accept-Encoding" in plain.vary and "Accept-Encoding" in packed.vary


@pytest.mark.parametrize("accept", ["", "identity", "gzip;q=0", "br", "deflate"])
def test_no_gzip_unless_accepted(client, stored, accept):
    response = client.get(f"/embed/{stored.map_id}", headers={"Accept-Encoding": accept})
    assert "Content-Encoding" not in response.headers
    assert b"<!doctype html>" in response.data and "Accept-Encoding" in response.vary


def test_wildcard_accepts_gzip(client, stored):
    response = client.get(f"/embed/{stored.map_id}", headers={"Accept-Encoding": "*"})
    assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/maps/mnope",  # a small JSON error body
        "/static/kharita.css",  # sent from a file (direct passthrough)
        "/assets/leaflet/leaflet.js",
    ],
)
def test_small_and_file_answers_are_left_alone(client, path):
    with client.get(path, headers=GZIP) as response:
        assert response.status_code in (200, 404)
        assert "Content-Encoding" not in response.headers


def test_threshold_is_the_setting(tmp_path, stored, client):
    size = len(client.get(f"/maps/{stored.map_id}.geojson").data)
    for min_bytes, encoded in ((size, True), (size + 1, False)):
        other = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                            "GZIP_MIN_BYTES": min_bytes,
                            "DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.db'}"})
        response = other.test_client().get(f"/maps/{stored.map_id}.geojson", headers=GZIP)
        assert ("Content-Encoding" in response.headers) is encoded
        other.extensions["kharita.store"].close()


def test_streamed_and_encoded_bodies_are_left_alone(tmp_path):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"})
    big = b'{"x": "' + b"a" * 5000 + b'"}'

    @app.get("/streamed")
    def streamed():
        return Response(iter([big]), mimetype="application/json")

    @app.get("/encoded")
    def encoded():
        response = Response(gzip.compress(big), mimetype="application/json")
        response.headers["Content-Encoding"] = "gzip"
        return response

    client = app.test_client()
    assert client.get("/streamed", headers=GZIP).data == big
    assert gzip.decompress(client.get("/encoded", headers=GZIP).data) == big
    app.extensions["kharita.store"].close()


def test_gzip_variant_has_its_own_etag_and_revalidates(client, stored):
    page = f"/embed/{stored.map_id}"
    plain, packed = client.get(page), client.get(page, headers=GZIP)
    tag = plain.get_etag()[0]
    assert packed.get_etag() == (tag + "-gzip", False)
    again = client.get(page, headers={**GZIP, "If-None-Match": f'"{tag}-gzip"'})
    assert again.status_code == 304 and again.data == b""
    assert again.get_etag()[0] == tag + "-gzip" and "Accept-Encoding" in again.vary
    # the plain tag still validates the plain copy a client kept before it accepted gzip
    assert client.get(page, headers={**GZIP, "If-None-Match": f'"{tag}"'}).status_code == 304
    # and the gzip tag does not validate the plain variant
    fresh = client.get(page, headers={"If-None-Match": f'"{tag}-gzip"'})
    assert fresh.status_code == 200 and fresh.data == plain.data


def test_cached_embed_is_compressed_once(app, client, stored):
    for _ in range(3):
        client.get(f"/embed/{stored.map_id}", headers=GZIP)
    assert len(app.extensions[EXTENSION]) == 1


def test_zero_turns_compression_off(tmp_path):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0, "GZIP_MIN_BYTES": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'off.db'}"})
    response = app.test_client().get("/", headers=GZIP)
    assert "Content-Encoding" not in response.headers and "Accept-Encoding" not in response.vary
    app.extensions["kharita.store"].close()
