"""Bad input gets a clear 4xx, stores nothing and never a 500."""

from __future__ import annotations

import io

import pytest

from webapp.store import get_store


def counts(app):
    with app.app_context():
        return get_store().count_documents(), get_store().count_maps()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": ""}, "The text is empty"),
        ({"text": "   \n\t "}, "The text is empty"),
        ({"text": "Gao", "lang": "de"}, "Choose the language from the list"),
        ({"text": "Gao", "published": "yesterday"}, "The publication date must be a date"),
        ({"text": "Gao", "source_url": "javascript:alert(1)"}, "source address must start"),
        ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "map.txt")}, "not a text file"),
        ({"file": (io.BytesIO(b"caf\xe9 au Mali"), "note.txt")}, "The text is not in UTF-8"),
        ({"file": (io.BytesIO(b"Gao"), "report.pdf")}, "files of type .pdf cannot be read"),
        ({"file": (io.BytesIO(b"Gao"), "noextension")}, "files of type (none) cannot be read"),
    ],
)
def test_create_document_rejects(app, client, data, message):
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html.replace("&#39;", "'")
    assert counts(app) == (0, 0)


def test_oversize_text_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/documents", data={"text": "Mali " * 1000})
    assert response.status_code == 413
    assert "MAX_CONTENT_LENGTH" in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_oversize_json_path_is_json(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10
    response = client.post("/api/v1/geoparse", json={"text": "Mali " * 100})
    assert response.status_code == 413
    assert response.get_json()["status"] == 413


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "documents": ["x"]}, "Give the map a title"),
        ({"title": "M"}, "Tick at least one document"),
        ({"title": "M", "documents": ["dnope"]}, "No document with id dnope"),
        ({"title": "M", "documents": ["{doc}"], "layers": ["volcanoes"]}, "layer(s) volcanoes"),
    ],
)
def test_create_map_rejects(app, client, stored, data, message):
    data = {k: [v.replace("{doc}", stored.id) for v in vals] if isinstance(vals, list) else vals
            for k, vals in data.items()}
    response = client.post("/maps", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == (1, 1)


@pytest.mark.parametrize(
    "query, message",
    [
        ("layers=volcanoes", "layers: unknown layer(s) volcanoes"),
        ("lang=de", "lang: expected one of en, fr, ar"),
        ("legend=maybe", "legend: expected 1/0"),
        ("zoom=99", "zoom: expected a whole number from 0 to 18"),
        ("zoom=-1", "zoom: expected a whole number"),
        ("center=north", "center: expected &#39;lat,lon&#39;"),
        ("center=95,10", "center: latitude or longitude out of range"),
    ],
)
def test_embed_rejects_invalid_options(client, stored, query, message):
    response = client.get(f"/embed/{stored.map_id}?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_map_page_rejects_unknown_layer(client, stored):
    assert client.get(f"/maps/{stored.map_id}?layers=nope").status_code == 400
    response = client.get(f"/maps/{stored.map_id}.geojson?layers=nope")
    assert response.status_code == 400 and response.get_json()["ok"] is False


@pytest.mark.parametrize(
    "method, path, allowed, json_body",
    [
        ("post", "/maps/{map}", {"GET", "HEAD", "OPTIONS"}, False),
        ("put", "/embed/{map}", {"GET", "HEAD", "OPTIONS"}, False),
        ("delete", "/", {"GET", "HEAD", "OPTIONS"}, False),
        ("get", "/documents", {"POST", "OPTIONS"}, False),
        ("post", "/maps/{map}.geojson", {"GET", "HEAD", "OPTIONS"}, True),
        ("delete", "/api/v1/maps", {"GET", "HEAD", "POST", "OPTIONS"}, True),
        ("put", "/api/v1/documents/{doc}", {"GET", "HEAD", "OPTIONS"}, True),
        ("post", "/ogc/collections", {"GET", "HEAD", "OPTIONS"}, True),
    ],
)
def test_method_not_allowed_keeps_allow(client, stored, method, path, allowed, json_body):
    path = path.format(map=stored.map_id, doc=stored.id)
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed
    if json_body:
        assert response.get_json() == {"ok": False, "error": response.get_json()["error"],
                                       "status": 405}
    else:
        assert response.mimetype == "text/html" and "405" in response.get_data(as_text=True)


# --- bodies that are not text, or not a sane JSON document: one rule for forms and API ----------
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["/api/v1/geoparse", "/api/v1/documents", "/api/v1/maps"])
@pytest.mark.parametrize("body, message", [
    (DEEP, "nested more than 64 levels"),
    ('{"text": ' + "[" * 70 + '"Gao"' + "]" * 70 + "}", "nested more than 64 levels"),
    ('{"text": "Gao \\ud800 Mali"}', "unpaired surrogate (U+D800)"),
    ('{"text": "Gao", "title": "\\udfff"}', "'title' holds an unpaired surrogate"),
    (b'{"text": "Gao \xff Mali"}', "not UTF-8"),
])
def test_api_bodies_that_are_not_text_are_400(app, client, path, body, message):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400 and message in response.json["error"], response.json
    assert counts(app) == (0, 0)


@pytest.mark.parametrize("body, content_type", [
    (b"text=Gao+%FF%FE+Mali&lang=en", "application/x-www-form-urlencoded"),
    (b"--XX\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nGao \xff Mali\r\n--XX--\r\n",
     "multipart/form-data; boundary=XX"),
    (b"--XX\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n\xc3\r\n--XX\r\n"
     b"Content-Disposition: form-data; name=\"text\"\r\n\r\nGao\r\n--XX--\r\n",
     "multipart/form-data; boundary=XX"),
])
def test_forms_that_are_not_utf8_are_400_like_the_api(app, client, body, content_type):
    response = client.post("/documents", data=body, content_type=content_type)
    assert response.status_code == 400 and "not UTF-8" in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_a_good_multipart_form_still_passes(app, client):
    body = ("--XX\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nقتال في غاو، مالي\r\n"
            "--XX\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nar\r\n--XX--\r\n")
    response = client.post("/documents", data=body.encode(),
                           content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 303
    assert counts(app) == (1, 1)
