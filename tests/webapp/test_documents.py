"""Paste and upload through the real geo pipeline, in three languages."""

from __future__ import annotations

import io

import pytest

from tests.webapp.conftest import TEXT_AR, TEXT_EN, TEXT_FR
from webapp import create_app
from webapp.demo import DEMO_TITLE
from webapp.store import get_store


@pytest.mark.parametrize("text, lang", [(TEXT_EN, "en"), (TEXT_FR, "fr"), (TEXT_AR, "ar")])
def test_paste_creates_document_and_map(app, client, text, lang):
    response = client.post("/documents", data={"text": text, "title": "", "lang": "auto",
                                                "source_url": "https://news.example/a",
                                                "published": "2024-03-01"})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kidal" in html or "كيدال" in html
    assert html.count('class="mention kind-') >= 2
    with app.app_context():
        (record,) = get_store().list_documents()
    assert record.lang == lang and record.published.isoformat() == "2024-03-01"
    assert record.title == text.splitlines()[0] or record.title.endswith("…")
    assert record.layer_counts.get("mentions", 0) >= 2 and record.map_id


@pytest.mark.parametrize(
    "name, body",
    [
        ("report.txt", TEXT_EN.encode("utf-8")),
        ("report.md", ("# Report\n\n" + TEXT_FR).encode("utf-8")),
        ("report.html", ("<html><head><script>var x = 'Paris';</script></head><body><p>"
                         + TEXT_EN.replace("\n", "</p><p>") + "</p></body></html>").encode()),
        ("arabic.txt", "\ufeff".encode() + TEXT_AR.encode("utf-8")),
    ],
)
def test_upload(app, client, name, body):
    response = client.post("/documents", data={"file": (io.BytesIO(body), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        (record,) = get_store().list_documents()
    assert "<p>" not in record.text and "var x" not in record.text
    assert record.layer_counts.get("mentions", 0) >= 2


def test_demo_map_on_first_run_only(tmp_path):
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "DEMO_MAP": True,
              "PARSE_WORKERS": 0}
    app = create_app(config)
    with app.app_context():
        maps = get_store().list_maps()
    assert [m.title for m in maps] == [DEMO_TITLE]
    assert get_store_counts(app) == (1, 1)
    html = app.test_client().get("/").get_data(as_text=True)
    assert DEMO_TITLE in html
    app.extensions["kharita.store"].close()
    again = create_app(config)
    assert get_store_counts(again) == (1, 1)
    layers = again.test_client().get(f"/maps/{maps[0].id}.geojson").get_json()
    assert len({f["properties"]["layer"] for f in layers["features"]}) >= 3
    again.extensions["kharita.store"].close()


def get_store_counts(app) -> tuple[int, int]:
    with app.app_context():
        return get_store().count_documents(), get_store().count_maps()


def test_serve_uses_waitress(monkeypatch, app):
    import waitress

    called = {}
    monkeypatch.setattr(waitress, "serve", lambda wsgi, **kw: called.update(kw, app=wsgi))
    monkeypatch.setattr("webapp.parsing.Parser.start", lambda self: None)
    from webapp import serve

    serve(app, "127.0.0.1", 8123)
    assert called["app"] is app and called["host"] == "127.0.0.1" and called["port"] == 8123
