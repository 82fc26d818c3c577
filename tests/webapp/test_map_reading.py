"""Reading a map in real Chromium: every feature reachable by a real click, points side by side.

The seed map is the project's source article mapped through the real pipeline; the
clicks are real mouse clicks at screen pixels (Playwright), not events fired in script.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.webapp.conftest import ARTIFACTS, screenshot
from tests.webapp.stored import collection
from tests.webapp.test_browser import assert_local_only, show_every_layer, wait_for_map
from tests.webapp.test_timeline_browser import event, zone
from webapp.ingest import Submission, ingest
from webapp.store import get_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAP = "window[document.querySelector('[data-map-name]').getAttribute('data-map-name')]"
EVENT_FEATURES = f"""() => {{
  const map = {MAP};
  return map._kharitaFeatures
    .filter(l => map.hasLayer(l) && l.feature.properties.layer !== 'mentions')
    .map(l => ({{layer: l.feature.properties.layer, name: l.feature.properties.name}}));
}}"""
# Frame feature i, then find a screen pixel where a click lands on the map's features and
# feature i is among the shapes under the pointer (not covered by a control or a popup).
FRAME = f"""(i) => {{
  const map = {MAP};
  map.closePopup();
  const l = map._kharitaFeatures.filter(l => map.hasLayer(l)
                                       && l.feature.properties.layer !== 'mentions')[i];
  if (l.getBounds) map.fitBounds(l.getBounds(), {{animate: false, maxZoom: 9}});
  else map.setView(l._kharitaAt || l.getLatLng(), 8, {{animate: false}});
}}"""
FIND_PIXEL = f"""(i) => {{
  const map = {MAP};
  const l = map._kharitaFeatures.filter(l => map.hasLayer(l)
                                       && l.feature.properties.layer !== 'mentions')[i];
  const box = map.getContainer().getBoundingClientRect();
  const target = l.getElement();
  const candidates = [];
  if (l.getLatLngs && !(l instanceof L.Polygon)) {{  // a line: points along it
    const flat = l.getLatLngs().flat(3);
    for (let k = 1; k < flat.length; k++) {{
      for (const t of [0.25, 0.5, 0.75]) {{
        const a = map.latLngToContainerPoint(flat[k - 1]), b = map.latLngToContainerPoint(flat[k]);
        candidates.push([a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t]);
      }}
    }}
  }} else if (l.getLatLngs) {{  // an area: a grid over its box
    const r = target.getBoundingClientRect();
    for (let gx = 1; gx < 24; gx++) for (let gy = 1; gy < 24; gy++)
      candidates.push([r.left - box.left + r.width * gx / 24,
                       r.top - box.top + r.height * gy / 24]);
  }} else {{
    const p = map.latLngToContainerPoint(l.getLatLng());
    candidates.push([p.x, p.y]);
  }}
  for (const [cx, cy] of candidates) {{
    const x = box.left + cx, y = box.top + cy;
    if (x < box.left + 60 || x > box.right - 60) continue;  // clear of the controls
    if (y < box.top + 90 || y > box.bottom - 40) continue;
    const top = document.elementFromPoint(x, y);
    if (!top || !top._kharitaFeature) continue;
    if (document.elementsFromPoint(x, y).includes(target)) return [x, y];
  }}
  return null;
}}"""
POPUP = f"""() => {{
  const map = {MAP};
  const open = map._popup && map._popup.isOpen() && map._popup.getElement();
  const box = open && open.querySelector('.kh-popup');
  if (!box) return null;
  const buttons = [...box.querySelectorAll('button[data-layer]')];
  return {{choice: box.classList.contains('kh-choice'),
          title: box.querySelector('h3').textContent,
          layer: box.getAttribute('data-layer'),
          buttons: buttons.map(b => [b.getAttribute('data-layer'), b.textContent])}};
}}"""


@pytest.fixture(scope="module")
def seed_map(live_app, seed_text) -> str:
    """The seed article's own map, stored through the real pipeline."""
    with live_app.app_context():
        return ingest(get_store(), Submission(text=seed_text, title="Seed")).map_id


