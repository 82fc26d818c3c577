"""The correction flow in real Chromium: change a reading, reject a feature, reshape a polygon
with Leaflet.draw, verify one, a hostile note; then the GeoJSON download and OGC items."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.webapp.conftest import TEXT_EN, LiveServer, screenshot
from tests.webapp.test_browser import (
    assert_local_only,
    assert_no_csp_violation,
    wait_for_map,
)
from webapp import create_app
from webapp.ingest import Submission, ingest
from webapp.store import get_store
from webapp.views.corrections import DRAW_SCRIPT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FREE_VERTEX = """() => {
  for (const icon of document.querySelectorAll('.leaflet-editing-icon')) {
    const box = icon.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (document.elementFromPoint(x, y) === icon) return [x, y];
  }
  return null;
}"""  # the centre of a vertex handle nothing covers (legends, controls)
OPEN_ZONE_POPUP = """() => {
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  let text = null;
  map.eachLayer(l => {
    if (!(l.feature && l.feature.properties.layer === 'control_zones')) return;
    l.fire('click', {latlng: l.getBounds().getCenter()}, true);
    text = document.querySelector('.leaflet-popup-content').textContent;
  });
  return text;
}"""
PAYLOAD = '<img src=x onerror="window.__xss=7"><script>window.__xss=8</script>'


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """An app and server of their own: what other browser tests stored on the shared
    ``live_app`` (maps, documents, their views) must not change what an editor sees here."""
    folder = tmp_path_factory.mktemp("editing")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}", "DEMO_MAP": False,
                      "PARSE_WORKERS": 0})
    server = LiveServer(app)
    yield app, server
    server.close()
    app.extensions["kharita.store"].close()


def read_json(url: str) -> dict:
    with urllib.request.urlopen(url) as answer:
        return json.loads(answer.read())


def feature_row(page, layer: str):
    return page.locator(f"#edit-features tr[data-feature*='.{layer}.']").first


def test_an_editor_corrects_a_document_in_the_browser(page, editing):
    live_app, live_server = editing
    with live_app.app_context():
        record = ingest(get_store(), Submission(text=TEXT_EN, title="Corrections", lang="en"))
    url = f"{live_server.url}/documents/{record.id}"
    page.goto(url)
    wait_for_map(page)

    # another reading: Kidal the region, not the town
    row = page.locator("#edit-mentions tr", has_text="Kidal").first
    region = row.locator("option", has_text="admin1").first.get_attribute("value")
    row.locator("select[name=place]").select_option(region)
    row.locator(".reading-form button").click()
    page.wait_for_url("**saved=1**")
    assert region in page.locator("#edit-mentions tr", has_text="Kidal").first.inner_text()

    # reject the flow, verify the zone
    feature_row(page, "displacement").locator("button[value=reject]").click()
    page.wait_for_url("**saved=2**")
    feature_row(page, "control_zones").locator("button[value=verify]").click()
    page.wait_for_url("**saved=3**")

    # reshape the zone on the map (Leaflet.draw), with a hostile note
    zone = feature_row(page, "control_zones")
    zone.locator("summary").click()
    form = zone.locator("form.feature-edit")
    field = form.locator("textarea[name=geometry]")
    if not (Path(live_app.static_folder or "") / DRAW_SCRIPT).is_file():
        pytest.fail("Leaflet.draw is not installed: run scripts/vendor-js.sh")
    wait_for_map(page)
    form.locator(".draw-button").click()
    page.wait_for_selector(".leaflet-editing-icon")
    page.wait_for_timeout(600)  # let the map finish fitting the shape before grabbing a handle
    drawn = json.loads(field.input_value())
    x, y = page.evaluate(FREE_VERTEX)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.up()
    screenshot(page, "corrections-reshape")
    reshaped = json.loads(field.input_value())
    assert reshaped != drawn and reshaped["type"] == "Polygon"
    form.locator("textarea[name=note]").fill(PAYLOAD)
    form.locator("input[name=actor]").fill(PAYLOAD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**saved=4**")
    wait_for_map(page)
    screenshot(page, "corrections-after-reshape")

    # what readers get
    download = read_json(f"{url}.geojson")["features"]
    layers = {f["properties"]["layer"] for f in download}
    assert "displacement" not in layers
    zone_feature = next(f for f in download if f["properties"]["layer"] == "control_zones")
    assert zone_feature["properties"]["review"] == "verified"
    assert zone_feature["properties"]["edited"] == ["geometry", "actor"]
    assert zone_feature["properties"]["note"] == PAYLOAD
    assert zone_feature["geometry"] != drawn
    assert any(region in (f["properties"].get("places") or ()) for f in download)
    items = read_json(f"{live_server.url}/ogc/collections/control_zones/items?f=json&limit=1000")
    mine = [f for f in items["features"] if f["properties"]["document"] == record.id]
    assert [f["properties"]["review"] for f in mine] == ["verified"]
    assert mine[0]["geometry"] == zone_feature["geometry"]
    flows = read_json(f"{live_server.url}/ogc/collections?f=json")
    flow_ids = {c["id"] for c in flows["collections"]}
    if "displacement" in flow_ids:
        shown = read_json(f"{live_server.url}/ogc/collections/displacement/items?f=json")
        assert all(f["properties"]["document"] != record.id for f in shown["features"])
    # hostile text stays text: in the tables and in the map's popups
    assert PAYLOAD in feature_row(page, "control_zones").inner_text()
    popup = page.evaluate(OPEN_ZONE_POPUP)
    assert PAYLOAD in popup and "verified by an editor" in popup
    assert page.locator(".leaflet-popup img, main img").count() == 0
    assert page.evaluate("window.__xss") is None and page.dialogs == []

    assert_no_csp_violation(page)
    assert_local_only(page)


SELECT_WORD = """(word) => {
  const text = document.getElementById('doc-text');
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
  return false;
}"""


def test_a_missing_place_is_added_by_selecting_text_and_searching(page, editing):
    live_app, live_server = editing
    text = "Fighters were seen near Tessalit and in the hills beyond, witnesses said."
    with live_app.app_context():
        record = ingest(get_store(), Submission(text=text, title="Add a place", lang="en"))
    page.goto(f"{live_server.url}/documents/{record.id}")
    assert page.evaluate(SELECT_WORD, "hills")
    form = page.locator("#add-mention-form")
    start = text.index("hills")
    assert form.locator("input[name=start]").input_value() == str(start)
    assert form.locator("input[name=end]").input_value() == str(start + len("hills"))
    search = page.locator("#gazetteer-q")
    search.fill("")
    search.type("Tombou", delay=30)
    page.wait_for_function(
        "() => document.querySelectorAll('#gazetteer-results option').length > 0")
    label = page.locator("#gazetteer-results option").first.get_attribute("value")
    search.fill(label)  # what choosing a suggestion does
    place = form.locator("input[name=place]").input_value()
    assert place
    form.locator("button[type=submit]").click()
    page.wait_for_url("**saved=1**")
    row = page.locator("#edit-mentions tr", has_text="hills").first
    assert place in row.inner_text()
    mentions = read_json(f"{live_server.url}/api/v1/documents/{record.id}")["document"]["mentions"]
    added = next(m for m in mentions if m["surface"] == "hills")
    assert (added["start"], added["place"]["id"], added["review"]) == (start, place, "added")

    # a feature the parser missed: select its sentence, draw it on the map
    wait_for_map(page)
    assert page.evaluate(SELECT_WORD, "Fighters were seen near")
    feature = page.locator("#add-feature-form")
    assert feature.locator("input[name=start]").input_value() == "0"
    feature.locator("select[name=layer]").select_option("sanctuaries")
    feature.locator("input[name=name]").fill("Hills beyond Tessalit")
    feature.locator(".draw-button").click()
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    corners = [(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.4)]  # the last click closes it
    for fx, fy in corners:
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        page.wait_for_timeout(300)  # separate clicks, not a double click
    page.wait_for_function("() => document.querySelector("
                           "'#add-feature-form textarea[name=geometry]').value !== ''")
    screenshot(page, "corrections-draw")
    drawn = json.loads(feature.locator("textarea[name=geometry]").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
    feature.locator("button[type=submit]").click()
    page.wait_for_url("**saved=2**")
    shown = read_json(f"{live_server.url}/documents/{record.id}.geojson")["features"]
    new = [f for f in shown if f["properties"].get("edited") == ["added"]]
    assert [(f["properties"]["name"], f["properties"]["layer"]) for f in new] == [
        ("Hills beyond Tessalit", "sanctuaries")]
    assert new[0]["properties"]["evidence"][0]["text"] == "Fighters were seen near"
    assert_no_csp_violation(page)
    assert_local_only(page)
