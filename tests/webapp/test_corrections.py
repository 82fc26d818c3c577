"""Corrections through the JSON API and the page forms: readings, features, geometry, search.

Documents go through the real pipeline (tests/webapp/conftest.py ``document``);
every save is checked in what readers get: the GeoJSON download and OGC items.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.stored import TOKEN, token_app
from webapp import create_app
from webapp.store import get_store

XSS_NOTE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def etag(client, doc_id: str) -> str:
    return client.get(f"/api/v1/documents/{doc_id}").headers["ETag"]


def save(client, doc_id: str, *changes: dict, tag: str | None = None):
    return client.post(f"/api/v1/documents/{doc_id}/corrections", json={"changes": list(changes)},
                       headers={"If-Match": tag or etag(client, doc_id)})


def features(client, doc_id: str) -> dict[str, dict]:
    body = client.get(f"/documents/{doc_id}.geojson").get_json()
    return {f["id"]: f for f in body["features"]}


def mention_index(client, doc_id: str, surface: str) -> int:
    mentions = client.get(f"/api/v1/documents/{doc_id}").get_json()["document"]["mentions"]
    return next(i for i, m in enumerate(mentions) if m["surface"] == surface)


def feature_id(client, doc_id: str, layer: str) -> str:
    return next(fid for fid, f in features(client, doc_id).items()
                if f["properties"]["layer"] == layer)


def test_document_revision_is_the_etag_and_saves_need_it(client, document):
    assert etag(client, document.id) == '"rev-0"'
    change = {"op": "not_place", "mention": mention_index(client, document.id, "Niger")}
    missing = client.post(f"/api/v1/documents/{document.id}/corrections",
                          json={"changes": [change]})
    assert missing.status_code == 428
    assert "If-Match" in missing.get_json()["error"]
    first = save(client, document.id, change, tag='"rev-0"')
    assert first.status_code == 200 and first.headers["ETag"] == '"rev-1"'
    stale = save(client, document.id, change, tag='"rev-0"')
    assert stale.status_code == 412
    body = stale.get_json()
    assert body["ok"] is False and body["current_revision"] == 1
    assert "revision 1, not 0" in body["error"]
    assert stale.headers["ETag"] == '"rev-1"'
    assert etag(client, document.id) == '"rev-1"'


def test_readings_offer_the_gazetteers_places_of_the_name(client, document):
    index = mention_index(client, document.id, "Kidal")
    body = client.get(f"/api/v1/documents/{document.id}/mentions/{index}/readings").get_json()
    readings = body["readings"]
    assert readings[0]["id"] == body["mention"]["place"]["id"]  # the current reading first
    assert len({r["id"] for r in readings}) >= 2
    assert {"name", "type", "country", "population"} <= set(readings[0])


def test_another_reading_rebuilds_the_layers(client, document):
    index = mention_index(client, document.id, "Kidal")
    readings = client.get(
        f"/api/v1/documents/{document.id}/mentions/{index}/readings").get_json()["readings"]
    other = next(r for r in readings if r["type"] == "admin1")
    answer = save(client, document.id, {"op": "reading", "mention": index, "place": other["id"]})
    assert answer.status_code == 200 and answer.get_json()["rebuilt"] is True
    places = [p for f in features(client, document.id).values()
              for p in f["properties"].get("places") or ()]
    assert other["id"] in places
    body = client.get(f"/api/v1/documents/{document.id}").get_json()
    mention = body["document"]["mentions"][index]
    assert mention["place"]["id"] == other["id"] and mention["review"] == "corrected"


def test_not_a_place_takes_it_off_the_map(client, document):
    index = mention_index(client, document.id, "Mauritania")
    names = {f["properties"]["name"] for f in features(client, document.id).values()}
    assert "Mauritania" in names
    assert save(client, document.id, {"op": "not_place", "mention": index}).status_code == 200
    names = {f["properties"]["name"] for f in features(client, document.id).values()}
    assert "Mauritania" not in names


def test_a_missing_mention_is_added_by_span_and_gazetteer_id(client, document):
    start = TEXT_EN.index("officials")  # not a place, but an editor may say it is
    found = client.get("/gazetteer/search?q=Tombouctou&lang=fr").get_json()["places"]
    place = next(p for p in found if p["type"] in ("town", "city"))
    answer = save(client, document.id, {"op": "add_mention", "start": start,
                                        "end": start + len("officials"), "place": place["id"]})
    assert answer.status_code == 200, answer.get_json()
    mentions = client.get(f"/api/v1/documents/{document.id}").get_json()["document"]["mentions"]
    added = next(m for m in mentions if m["start"] == start)
    assert added["surface"] == "officials" and added["review"] == "added"
    assert any(place["id"] in (f["properties"].get("places") or ())
               for f in features(client, document.id).values())


@pytest.mark.parametrize("change, reason", [
    ({"op": "reading", "mention": 999, "place": "gn:2455290"}, "mention number"),
    ({"op": "reading", "mention": 0, "place": "gn:0"}, "no place"),
    ({"op": "add_mention", "start": 5, "end": 2, "place": "gn:2455290"}, "offsets"),
    ({"op": "feature", "id": "x.mentions.0", "action": "verify"}, "feature id"),
    ({"op": "teleport"}, "expected reading"),
])
def test_bad_changes_are_400_and_save_nothing(client, document, change, reason):
    answer = save(client, document.id, change)
    assert answer.status_code == 400
    assert reason in answer.get_json()["error"]
    assert etag(client, document.id) == '"rev-0"'


def test_reject_verify_and_edit_features(client, document, app):
    zone = feature_id(client, document.id, "control_zones")
    meeting = feature_id(client, document.id, "meetings")
    answer = save(client, document.id,
                  {"op": "feature", "id": zone, "action": "reject"},
                  {"op": "feature", "id": meeting, "action": "verify", "note": XSS_NOTE,
                   "set": {"actor": "JNIM", "status": "ongoing", "strength": 40,
                           "date": "2026-11-30"}})
    assert answer.status_code == 200
    shown = features(client, document.id)
    assert zone not in shown  # rejected: off the download
    props = shown[meeting]["properties"]
    assert props["review"] == "verified" and props["note"] == XSS_NOTE
    assert (props["actor"], props["status"], props["strength"], props["date"]) == (
        "JNIM", "ongoing", 40, "2026-11-30")
    assert all(f["properties"]["review"] in ("machine", "verified", "edited")
               for f in shown.values())
    items = client.get("/ogc/collections/meetings/items?f=json").get_json()["features"]
    assert [f["properties"]["review"] for f in items] == ["verified"]
    for review, count in (("verified", 1), ("machine", 0)):
        found = client.get("/ogc/collections/meetings/items",
                           query_string={"f": "json", "filter": f"review = '{review}'"})
        assert len(found.get_json()["features"]) == count
    zones = client.get("/ogc/collections/control_zones/items?f=json")
    assert zones.status_code == 404 or not zones.get_json()["features"]
    back = save(client, document.id, {"op": "feature", "id": zone, "action": "accept"})
    assert back.status_code == 200 and zone in features(client, document.id)


def test_a_hand_edit_survives_a_rebuild(client, document):
    meeting = feature_id(client, document.id, "meetings")
    save(client, document.id, {"op": "feature", "id": meeting, "set": {"actor": "Ministers"}})
    index = mention_index(client, document.id, "Niger")
    assert save(client, document.id, {"op": "not_place", "mention": index}).get_json()["rebuilt"]
    edited = [f for f in features(client, document.id).values()
              if f["properties"]["layer"] == "meetings"]
    assert len(edited) == 1  # the machine feature it came from is not drawn again
    assert edited[0]["properties"]["actor"] == "Ministers"
    assert edited[0]["properties"]["review"] == "edited"


SQUARE = {"type": "Polygon", "coordinates": [[[0, 10], [2, 10], [2, 12], [0, 12], [0, 10]]]}


@pytest.mark.parametrize("geometry, reason", [
    ({"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}, "not valid"),
    ({"type": "Point", "coordinates": [500000.0, 1800000.0]}, "outside longitude"),
    ({**SQUARE, "crs": {"type": "name", "properties": {"name": "EPSG:32631"}}}, "CRS"),
    ({"type": "LineString", "coordinates": [[i % 2, 0] for i in range(100_001)]}, "vertices"),
    ({"type": "MultiPoint", "coordinates": [[0.123456789, 0.123456789]] * 40_000}, "bytes"),
    ({"type": "Circle", "coordinates": [0, 0]}, "type should be"),
    ("{not json", "not JSON"),
])
def test_bad_geometry_is_400_with_the_reason_and_changes_nothing(client, document, geometry,
                                                                 reason):
    zone = feature_id(client, document.id, "control_zones")
    before = features(client, document.id)[zone]["geometry"]
    answer = save(client, document.id, {"op": "feature", "id": zone, "geometry": geometry})
    assert answer.status_code == 400
    assert reason in answer.get_json()["error"]
    assert features(client, document.id)[zone]["geometry"] == before
    assert etag(client, document.id) == '"rev-0"'


def test_a_new_geometry_replaces_the_shape(client, document):
    zone = feature_id(client, document.id, "control_zones")
    assert save(client, document.id, {"op": "feature", "id": zone,
                                      "geometry": json.dumps(SQUARE)}).status_code == 200
    feature = features(client, document.id)[zone]
    assert feature["geometry"]["type"] == "Polygon"
    assert sorted(map(tuple, feature["geometry"]["coordinates"][0]))[0] == (0, 10)
    assert feature["properties"]["review"] == "edited"
    assert feature["properties"]["edited"] == ["geometry"]


def test_gazetteer_search_is_a_prefix_search_in_each_language(client):
    for query, lang, name in (("Tombou", "fr", "Tombouctou"), ("Timbuk", "en", "Timbuktu"),
                              ("تمبك", "ar", None), ("Nouakch", None, None)):
        answer = client.get("/gazetteer/search", query_string={"q": query, "lang": lang or ""})
        assert answer.status_code == 200
        places = answer.get_json()["places"]
        assert 0 < len(places) <= 10
        if name:
            assert any(p["matched"] == name for p in places)
    assert client.get("/gazetteer/search?q=Gao&lang=xx").status_code == 400
    assert client.get("/gazetteer/search?q=").get_json()["places"] == []


def test_the_page_form_saves_and_a_stale_form_is_a_clear_409(client, document):
    index = mention_index(client, document.id, "Niger")
    form = {"revision": "0", "op": "not_place", "mention": str(index)}
    done = client.post(f"/documents/{document.id}/corrections", data=form)
    assert done.status_code == 303 and "saved=1" in done.headers["Location"]
    stale = client.post(f"/documents/{document.id}/corrections", data=form)
    assert stale.status_code == 409
    assert "Someone saved a change" in stale.get_data(as_text=True)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert 'name="revision" value="1"' in page


def test_private_documents_are_not_there_for_others(tmp_path):
    app = token_app(tmp_path)
    mentions, layers = sample_result()
    with app.app_context():
        hidden = get_store().add_document(text=TEXT_EN, title="Hidden", lang="en",
                                          mentions=mentions, layers=layers, public=False)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for path in (f"/api/v1/documents/{hidden.id}/mentions/0/readings",
                 f"/api/v1/documents/{hidden.id}/revisions",
                 f"/documents/{hidden.id}/history"):
        assert client.get(path).status_code == 404, path
        assert client.get(path, headers=auth).status_code == 200, path


def test_editing_is_for_editors_only(tmp_path):
    app = token_app(tmp_path)
    client = app.test_client()
    answer = client.post("/api/v1/documents/dmissing/corrections", json={"changes": []},
                         headers={"If-Match": '"rev-0"'})
    assert answer.status_code == 401  # no credentials, as every API write (webapp.access)
    assert client.post("/documents/dmissing/corrections", data={}).status_code == 403
    authorised = client.post("/api/v1/documents/dmissing/corrections", json={"changes": []},
                             headers={"If-Match": '"rev-0"', "Authorization": f"Bearer {TOKEN}"})
    assert authorised.status_code == 404


def test_correction_forms_refuse_cross_site_posts(tmp_path):
    app = create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'csrf.db'}"})
    mentions, layers = sample_result()
    with app.app_context():
        doc = get_store().add_document(text=TEXT_EN, title="CSRF", lang="en", mentions=mentions,
                                       layers=layers)
    client = app.test_client()
    change = {"revision": "0", "op": "feature", "id": feature_id(client, doc.id, "control_zones"),
              "action": "reject"}
    for path in (f"/documents/{doc.id}/corrections", f"/documents/{doc.id}/revisions/0/restore"):
        refused = client.post(path, data=change, headers={"Origin": "https://evil.example"})
        assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    assert etag(client, doc.id) == '"rev-0"'
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = client.post(f"/documents/{doc.id}/corrections", data={**change, "csrf_token": token})
    assert done.status_code == 303 and etag(client, doc.id) == '"rev-1"'


def test_ogc_items_follow_each_revision(client, stored):
    zone = feature_id(client, stored.id, "control_zones")
    item = f"/ogc/collections/control_zones/items/{zone}?f=json"
    assert client.get(item).get_json()["properties"]["review"] == "machine"  # now cached
    assert save(client, stored.id, {"op": "feature", "id": zone, "action": "verify"}).status_code \
        == 200
    assert client.get(item).get_json()["properties"]["review"] == "verified"
    items = client.get("/ogc/collections/control_zones/items?f=json").get_json()["features"]
    assert [f["properties"]["review"] for f in items] == ["verified"]
    assert save(client, stored.id, {"op": "feature", "id": zone, "action": "reject"}).status_code \
        == 200
    assert client.get(item).status_code == 404


def test_the_feature_form_changes_only_what_the_editor_changed(client, stored):
    zone = feature_id(client, stored.id, "control_zones")
    form = {"revision": "0", "op": "feature", "id": zone, "edit": "1", "layer": "control_zones",
            "actor": "armed groups", "status": "", "strength": "", "date": "", "note": "",
            "geometry": ""}
    unchanged = client.post(f"/documents/{stored.id}/corrections", data=form)
    assert unchanged.status_code == 400 and "nothing to change" in unchanged.get_data(as_text=True)
    changed = client.post(f"/documents/{stored.id}/corrections",
                          data={**form, "actor": "JNIM", "note": "two sources"})
    assert changed.status_code == 303
    props = features(client, stored.id)[zone]["properties"]
    assert props["edited"] == ["actor"] and props["actor"] == "JNIM"
    assert props["note"] == "two sources" and props.get("status") is None


def test_the_gzip_variant_of_the_etag_is_accepted(client, document):
    answer = client.get(f"/api/v1/documents/{document.id}", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    tag = answer.headers["ETag"]
    assert tag == '"rev-0-gzip"'
    zone = feature_id(client, document.id, "control_zones")
    saved = save(client, document.id, {"op": "feature", "id": zone, "action": "verify"}, tag=tag)
    assert saved.status_code == 200 and saved.headers["ETag"] == '"rev-1"'


def test_an_editor_adds_a_feature_the_parser_missed(client, document, app, tmp_path):
    sentence = TEXT_EN.index("Hundreds")
    change = {"op": "add_feature", "layer": "deployments", "name": "Gao garrison",
              "evidence": [sentence, sentence + 60], "geometry": SQUARE, "actor": XSS_NOTE,
              "strength": 300}
    assert save(client, document.id, change).status_code == 200
    added = [f for f in features(client, document.id).values()
             if f["properties"]["layer"] == "deployments"]
    assert len(added) == 1
    props = added[0]["properties"]
    assert (props["name"], props["review"], props["strength"], props["actor"]) == (
        "Gao garrison", "edited", 300, XSS_NOTE)
    assert props["evidence"][0]["text"] == TEXT_EN[sentence:sentence + 60]
    index = mention_index(client, document.id, "Niger")
    assert save(client, document.id, {"op": "not_place", "mention": index}).get_json()["rebuilt"]
    kept = [f for f in features(client, document.id).values()
            if f["properties"]["layer"] == "deployments"]
    assert [f["properties"]["name"] for f in kept] == ["Gao garrison"]  # survives rebuilds
    for bad, reason in (({**change, "evidence": [5, 2]}, "evidence"),
                        ({**change, "layer": "mentions"}, "layer"),
                        ({**change, "geometry": None}, "geometry"),
                        ({**change, "name": " "}, "name")):
        answer = save(client, document.id, bad)
        assert answer.status_code == 400 and reason in answer.get_json()["error"]


def test_the_editor_pages_through_the_mentions_of_a_long_report(client):
    """A long report's editor offers readings a page of mentions at a time, not all at once."""
    from webapp.views.corrections import EDIT_ROWS

    names = ["Gao", "Kidal"] * EDIT_ROWS  # two pages
    text = " ".join(names)
    place = {"id": "gn:1", "name": "Gao", "names": {}, "type": "city", "country": "ML",
             "lat": 16.27, "lon": -0.04, "bbox": None}
    mentions, at = [], 0
    for name in names:
        mentions.append({"start": at, "end": at + len(name), "surface": name, "kind": "toponym",
                         "place": place, "precision": 1, "confidence": 0.9,
                         "sentence": [0, len(text)]})
        at += len(name) + 1
    with client.application.app_context():
        doc = get_store().add_document(text=text, title="Long", lang="en", mentions=mentions,
                                       layers={})
    first = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    rows = re.findall(r'data-mention="(\d+)"', first)
    assert rows == [str(n) for n in range(EDIT_ROWS)]
    assert f"edit_from={EDIT_ROWS}" in first and f"of {2 * EDIT_ROWS}" in first
    second = client.get(f"/documents/{doc.id}?edit_from={EDIT_ROWS}").get_data(as_text=True)
    assert re.findall(r'data-mention="(\d+)"', second)[0] == str(EDIT_ROWS)
    far = client.get(f"/documents/{doc.id}?edit_from=999999").get_data(as_text=True)
    assert re.findall(r'data-mention="(\d+)"', far)[0] == str(EDIT_ROWS)  # the last page