def test_every_event_feature_of_the_seed_map_opens_by_clicking(page, live_server, seed_map):
    page.goto(f"{live_server.url}/maps/{seed_map}?lang=en")
    wait_for_map(page)
    show_every_layer(page)  # the places mentioned and the background too
    page.locator(".kh-legend summary").click()  # fold the legend away
    features = page.evaluate(EVENT_FEATURES)
    assert len(features) >= 15, features
    missed = []
    for i, feature in enumerate(features):
        page.evaluate(FRAME, i)
        pixel = page.evaluate(FIND_PIXEL, i)
        if pixel is None:
            missed.append((feature, "no pixel"))
            continue
        page.mouse.click(*pixel)
        popup = page.evaluate(POPUP)
        if popup and popup["choice"]:
            wanted = [n for n, (layer, text) in enumerate(popup["buttons"])
                      if layer == feature["layer"] and text.endswith(": " + feature["name"])]
            assert wanted, (feature, popup)
            page.locator(".leaflet-popup .kh-choice button").nth(wanted[0]).click()
            popup = page.evaluate(POPUP)
        if not popup or (popup["layer"], popup["title"]) != (feature["layer"], feature["name"]):
            missed.append((feature, popup))
    assert not missed, missed
    assert_local_only(page)


def test_points_at_the_same_place_sit_side_by_side(page, live_server, seed_map):
    """The meeting in Mauritania and the mention of Mauritania share a point; both show."""
    page.goto(f"{live_server.url}/maps/{seed_map}?lang=en")
    wait_for_map(page)
    show_every_layer(page)
    centres = page.evaluate(f"""() => {{
      const map = {MAP};
      return map._kharitaFeatures.filter(l => map.hasLayer(l) && l.getRadius)
        .map(l => {{ const p = map.latLngToContainerPoint(l.getLatLng());
                     return [l.feature.properties.layer, l.feature.properties.name, p.x, p.y,
                             l.getRadius()]; }});
    }}""")
    meetings = [c for c in centres if c[0] == "meetings"]
    assert meetings and any(c[0] == "mentions" for c in centres), centres
    for layer, name, x, y, radius in centres:
        for other in centres:
            if other[0] != layer and other[1] == name:
                gap = ((other[2] - x) ** 2 + (other[3] - y) ** 2) ** 0.5
                assert gap >= radius, (layer, other[0], name, gap)
    screenshot(page, "seed-map-points-side-by-side")


def test_the_arabic_seed_map_names_every_event_feature_in_arabic(page, live_server, seed_map):
    page.goto(f"{live_server.url}/maps/{seed_map}?lang=ar")
    wait_for_map(page)
    show_every_layer(page)
    shown = page.evaluate(f"""() => {{
      const map = {MAP};
      return map._kharitaFeatures.filter(l => map.hasLayer(l)
                                          && l.feature.properties.layer !== 'mentions')
        .map(l => {{ kharita.openAt(map, [l], l.getBounds ? l.getBounds().getCenter()
                                                          : l.getLatLng());
                     const box = map._popup.getElement();
                     return [box.querySelector('h3').textContent,
                             [...box.querySelectorAll('td')].map(td => td.textContent)]; }});
    }}""")
    assert len(shown) >= 15
    latin = [(title, cells) for title, cells in shown
             if re.search("[A-Za-z]", title) or any(re.fullmatch("[A-Za-z ,]+", c) for c in cells)]
    assert not latin, latin


