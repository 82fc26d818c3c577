"""Drafts and publishing: what anonymous callers see before, after and after unpublishing."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.people import add_people, bearer, make_token, signed_in
from tests.webapp.stored import first_feature_id
from webapp.store import get_store


@pytest.fixture
def people(app):
    add_people(app)
    return app


@pytest.fixture
def draft(people):
    """A draft document with its own map (as an editor's new report is)."""
    mentions, layers = sample_result()
    with people.app_context():
        return get_store().add_document(text=TEXT_EN, title="Draft report", lang="en",
                                        mentions=mentions, layers=layers, public=False,
                                        map_title="Draft map")


def map_urls(map_id: str) -> list[str]:
    """Every anonymous way to a map's content."""
    return [f"/maps/{map_id}", f"/maps/{map_id}.geojson", f"/maps/{map_id}.kml",
            f"/embed/{map_id}", f"/maps/{map_id}/embed-code.json",
            f"/oembed?url=http://localhost/maps/{map_id}", f"/api/v1/maps/{map_id}",
            f"/api/v1/maps/{map_id}/layers.geojson",
            f"/ogc/collections/map-{map_id}-mentions/items"]


def document_urls(app, doc_id: str) -> list[str]:
    """Every anonymous way to a document's content."""
    with app.app_context():
        item = first_feature_id(get_store(), doc_id)
    return [f"/documents/{doc_id}", f"/documents/{doc_id}.geojson", f"/api/v1/documents/{doc_id}",
            f"/api/v1/documents/{doc_id}/layers.geojson", f"/ogc/collections/mentions/items/{item}"]


def statuses(client, urls: list[str]) -> set[int]:
    return {client.get(url).status_code for url in urls}


def test_new_things_are_drafts_once_accounts_exist(people):
    editor = signed_in(people, "ed")
    made = editor.post("/documents", data={"text": TEXT_EN, "lang": "en", "title": "Fresh"})
    assert made.status_code == 303
    doc_id = made.headers["Location"].rsplit("/", 1)[1]
    token = make_token(people, "ed", "write")
    api_map = people.test_client().post("/api/v1/maps", json={
        "title": "API map", "document_ids": [doc_id]}, headers=bearer(token)).json["map"]
    form_map = editor.post("/maps", data={"title": "Form map", "documents": [doc_id]})
    form_map_id = form_map.headers["Location"].rsplit("/", 1)[1]
    with people.app_context():
        store = get_store()
        doc = store.get_document(doc_id, private=True)
        assert doc is not None and not doc.public
        assert not store.get_map(doc.map_id, private=True).public
        assert not store.get_map(form_map_id, private=True).public
    assert api_map["public"] is False
    anonymous = people.test_client()
    assert statuses(anonymous, document_urls(people, doc_id)) == {404}
    assert statuses(anonymous, map_urls(api_map["id"]) + map_urls(form_map_id)) == {404}
    assert doc_id.encode() not in anonymous.get("/api/v1/documents").data
    assert doc_id.encode() not in anonymous.get("/ogc/collections/mentions/items").data


def test_an_open_install_still_publishes_at_once(app, client):
    made = client.post("/documents", data={"text": TEXT_EN, "lang": "en"})
    doc_id = made.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/documents/{doc_id}").json["document"]["public"] is True


def test_signed_in_users_see_drafts_and_editors_get_the_button(people, draft):
    viewer = signed_in(people, "vi").get(f"/documents/{draft.id}").get_data(as_text=True)
    assert 'id="publish-bar"' in viewer and "Draft" in viewer
    assert f"/documents/{draft.id}/publish" not in viewer
    editor = signed_in(people, "ed").get(f"/maps/{draft.map_id}").get_data(as_text=True)
    assert f'action="/maps/{draft.map_id}/publish"' in editor


def test_publishing_then_unpublishing_takes_the_map_down_everywhere(people, draft):
    anonymous, editor = people.test_client(), signed_in(people, "ed")
    assert statuses(anonymous, map_urls(draft.map_id) + document_urls(people, draft.id)) == {404}
    assert editor.post(f"/documents/{draft.id}/publish").status_code == 303
    assert statuses(anonymous, map_urls(draft.map_id) + document_urls(people, draft.id)) == {200}
    embed = anonymous.get(f"/embed/{draft.map_id}")
    assert "no-cache" in embed.headers["Cache-Control"]  # caches must ask again every time
    cached = {"If-None-Match": embed.headers["ETag"]}
    assert anonymous.get(f"/embed/{draft.map_id}", headers=cached).status_code == 304
    assert editor.post(f"/maps/{draft.map_id}/unpublish").status_code == 303
    assert statuses(anonymous, map_urls(draft.map_id)) == {404}
    gone = anonymous.get(f"/embed/{draft.map_id}", headers=cached)
    assert gone.status_code == 404  # not a 304 from the render cache
    # the document stays published
    assert statuses(anonymous, document_urls(people, draft.id)) == {200}
    assert editor.post(f"/documents/{draft.id}/unpublish").status_code == 303
    assert statuses(anonymous, document_urls(people, draft.id)) == {404}


def test_publishing_a_map_publishes_its_documents(people, draft):
    with people.app_context():
        combined = get_store().create_map(title="Combined", document_ids=[draft.id], public=False)
    assert signed_in(people, "ada").post(f"/maps/{combined.id}/publish").status_code == 303
    anonymous = people.test_client()
    names = {f["properties"]["name"] for f in anonymous.get(f"/maps/{combined.id}.geojson")
             .json["features"]}
    assert names == {"Kidal", "northern Mali"}
    assert anonymous.get(f"/documents/{draft.id}").status_code == 200


def test_viewers_and_anonymous_callers_cannot_publish(people, draft):
    assert signed_in(people, "vi").post(f"/documents/{draft.id}/publish").status_code == 403
    assert people.test_client().post(f"/maps/{draft.map_id}/publish").status_code == 403
    with people.app_context():
        assert not get_store().get_document(draft.id, private=True).public


def test_the_api_publishes_with_a_write_token(people, draft):
    client = people.test_client()
    write, read = make_token(people, "ed", "write"), make_token(people, "ed", "read")
    url = f"/api/v1/maps/{draft.map_id}/publish"
    assert client.post(url).status_code == 401
    assert client.post(url, headers=bearer(read)).status_code == 403
    assert client.post("/api/v1/maps/mnope/publish", headers=bearer(write)).status_code == 404
    published = client.post(url, headers=bearer(write))
    assert published.status_code == 200 and published.json["map"]["public"] is True
    assert client.get(f"/api/v1/documents/{draft.id}").status_code == 200
    down = client.post(f"/api/v1/documents/{draft.id}/unpublish", headers=bearer(write))
    assert down.status_code == 200 and down.json["document"]["public"] is False
    assert client.get(f"/api/v1/maps/{draft.map_id}").status_code == 404  # its own map too


def correct_name(app, doc_id: str, name: str) -> int:
    """Save a correction renaming Kidal's feature to ``name``; return the new revision."""
    with app.app_context():
        store = get_store()
        state = store.document_state(doc_id, private=True)
        layers = copy.deepcopy(state.layers)
        layers["mentions"]["features"][0]["properties"]["name"] = name
        return store.save_revision(doc_id, expected=state.record.revision, author="ed",
                                   summary=f"renamed to {name}", mentions=state.mentions,
                                   layers=layers).number


def shown_names(client, doc) -> dict[str, set[str]]:
    """The mention names each public answer shows of ``doc`` and its own map."""
    def names(features) -> set[str]:
        return {f["properties"]["name"] for f in features if f["properties"]["layer"] == "mentions"}

    return {
        "map download": names(client.get(f"/maps/{doc.map_id}.geojson").json["features"]),
        "document download": names(client.get(f"/documents/{doc.id}.geojson").json["features"]),
        "api": names(client.get(f"/api/v1/documents/{doc.id}/layers.geojson").json["features"]),
        "ogc": names(client.get(f"/ogc/collections/map-{doc.map_id}-mentions/items")
                     .json["features"]),
        "ogc layer": names(f for f in client.get("/ogc/collections/mentions/items")
                           .json["features"] if f["properties"]["document"] == doc.id),
    }


def test_publishing_pins_a_revision_while_editors_work_on_the_next(people, draft):
    editor, anonymous = signed_in(people, "ed"), people.test_client()
    assert correct_name(people, draft.id, "Kidal one") == 1
    assert editor.post(f"/documents/{draft.id}/publish").status_code == 303
    embed_before = anonymous.get(f"/embed/{draft.map_id}")
    assert correct_name(people, draft.id, "Kidal two") == 2
    shown = shown_names(anonymous, draft)
    assert shown == {key: {"Kidal one"} for key in shown}
    embed = anonymous.get(f"/embed/{draft.map_id}", headers={
        "If-None-Match": embed_before.headers["ETag"]})
    assert embed.status_code == 304  # the published map did not change
    assert anonymous.get(f"/api/v1/documents/{draft.id}/revisions/2").status_code == 404
    assert anonymous.get(f"/api/v1/documents/{draft.id}").headers["ETag"] == '"rev-1"'
    page = editor.get(f"/documents/{draft.id}").get_data(as_text=True)
    assert "Revision 1 is published; this is revision 2" in page
    assert shown_names(editor, draft)["map download"] == {"Kidal two"}
    assert editor.post(f"/documents/{draft.id}/publish").status_code == 303
    shown = shown_names(anonymous, draft)
    assert shown == {key: {"Kidal two"} for key in shown}
    assert anonymous.get(f"/embed/{draft.map_id}").headers["ETag"] != embed_before.headers["ETag"]
    assert "is published; this is" not in editor.get(f"/documents/{draft.id}").get_data(
        as_text=True)
    assert editor.post(f"/documents/{draft.id}/unpublish").status_code == 303
    assert statuses(anonymous, map_urls(draft.map_id) + document_urls(people, draft.id)) == {404}


def test_publishing_a_map_pins_its_documents(people, draft):
    with people.app_context():
        combined = get_store().create_map(title="Combined", document_ids=[draft.id], public=False)
    assert signed_in(people, "ada").post(f"/maps/{combined.id}/publish").status_code == 303
    correct_name(people, draft.id, "Kidal later")
    anonymous = people.test_client()
    names = {f["properties"]["name"] for f in anonymous.get(f"/maps/{combined.id}.geojson")
             .json["features"]}
    assert names == {"Kidal", "northern Mali"}
    assert anonymous.get(f"/documents/{draft.id}").status_code == 200
    assert "Kidal later" not in anonymous.get(f"/documents/{draft.id}").get_data(as_text=True)


def ahead_notice(client, map_id: str) -> str:
    """The map page's line saying the draft moved past the published revision ('' if none)."""
    page = client.get(f"/maps/{map_id}").get_data(as_text=True)
    found = re.search(r'<p class="pinned meta" data-draft-ahead="[^"]+"[^>]*>(.*?)</p>', page,
                      re.S)
    return found.group(1).strip() if found else ""


def test_the_map_page_tells_signed_in_users_the_draft_moved_past_what_is_published(people, draft):
    editor, viewer, anonymous = (signed_in(people, "ed"), signed_in(people, "vi"),
                                 people.test_client())
    assert editor.post(f"/documents/{draft.id}/publish").status_code == 303
    assert ahead_notice(viewer, draft.map_id) == ""  # nothing saved since
    assert correct_name(people, draft.id, "Kidal later") == 1
    today = datetime.now(UTC).date().isoformat()
    assert ahead_notice(viewer, draft.map_id) == (
        f"Revision 0 published on {today} by ed; the draft has changes since.")
    assert ahead_notice(anonymous, draft.map_id) == ""  # the public reads revision 0 only
    french = ahead_notice(signed_in(people, "vi"), f"{draft.map_id}?lang=fr")
    assert french == f"Révision 0 publiée le {today} par ed ; le brouillon a changé depuis."
    arabic = ahead_notice(viewer, f"{draft.map_id}?lang=ar")
    assert arabic.startswith("نُشرت المراجعة 0") and "ed" in arabic
    assert signed_in(people, "ada").post(f"/maps/{draft.map_id}/publish").status_code == 303
    assert ahead_notice(viewer, draft.map_id) == ""  # published again: nothing ahead
