"""A map's list of documents: a first page on the map page, the rest a page at a time.

A map its feeds fill holds thousands of documents; listing them all made its page
megabytes of HTML. The page lists the first ones with "n of N", searches titles and
pages through the rest (``?doc_q=&doc_offset=``, and the JSON API the page's script asks).
"""

from __future__ import annotations

import re

import pytest

from tests.webapp.stored import collection, point
from tests.webapp.test_browser import assert_no_csp_violation, wait_for_map
from webapp.store import get_store
from webapp.views.maps import DOCUMENTS_PAGE

COUNT = 130


def fill_map(app, count: int = COUNT) -> str:
    """A map over ``count`` one-event reports; every tenth title names Gao, one is hostile."""
    with app.app_context():
        store = get_store()
        ids = []
        for n in range(count):
            town = "Gao" if n % 10 == 0 else "Kidal"
            title = "<b>Menaka</b> &amp; co" if n == 7 else f"Report {n + 1:03d} from {town}"
            ids.append(store.add_document(
                text=f"Report {n}", title=title, lang="en", mentions=[],
                layers={"attacks": collection(point(town, 1.0 + n / 100, 18.0))}).id)
        return store.create_map(title="Many reports", document_ids=ids).id


@pytest.fixture
def many(app) -> str:
    return fill_map(app)


def listed(html: str) -> list[str]:
    block = html.split("data-document-list>", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'dir="auto">([^<]*)</a>', block)


def test_the_page_lists_a_first_page_with_its_count(client, many):
    html = client.get(f"/maps/{many}").get_data(as_text=True)
    titles = listed(html)
    assert len(titles) == DOCUMENTS_PAGE and titles[0] == "Report 001 from Gao"
    assert f"Documents 1–{DOCUMENTS_PAGE} of {COUNT}" in html
    assert f"{COUNT} documents" in html  # the map's own count stays whole
    assert f"doc_offset={DOCUMENTS_PAGE}" in html  # the next page, without a script


def test_the_next_page_and_a_search_come_from_the_same_page(client, many):
    html = client.get(f"/maps/{many}?doc_offset=100").get_data(as_text=True)
    assert listed(html)[0] == "Report 101 from Gao" and len(listed(html)) == COUNT - 100
    assert f"Documents 101–{COUNT} of {COUNT}" in html
    assert "data-document-more hidden>" in html
    found = client.get(f"/maps/{many}?doc_q=gao").get_data(as_text=True)
    assert listed(found) == [f"Report {n + 1:03d} from Gao" for n in range(0, COUNT, 10)]
    assert "Documents 1–13 of 13" in found
    none = client.get(f"/maps/{many}?doc_q=100%25").get_data(as_text=True)  # % is a character
    assert listed(none) == [] and "No document found" in none
    beyond = client.get(f"/maps/{many}?doc_offset=500").get_data(as_text=True)
    assert listed(beyond) == [] and "No document found" in beyond


def test_titles_stay_text(client, many):
    html = client.get(f"/maps/{many}?doc_q=menaka").get_data(as_text=True)
    assert "&lt;b&gt;Menaka&lt;/b&gt; &amp;amp; co" in html and "<b>Menaka" not in html


@pytest.mark.parametrize("offset", ["-1", "x", "1e3", "99999999999"])
def test_a_bad_offset_is_a_400(client, many, offset):
    response = client.get(f"/maps/{many}?doc_offset={offset}")
    assert response.status_code == 400 and "doc_offset" in response.get_data(as_text=True)


def test_the_api_pages_and_searches_a_maps_documents(client, many):
    body = client.get(f"/api/v1/maps/{many}/documents?limit=20&offset=40").json
    assert body["total"] == COUNT and len(body["documents"]) == 20
    assert body["documents"][0]["title"] == "Report 041 from Gao"
    first = body["documents"][0]
    assert first["links"]["page"].endswith(f"/documents/{first['id']}")
    assert "offset=60" in body["next"] and f"/maps/{many}/documents" in body["next"]
    found = client.get(f"/api/v1/maps/{many}/documents?q=GAO&limit=5").json
    assert found["total"] == 13 and "q=GAO" in found["next"]
    assert client.get("/api/v1/maps/nope/documents").status_code == 404
    assert client.get(f"/api/v1/maps/{many}/documents?limit=0").status_code == 400


def test_private_documents_stay_out_of_the_list(app, many):
    with app.app_context():
        store = get_store()
        record = store.get_map(many, private=True)
        first = record.document_ids[0]
        store.set_document_public(first, False)
        shown = store.map_document_page(store.get_map(many), limit=5)
        everything = store.map_document_page(store.get_map(many, private=True), limit=5,
                                              private=True)
    assert shown.total == COUNT - 1 and first not in [e.id for e in shown.entries]
    assert everything.total == COUNT and everything.entries[0].id == first


@pytest.mark.browser
def test_the_page_searches_and_pages_without_reloading(page, live_app, live_server):
    map_id = fill_map(live_app)
    page.goto(f"{live_server.url}/maps/{map_id}")
    wait_for_map(page)
    page.evaluate("() => { window.notReloaded = true; }")
    items = page.locator("[data-document-list] li")
    assert items.count() == DOCUMENTS_PAGE
    page.click("[data-document-more] a")
    page.wait_for_function(f"() => document.querySelectorAll('[data-document-list] li')"
                           f".length === {2 * DOCUMENTS_PAGE}")
    assert page.inner_text("[data-document-count]") == (
        f"Documents 1–{2 * DOCUMENTS_PAGE} of {COUNT}")
    page.fill("#documents input[name=doc_q]", "gao")
    page.press("#documents input[name=doc_q]", "Enter")
    page.wait_for_function("() => document.querySelector('[data-document-count]').textContent"
                           " === 'Documents 1–13 of 13'")
    assert items.count() == 13 and items.first.inner_text().startswith("Report 001 from Gao")
    assert page.is_hidden("[data-document-more]")
    assert page.evaluate("() => window.notReloaded") is True
    assert_no_csp_violation(page)


@pytest.mark.browser
def test_the_embed_preview_waits_until_its_builder_is_shown(page, live_app, live_server):
    map_id = fill_map(live_app, 3)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/embed/" in r.url else None)
    page.goto(f"{live_server.url}/maps/{map_id}")
    wait_for_map(page)
    assert asked == [] and page.get_attribute("#embed-preview", "src") is None
    page.locator("#embed-builder").scroll_into_view_if_needed()
    page.frame_locator("#embed-preview").locator(".folium-map").wait_for()
    assert any(f"/embed/{map_id}" in url for url in asked)


@pytest.mark.parametrize(("title", "search"), [
    ("Attaque à MÉNAKA", "ménaka"),
    ("Нападение в Мали", "МАЛИ"),
    ("هجوم في ميناكا", "ميناكا"),
    ("Ça va mal à Gao", "ÇA VA"),
])
def test_the_title_search_ignores_case_in_every_script(app, title, search):
    with app.app_context():
        store = get_store()
        doc = store.add_document(text="Report", title=title, lang="fr", mentions=[],
                                 layers={"attacks": collection(point("Ménaka", 2.0, 15.9))})
        other = store.add_document(text="Report", title="Something else", lang="fr",
                                   mentions=[], layers={})
        made = store.create_map(title="Case", document_ids=[doc.id, other.id])
        record = store.get_map(made.id)
        found = store.map_document_page(record, limit=5, search=search)
    assert [e.id for e in found.entries] == [doc.id]