def test_filters_search_and_a_share_link_that_restores_them(browser, page, live_server, seed_map):
    page.goto(f"{live_server.url}/maps/{seed_map}?lang=en")
    wait_for_map(page)
    page.click(".kh-finder summary")
    page.select_option(".kh-finder select[name=actor]", "AQIM")
    page.locator(".kh-finder input[name=confidence]").fill("0.5")
    on_map = f"""() => {{
      const map = {MAP};
      return map._kharitaFeatures.filter(l => map.hasLayer(l)
                                          && l.feature.properties.layer !== 'mentions')
        .map(l => [l.feature.properties.actor, l.feature.properties.confidence]);
    }}"""
    kept = page.evaluate(on_map)
    assert kept and all(actor == "AQIM" and confidence >= 0.5 for actor, confidence in kept)
    assert page.locator(".kh-count").text_content().startswith(f"{len(kept)} of ")
    page.evaluate(f"() => {{ {MAP}.setView([19.5, -2.5], 6, {{animate: false}}); }}")
    page.click(".kh-share")
    link = page.locator(".kh-share").get_attribute("data-href")
    assert "actor=AQIM" in link and "confidence=0.5" in link and "map=6/19.5" in link

    other = browser.new_page()
    try:
        other.goto(link)
        wait_for_map(other)
        assert other.evaluate(on_map) == kept
        view = other.evaluate(f"() => [{MAP}.getZoom(), {MAP}.getCenter().lat]")
        assert view[0] == 6 and abs(view[1] - 19.5) < 0.01
        assert other.locator(".kh-finder select[name=actor]").input_value() == "AQIM"
    finally:
        other.close()

    page.select_option(".kh-finder select[name=actor]", "")
    page.locator(".kh-finder input[name=confidence]").fill("0")
    page.wait_for_function("() => window.kharita && document.querySelectorAll('.kh-label').length")
    page.fill(".kh-finder input[type=search]", "nouakch")
    page.click(".kh-results button >> nth=0")
    centre = page.evaluate(f"() => {MAP}.getCenter()")
    assert abs(centre["lat"] - 18.09) < 0.3 and abs(centre["lng"] + 15.98) < 0.3, centre
    page.fill(".kh-finder input[type=search]", "corridor")
    page.click(".kh-results button >> nth=0")
    assert "corridor" in page.evaluate(POPUP)["title"]
    assert_local_only(page)


