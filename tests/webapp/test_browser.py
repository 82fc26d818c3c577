"""Real-browser tests: Chromium through Playwright against a real waitress server.

Every test also checks that no request left the machine (loopback only).
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import html
import json
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.webapp.conftest import TEXT_AR, TEXT_EN, XSS_TEXT, LiveServer, sample_result, screenshot
from webapp.ingest import Submission, ingest
from webapp.store import get_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAINT = "kharita:first-map-paint"
DRAWN = """() => {
  const holder = document.querySelector('[data-map-name]');
  const map = window[holder.getAttribute('data-map-name')];
  const shown = {};
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.layer) shown[p.layer] = (shown[p.layer] || 0) + 1;
  });
  // features loaded per layer, shown or not (the places mentioned start hidden)
  const layers = JSON.parse(map.getContainer().getAttribute('data-layer-counts') || '{}');
  return {layers, shown, paths: document.querySelectorAll('.leaflet-overlay-pane path').length};
}"""
SHOW_EVERY_LAYER = """() => document.querySelectorAll('.leaflet-control-layers-overlays input')
  .forEach(box => { if (!box.checked) box.click(); })"""
OPEN_EVERY_POPUP = """() => {
  document.querySelectorAll('.leaflet-control-layers-overlays input')
    .forEach(box => { if (!box.checked) box.click(); });
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  const opened = [];
  map.eachLayer(l => {
    if (!(l.feature && l.feature.properties.layer)) return;
    const at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
    l.fire('click', {latlng: at}, true);  // propagate to the GeoJSON group's popup
    opened.push(document.querySelector('.leaflet-popup-content').textContent);
  });
  return opened;
}"""


#: The issue's budget for the first map paint, on an idle machine.
PAINT_BUDGET_MS = 1500
#: What the load event of a trivial page (/signin) of the test server takes on an idle
#: machine, best of 3 (measured at 50-60 ms on the 2-core development box).
TRIVIAL_PAGE_MS = 60
#: The most a loaded machine may stretch the budget: a map that paints slowly still fails.
MAX_SLOWDOWN = 3.0


def paint_budget(browser, server: LiveServer) -> float:
    """The first-paint budget for this machine now, in ms.

    Paint times are read inside the page (the Performance API mark's time since
    navigation start, so Playwright's own round trips do not count), and callers take the
    best of several loads (a passing stall does not fail the test). What remains is a
    machine shared with other work, where every page is slower: the budget grows with the
    best of 3 loads of a trivial page of the same server against its idle time, at most
    ``MAX_SLOWDOWN`` times (so 1.5 s on an idle machine, never more than 4.5 s).
    """
    context = browser.new_context()
    try:
        trivial = context.new_page()
        times = []
        for _ in range(3):
            trivial.goto(server.url + "/signin")
            times.append(trivial.evaluate(
                "() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
    finally:
        context.close()
    slowdown = min(MAX_SLOWDOWN, max(1.0, min(times) / TRIVIAL_PAGE_MS))
    return PAINT_BUDGET_MS * slowdown


def best_paint(target, runs: int = 3) -> float:
    """The best first map paint (ms since navigation) of ``runs`` reloads of ``target``."""
    times = []
    for _ in range(runs):
        target.reload()
        times.append(wait_for_map(target))
    return min(times)


def wait_for_map(target) -> float:
    """Wait for the first-map-paint mark and return its time (ms since navigation)."""
    # functions, not expression strings: Playwright evals strings, which the CSP refuses
    target.wait_for_function(f"() => performance.getEntriesByName('{PAINT}').length > 0",
                             timeout=15000)
    return target.evaluate(f"performance.getEntriesByName('{PAINT}')[0].startTime")


def show_every_layer(target) -> None:
    """Turn every layer on in the switcher and wait for those a map loads when shown
    (the places mentioned under events: ``static/kharita-map.js``)."""
    target.evaluate(SHOW_EVERY_LAYER)
    target.wait_for_function("""() => !document.querySelector(
      '[data-mentions=later], [data-mentions=loading]')""", timeout=15000)


def assert_no_csp_violation(page) -> None:
    assert not page.csp_violations, f"the page's CSP refused: {page.csp_violations}"


def assert_local_only(page) -> None:
    remote = [u for u in page.requested
              if urlsplit(u).scheme in ("http", "https", "ws", "wss")
              and urlsplit(u).hostname not in ("127.0.0.1", "localhost")]
    assert not remote, f"requests left the machine: {remote}"


def paste(page, server: LiveServer, text: str, title: str) -> None:
    page.goto(server.url + "/")
    page.fill("#title", title)
    page.fill("#text", text)
    with page.expect_navigation():
        page.click("form.paste button[type=submit]")
    document = re.compile(r"/documents/d[0-9a-f]+(#.*)?$")  # the map keeps its view in the hash
    if "/jobs/" in page.url:  # the worker was still starting: the job page refreshes itself
        page.wait_for_url(document, timeout=90_000)
    assert document.search(page.url), page.url


def test_paste_arabic_text_draws_layers(browser, page, live_server):
    paste(page, live_server, TEXT_AR, "تقرير تجريبي")
    wait_for_map(page)  # after a POST and its redirect: timing includes the geoparse
    # full loads: the address now carries the map view in its hash, and going to the
    # same address with a hash is no navigation at all
    paint_ms = best_paint(page)
    drawn = page.evaluate(DRAWN)
    assert drawn["layers"].get("mentions", 0) >= 3, drawn
    assert len(drawn["layers"]) >= 2, f"expected event layers besides mentions: {drawn}"
    # the events are the map: the places mentioned start hidden, and the legend says so
    assert "mentions" not in drawn["shown"] and drawn["shown"], drawn
    legend = ".kh-legend li[data-layer=mentions]"
    assert "is-off" in page.get_attribute(legend, "class")
    page.evaluate(SHOW_EVERY_LAYER)  # one switcher: turning the layer on updates the legend
    assert page.evaluate(DRAWN)["shown"]["mentions"] == drawn["layers"]["mentions"]
    assert "is-off" not in (page.get_attribute(legend, "class") or "")
    assert page.locator("#doc-text .mention").count() >= 3
    assert page.get_attribute("#doc-text", "dir") == "auto"
    assert page.evaluate("getComputedStyle(document.getElementById('doc-text')).direction") == "rtl"
    budget = paint_budget(browser, live_server)
    assert paint_ms < budget, f"first map paint took {paint_ms:.0f} ms (budget {budget:.0f})"
    screenshot(page, "document-arabic-text")

    page.goto(page.url.split("#")[0] + "?lang=ar")
    wait_for_map(page)
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    page.locator("#doc-text .mention").first.click()
    assert page.locator(".mention.is-focused").count() == 1
    screenshot(page, "document-arabic-ui")
    assert_local_only(page)
    assert_no_csp_violation(page)


def test_download_geojson(page, live_server, tmp_path):
    paste(page, live_server, TEXT_AR, "GeoJSON download")
    with page.expect_download() as info:
        page.click("a[data-format=geojson]")
    download = info.value
    assert re.match(r"kharita-.*-m[0-9a-f]+\.geojson$", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["type"] == "FeatureCollection" and body["features"]
    assert {f["properties"]["layer"] for f in body["features"]} >= {"mentions"}
    assert len(body["bbox"]) == 4
    assert_local_only(page)


def embed_snippet(server: LiveServer, map_id: str) -> str:
    with urllib.request.urlopen(f"{server.url}/maps/{map_id}") as response:
        page_html = response.read().decode("utf-8")
    code = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page_html, re.S)
    return html.unescape(code.group(1))


def host_app(body: str):
    """A WSGI app standing for a newsroom page on another origin."""
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        doc = f"<!doctype html><html><body><h1>Newsroom</h1><p>Story.</p>{body}</body></html>"
        return [doc.encode("utf-8")]
    return app


@pytest.fixture
def stored_map(live_app):
    with live_app.app_context():
        record = ingest(get_store(), Submission(text=TEXT_AR, title="خريطة للتضمين"))
    return record.map_id


def test_embed_on_another_origin(browser, page, live_server, stored_map):
    snippet = embed_snippet(live_server, stored_map)
    framed_page = f'<iframe id="bad" src="{live_server.url}/maps/{stored_map}"></iframe>'
    other = LiveServer(host_app(snippet + framed_page))
    try:
        assert urlsplit(other.url).port != urlsplit(live_server.url).port
        page.goto(other.url + "/")
        frame = next(f for f in page.frames if "/embed/" in f.url)
        paint_ms = wait_for_map(frame)
        show_every_layer(frame)  # the places mentioned load when shown
        drawn = frame.evaluate(DRAWN)
        assert drawn["layers"].get("mentions", 0) >= 3
        assert frame.evaluate("""() => {
          const map = window[document.querySelector('[data-map-name]').dataset.mapName];
          return map.gestureHandling.enabled() && !map.scrollWheelZoom.enabled();
        }""")
        page.wait_for_function(
            "() => document.querySelector('iframe[data-kharita-map]').style.height !== '480px'"
        )
        width = page.evaluate("document.querySelector('iframe[data-kharita-map]').clientWidth")
        height = page.evaluate("document.querySelector('iframe[data-kharita-map]').style.height")
        assert height == f"{round(max(280, min(800, width * 0.66)))}px"
        refused = page.frame_locator("#bad").locator("body")
        assert "Kharita" not in (refused.inner_text(timeout=2000) if refused.count() else "")
        assert paint_ms < paint_budget(browser, live_server)  # one load, in a frame
        credits = frame.inner_text(".leaflet-control-attribution")
        assert "GeoNames" in credits and "Natural Earth" in credits and "Leaflet" in credits
        screenshot(page, "embed-other-origin")
        assert_local_only(page)
        # the one refusal is the map page framed on purpose above
        assert page.csp_violations and all("frame-ancestors 'none'" in v
                                           for v in page.csp_violations), page.csp_violations
    finally:
        other.close()


def test_xss_payload_is_text(page, live_server):
    paste(page, live_server, XSS_TEXT, '<script>window.__xss=3</script>')
    wait_for_map(page)
    assert page.evaluate(OPEN_EVERY_POPUP)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert '<img src=x onerror="window.__xss=1">' in page.inner_text("#doc-text")
    assert "<script>window.__xss=3</script>" in page.inner_text("h1")
    assert page.locator("#doc-text img, #doc-text script, .leaflet-popup img").count() == 0
    screenshot(page, "xss-as-text")
    assert_local_only(page)
    assert_no_csp_violation(page)


def test_seed_document_first_paint(browser, page, live_app, live_server, seed_text):
    with live_app.app_context():
        record = ingest(get_store(), Submission(text=seed_text, title="Seed"))
    page.goto(f"{live_server.url}/documents/{record.id}")
    wait_for_map(page)
    doc_ms = best_paint(page)
    drawn = page.evaluate(DRAWN)
    assert len(drawn["layers"]) >= 5, drawn
    embed_runs = []
    for _ in range(3):  # the best of 3 cold loads
        cold = browser.new_context(viewport={"width": 1200, "height": 900})  # empty cache
        try:
            embed = cold.new_page()
            embed.goto(f"{live_server.url}/embed/{record.map_id}")
            embed_ms = wait_for_map(embed)
            embed.wait_for_function(
                "() => performance.getEntriesByName('kharita:basemap-painted').length > 0")
            transfer = embed.evaluate("""() => performance.getEntriesByType('navigation')
                .concat(performance.getEntriesByType('resource'))
                .reduce((sum, e) => sum + (e.transferSize || 0), 0)""")
            embed_runs.append(embed_ms)
            screenshot(embed, "seed-embed")
        finally:
            cold.close()
    embed_ms = min(embed_runs)
    budget = paint_budget(browser, live_server)
    print(f"\nfirst map paint: document page {doc_ms:.0f} ms, embed (cold cache) {embed_ms:.0f} ms"
          f" (budget {budget:.0f} ms); embed transfer incl. Leaflet and basemap"
          f" {transfer / 1024:.0f} KiB")
    assert doc_ms < budget and embed_ms < budget
    assert_local_only(page)


def test_xss_in_feature_properties_stays_text(page, live_app, live_server):
    payload = '<img src=x onerror="window.__xss=4"><script>window.__xss=5</script>'
    mentions, layers = sample_result()
    for collection in layers.values():
        for feature in collection["features"]:
            feature["properties"].update(name=payload, actor=payload, trigger=payload)
            feature["properties"]["evidence"][0]["text"] = payload
    with live_app.app_context():
        record = get_store().add_document(text=TEXT_EN, title=payload, lang="en",
                                          mentions=mentions, layers=layers, map_title=payload)
    for url in (f"/maps/{record.map_id}", f"/embed/{record.map_id}"):
        page.goto(live_server.url + url)
        wait_for_map(page)
        show_every_layer(page)  # on the map page the places mentioned load when shown
        popups = page.evaluate(OPEN_EVERY_POPUP)
        assert len(popups) == 2 and all(payload in text for text in popups), popups
        # the evidence comes when the popup opens (maps.details): as text too
        page.wait_for_function("""() => [...document.querySelectorAll('.leaflet-popup .kh-more td')]
                                         .some(td => td.textContent.includes('__xss=4'))""")
        page.hover(".leaflet-overlay-pane path.leaflet-interactive >> nth=0", force=True)
        assert page.locator(".leaflet-popup img, .leaflet-tooltip img, main img").count() == 0
        assert page.evaluate("window.__xss") is None and page.dialogs == []
    screenshot(page, "xss-popup-as-text")


def test_every_page_runs_under_its_csp(page, live_server, stored_map):
    """The maps draw and the page scripts run with the strict policy; an injected inline
    script without the nonce is refused."""
    for path in ("/", f"/maps/{stored_map}", f"/embed/{stored_map}", "/maps/new", "/signin",
                 "/ogc/collections?f=html"):
        response = page.goto(live_server.url + path)
        policy = response.headers["content-security-policy"]
        assert ("script-src 'self' 'nonce-" in policy  # cached embeds list script hashes
                or "script-src 'self' 'sha256-" in policy) and "object-src 'none'" in policy, path
        if "/maps/m" in path or "/embed/" in path:
            wait_for_map(page)
            show_every_layer(page)  # the places mentioned load when shown
            assert page.evaluate(DRAWN)["layers"].get("mentions", 0) >= 1, path
    assert_no_csp_violation(page)
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__injected = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__injected") is None
    assert page.csp_violations, "an inline script without the nonce should have been refused"


def test_a_phone_never_scrolls_sideways(browser, live_app, live_server, stored_map):
    """At 390 px the document and map pages fit the screen; the legend starts folded."""
    with live_app.app_context():
        doc = ingest(get_store(), Submission(text=TEXT_EN, title="A report with a long table"))
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        phone = context.new_page()
        for path in (f"/documents/{doc.id}", f"/maps/{stored_map}", "/",
                     f"/embed/{stored_map}"):
            phone.goto(live_server.url + path)
            if path != "/":
                wait_for_map(phone)
                assert phone.evaluate("() => document.querySelector('.kh-legend').open") is False
            width = phone.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
        screenshot(phone, "phone-map")
    finally:
        context.close()


def test_the_offline_basemap_names_places_in_the_ui_language(page, live_server, stored_map):
    for lang, mali in (("en", "Mali"), ("ar", "مالي"), ("fr", "Mali")):
        page.goto(f"{live_server.url}/embed/{stored_map}?lang={lang}")
        wait_for_map(page)
        page.wait_for_function("() => document.querySelectorAll('.kh-label').length > 5")
        names = page.evaluate("() => [...document.querySelectorAll('.kh-label')]"
                              ".map(n => n.textContent)")
        assert mali in names, (lang, names[:20])
    assert_local_only(page)
    assert_no_csp_violation(page)


def test_the_embed_builder_previews_and_copies(page, live_server, stored_map):
    page.goto(f"{live_server.url}/maps/{stored_map}")
    wait_for_map(page)
    page.select_option("#embed-builder select[name=lang]", "ar")
    page.uncheck("#embed-builder input[name=legend]")
    page.wait_for_function("() => document.getElementById('embed-code').value.includes('lang=ar')"
                           " && document.getElementById('embed-code').value.includes('legend=0')"
                           " && document.getElementById('embed-preview').src.includes('legend=0')")
    code = page.input_value("#embed-code")
    assert "lang=ar" in code and "legend=0" in code
    preview = page.frame_locator("#embed-preview")
    assert preview.locator("html").get_attribute("lang") == "ar"
    page.click("[data-copy=embed-code]")
    assert page.get_attribute("[data-copy=embed-code]", "data-copied") == "1"
    assert "✓" in page.inner_text("[data-copy=embed-code]")
    assert_no_csp_violation(page)


HIDDEN_ON_MAP = """() => {
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  const hidden = ['past', 'negated', 'hypothetical'];
  const out = {drawn: [], background: 0, arrows: 0, bounds: map.getBounds().toBBoxString()};
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.layer && p.layer !== 'mentions') out.drawn.push([p.layer, p.status, p.inferred]);
    if (l instanceof L.Polyline && !l.feature && l.options.interactive === false) out.arrows++;
  });
  return out;
}"""


def test_background_and_inferred_features_are_off_the_default_map(page, live_app, live_server):
    text = ("Malian refugees fled from Menaka to Niamey on 2 May 2021. Jihadists attacked Gao on "
            "the same day. Drone strikes were used in the past against militants in Pakistan "
            "and Yemen. Drone strikes were also used in the past against militants in Timbuktu. "
            "Refugees also left Kidal.")
    with live_app.app_context():
        record = ingest(get_store(), Submission(text=text, title="Background", lang="en"))
    page.goto(f"{live_server.url}/documents/{record.id}")
    wait_for_map(page)
    seen = page.evaluate(HIDDEN_ON_MAP)
    layers = {layer for layer, _, _ in seen["drawn"]}
    assert {"attacks", "displacement"} <= layers, seen
    assert all(status not in ("past", "negated", "hypothetical") and not inferred
               for _, status, inferred in seen["drawn"]), seen
    assert seen["arrows"] >= 1  # the flow to Niamey ends in an arrowhead
    east = float(seen["bounds"].split(",")[2])
    assert east < 40, f"the first view reaches Asia: {seen['bounds']}"
    control = page.locator(".leaflet-control-layers-overlays label")
    assert control.filter(has_text="Background").count() == 1
    assert_local_only(page)