def test_keyboard_reaches_the_controls_first_and_the_list_opens_features(page, live_server,
                                                                         seed_map):
    page.goto(f"{live_server.url}/maps/{seed_map}?lang=fr")
    wait_for_map(page)
    container = page.locator(".leaflet-container")
    assert container.get_attribute("aria-label").startswith("Carte")
    page.locator(".map-frame").evaluate("""frame => {
      const before = document.createElement('button');
      before.id = 'before-map'; frame.before(before); before.focus(); }""")
    reached = []
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const n = document.activeElement;
          return n.className.baseVal !== undefined ? 'shape'
               : (n.closest('.leaflet-control') ? n.closest('.leaflet-control').className
                                                  .split(' ')[0] : n.tagName); }"""))
    first_shape = reached.index("shape") if "shape" in reached else len(reached)
    assert reached[0] == "DIV", reached  # the map itself, named
    assert {"leaflet-control-zoom", "leaflet-control-layers", "kh-finder"} <= set(
        reached[:first_shape]), reached

    page.click(".kh-feature-list summary")
    item = page.locator(".kh-list-item[data-layer=pursuit_corridors] >> nth=0")
    name = item.text_content()
    assert "corridor" in name and "–" in name  # in French: "corridor Algérie–Mali"
    item.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(POPUP)["title"] == name
    assert page.evaluate(f"() => {MAP}.getZoom()") >= 4


def _export_view(page, url: str, kind: str) -> tuple[Path, str]:
    """Open ``url``, save its view as ``kind`` (png or svg) with the network off (drawn
    from what the page holds), keep it under test-artifacts/; its path and name."""
    page.goto(url)
    wait_for_map(page)
    page.wait_for_function("() => document.querySelectorAll('.kh-label').length > 3")
    page.context.set_offline(True)
    with page.expect_download() as download:
        page.click(f"[data-export-{kind}]")
    page.context.set_offline(False)
    ARTIFACTS.mkdir(exist_ok=True)
    lang = url.rsplit("lang=", 1)[-1]
    path = ARTIFACTS / f"map-export-{lang}.{kind}"
    download.value.save_as(path)
    return path, download.value.suggested_filename


def test_the_current_view_saves_as_a_png_with_legend_title_and_credits(page, live_server,
                                                                       seed_map):
    path, _ = _export_view(page, f"{live_server.url}/maps/{seed_map}?lang=ar", "png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    size = page.evaluate(f"() => {MAP}.getSize()")
    assert (width, height) == (size["x"] * 2, size["y"] * 2)
    # read the pixels back in the browser: the palette's colours are in the image
    found = page.evaluate("""async (b64) => {
      const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
      const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
      const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < px.length; i += 4 * 7)
        colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      const top = ctx.getImageData(0, 0, c.width, 60).data;  // the title bar: dark text on white
      let dark = 0;
      for (let i = 0; i < top.length; i += 4) if (top[i] < 80 && top[i+1] < 80) dark++;
      return {colours: colours.size, dark};
    }""", base64.b64encode(data).decode())
    assert found["colours"] > 50 and found["dark"] > 100, found
    legend = page.evaluate(f"() => {MAP}._kharitaLegend.map(e => e.label)")
    drawn = page.evaluate(f"""() => {{
      const texts = [];
      const ctx = CanvasRenderingContext2D.prototype, fill = ctx.fillText;
      ctx.fillText = function (text, ...rest) {{
        texts.push(text); return fill.call(this, text, ...rest); }};
      kharita.drawView({MAP}, 'عنوان', 'Natural Earth · GeoNames');
      ctx.fillText = fill;
      return texts;
    }}""")
    assert "عنوان" in drawn and any("GeoNames" in t for t in drawn)
    assert set(drawn) & set(legend) and "مالي" in drawn  # legend entries and place names


def test_the_current_view_saves_as_an_svg_with_the_features_legend_title_and_credits(
        page, live_server, seed_map):
    path, filename = _export_view(page, f"{live_server.url}/maps/{seed_map}?lang=fr", "svg")
    assert filename == f"kharita-{seed_map}.svg"
    svg = ElementTree.parse(path).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    drawn = page.evaluate(f"""() => {{
      const map = {MAP};
      return map._kharitaFeatures.filter(l => map.hasLayer(l)).map(l => l.feature.properties.layer);
    }}""")
    shapes = svg.findall(".//s:g[@class='kh-svg-features']/*[@data-layer]", ns)
    assert sorted(s.get("data-layer") for s in shapes) == sorted(drawn) and drawn
    corridors = [s for s in shapes if s.get("data-layer") == "pursuit_corridors"]  # buffered areas
    assert corridors and all(s.get("d", "").startswith("M") and s.get("d").endswith("Z")
                             and s.get("fill").startswith("#") for s in corridors)
    assert svg.findall(".//s:g[@class='kh-svg-basemap']/s:path", ns)  # countries in view
    credits = svg.find(".//s:text[@class='kh-svg-credits']", ns).text
    assert "Natural Earth" in credits and "GeoNames" in credits
    assert svg.find(".//s:text[@class='kh-svg-title']", ns).text == "Seed"
    legend = {t.text for t in svg.findall(".//s:g[@class='kh-svg-legend']/s:text", ns)}
    layer_names = page.evaluate(f"() => {MAP}._kharitaLegend.map(e => e.label)")
    assert legend and legend <= set(layer_names)
    assert_local_only(page)


def test_a_large_map_draws_on_a_canvas_and_a_click_still_lists_what_overlaps(page, live_app,
                                                                            live_server):
    """Over a thousand features are drawn on one canvas, not an SVG element each; a real
    click on an attack inside a control zone still offers both, with their text as text."""
    far = [event(f"far{n}", -10 + (n % 40) * 0.05, 30 + (n // 40) * 0.05, "2024-01-02")
           for n in range(1_100)]
    near = event("<b>Kidal</b>", 1.41, 18.44, "2024-01-03")
    with live_app.app_context():
        store = get_store()
        doc = store.add_document(text="large", title="Large", lang="en", mentions=[],
                                 published=date(2024, 1, 5),
                                 layers={"attacks": collection(*far, near),
                                         "control_zones": collection(zone("MNLA", 1.41, 18.44))})
        map_id = store.create_map(title="Large", document_ids=[doc.id]).id
    page.goto(f"{live_server.url}/maps/{map_id}?lang=en")
    wait_for_map(page)
    drawn = page.evaluate("""() => ({
      paths: document.querySelectorAll('.leaflet-overlay-pane path').length,
      canvases: document.querySelectorAll('.leaflet-overlay-pane canvas').length})""")
    assert drawn == {"paths": 0, "canvases": 1}
    pixel = page.evaluate(f"""() => {{
      const map = {MAP};
      map.setView([18.44, 1.41], 9, {{animate: false}});
      const p = map.latLngToContainerPoint([18.44, 1.41]);
      const box = map.getContainer().getBoundingClientRect();
      return [box.left + p.x, box.top + p.y];
    }}""")
    page.mouse.click(*pixel)
    page.wait_for_function(f"() => !!({POPUP})()")
    popup = page.evaluate(POPUP)
    assert popup["choice"], popup
    assert sorted(popup["buttons"]) == [["attacks", "Attacks: <b>Kidal</b>"],
                                        ["control_zones", "Control zones: Kidal"]]
