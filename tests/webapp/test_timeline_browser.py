"""The timeline in real Chromium: slider, play, URL state, embeds, and its speed per step."""

from __future__ import annotations

import random
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.webapp.stored import collection, point
from tests.webapp.test_browser import assert_local_only, assert_no_csp_violation, wait_for_map
from webapp.store import get_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOWN = "() => document.querySelector('.folium-map').getAttribute('data-timeline-shown')"
DRAWN = """() => {
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  const out = [];
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.layer && p.layer !== 'mentions') out.push(p.name + '|' + (p.actor || ''));
  });
  return out.sort();
}"""


def event(name: str, lon: float, lat: float, day: str) -> dict:
    feature = point(name, lon, lat)
    feature["properties"].update(layer="attacks", date=day, date_source="text")
    return feature


def zone(actor: str, lon: float, lat: float, day: str | None = None) -> dict:
    ring = [[lon - 0.3, lat - 0.3], [lon + 0.3, lat - 0.3], [lon + 0.3, lat + 0.3],
            [lon - 0.3, lat + 0.3], [lon - 0.3, lat - 0.3]]
    props = {"layer": "control_zones", "name": "Kidal", "confidence": 0.8, "precision": 1,
             "actor": actor, "places": ["gn:2455290"], "evidence": [], "trigger": "seized"}
    if day:
        props["date"] = day
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": props}


@pytest.fixture(scope="module")
def timed_map(live_app) -> str:
    """Kidal held by MNLA from 5 Jan, retaken by the army on 1 Mar; attacks in Jan and Feb."""
    with live_app.app_context():
        store = get_store()
        first = store.add_document(
            text="January", title="January report", lang="en", mentions=[],
            published=date(2024, 1, 10),
            layers={"attacks": collection(event("Aguelhok", 1.05, 19.46, "2024-01-07")),
                    "control_zones": collection(zone("MNLA", 1.41, 18.44, "2024-01-05"))})
        second = store.add_document(
            text="March", title="March report", lang="en", mentions=[],
            published=date(2024, 3, 1),
            layers={"attacks": collection(event("Anefis", 0.93, 17.98, "2024-02-20")),
                    "control_zones": collection(zone("Malian army", 1.41, 18.44))})
        return store.create_map(title="Kidal 2024", document_ids=[first.id, second.id]).id


def wait_for_timeline(page) -> None:
    wait_for_map(page)
    page.wait_for_function("() => !!document.querySelector('.kh-timeline-slider')",
                           timeout=15000)


def slide_to(page, day: str) -> None:
    """Move the timeline's slider (noUiSlider) to ``day`` through its own API."""
    days = (date.fromisoformat(day) - date(1970, 1, 1)).days
    moved = page.evaluate("""days => {
      const slider = document.querySelector('.kh-timeline-slider').noUiSlider;
      if (slider) slider.set(days);
      return !!slider;
    }""", days)
    if not moved:
        pytest.fail("noUiSlider is not installed: run scripts/vendor-js.sh")


def test_slider_moves_features_and_the_url_restores_them(page, live_server, timed_map) -> None:
    page.goto(f"{live_server.url}/maps/{timed_map}")
    wait_for_timeline(page)
    everything = page.evaluate(DRAWN)
    assert everything == ["Aguelhok|", "Anefis|", "Kidal|MNLA", "Kidal|Malian army"]
    assert page.inner_text(".kh-timeline-label") == "All dates"

    slide_to(page, "2024-01-20")
    assert page.evaluate(DRAWN) == ["Aguelhok|", "Kidal|MNLA"]
    assert parse_qs(urlsplit(page.url).query)["at"] == ["2024-01-20"]
    slide_to(page, "2024-03-01")  # retaken that day; Anefis (20 Feb) within 30 days
    assert page.evaluate(DRAWN) == ["Anefis|", "Kidal|Malian army"]
    restored = page.url

    page.goto(restored)  # a shared link opens on the same moment
    wait_for_timeline(page)
    assert page.evaluate(DRAWN) == ["Anefis|", "Kidal|Malian army"]
    assert page.inner_text(".kh-timeline-label") == "As of 2024-03-01"
    page.click(".kh-timeline-all")
    assert len(page.evaluate(DRAWN)) == 4
    assert "at=" not in page.url
    assert_no_csp_violation(page)
    assert_local_only(page)


def test_play_runs_through_time_and_stops_at_the_end(page, live_server, timed_map) -> None:
    page.goto(f"{live_server.url}/maps/{timed_map}")
    wait_for_timeline(page)
    page.click(".kh-timeline-play")
    assert page.get_attribute(".kh-timeline-play", "aria-pressed") == "true"
    seen = set()
    page.wait_for_function("() => document.querySelector('.kh-timeline-play')"
                           ".getAttribute('aria-pressed') === 'false'", timeout=60000)
    seen.add(tuple(page.evaluate(DRAWN)))
    assert page.inner_text(".kh-timeline-label") == "As of 2024-03-01"  # the last day
    assert ("Anefis|", "Kidal|Malian army") in seen


def test_embed_opens_on_a_window_and_the_builder_writes_it(page, live_server,
                                                         timed_map) -> None:
    page.goto(f"{live_server.url}/embed/{timed_map}?from=2024-01-01&to=2024-01-31")
    wait_for_timeline(page)
    assert page.evaluate(DRAWN) == ["Aguelhok|", "Kidal|MNLA"]
    assert page.inner_text(".kh-timeline-label") == "2024-01-01 – 2024-01-31"

    page.goto(f"{live_server.url}/maps/{timed_map}")
    wait_for_map(page)
    page.fill("#embed-builder input[name=at]", "2024-02-25")
    page.dispatch_event("#embed-builder input[name=at]", "change")
    page.wait_for_function("() => document.getElementById('embed-code').value"
                           ".includes('at=2024-02-25')")
    preview = page.frame_locator("#embed-preview")
    preview.locator(".kh-timeline-label").wait_for()
    assert preview.locator(".kh-timeline-label").inner_text() == "As of 2024-02-25"


def test_bad_moments_are_a_400(page, live_server, timed_map) -> None:
    for path in (f"/maps/{timed_map}?at=yesterday", f"/embed/{timed_map}?from=2024-02-01",
                 f"/embed/{timed_map}?from=2024-03-01&to=2024-02-01"):
        assert page.goto(live_server.url + path).status == 400


def test_filter_time_per_step_on_many_features(page, live_app, live_server, capsys) -> None:
    """10,000 dated attacks over a year, plus 200 control zones: < 100 ms per step."""
    rng = random.Random(15)
    start = date(2024, 1, 1)
    attacks = [event(f"a{n}", rng.uniform(-5, 5), rng.uniform(12, 22),
                     (start + timedelta(days=rng.randrange(366))).isoformat())
               for n in range(10_000)]
    zones = [zone(f"actor{n % 3}", rng.uniform(-5, 5), rng.uniform(12, 22),
                  (start + timedelta(days=rng.randrange(366))).isoformat()) for n in range(200)]
    with live_app.app_context():
        store = get_store()
        doc = store.add_document(text="many", title="Many", lang="en", mentions=[],
                                 published=date(2025, 1, 1),
                                 layers={"attacks": collection(*attacks),
                                         "control_zones": collection(*zones)})
        map_id = store.create_map(title="Many", document_ids=[doc.id]).id
    page.goto(f"{live_server.url}/maps/{map_id}")
    page.wait_for_function("() => !!document.querySelector('.kh-timeline-slider')",
                           timeout=120000)
    paint = wait_for_map(page)
    stats = page.evaluate("""() => {
      const t = kharita.timeline, out = [];
      for (let day = t.range[0]; day <= t.range[1]; day += 7) {
        const before = kharita.timelineStats.totalMs;
        t.moveTo(day, true);
        out.push(kharita.timelineStats.totalMs - before);
      }
      return {steps: out, features: kharita.timelineStats.features};
    }""")
    steps = stats["steps"]
    mean, worst = sum(steps) / len(steps), max(steps)
    with capsys.disabled():
        print(f"\ntimeline filter: {stats['features']} features, {len(steps)} steps of 7 days, "
              f"mean {mean:.1f} ms, max {worst:.1f} ms per step (the first, from all dates: "
              f"{steps[0]:.1f} ms); first map paint {paint:.0f} ms")
    assert stats["features"] >= 10_200
    assert mean < 100, steps
    # one canvas, not an SVG element per feature: no element to add or take away per step
    paths = "() => document.querySelectorAll('.leaflet-overlay-pane path').length"
    assert page.evaluate(paths) == 0


def test_the_popup_of_a_merged_event_lists_its_sources(page, live_app, live_server) -> None:
    with live_app.app_context():
        store = get_store()
        docs = [store.add_document(
            text=f"r{n}", title=title, lang="en", mentions=[], source_url=url,
            published=date(2024, 3, 4 + n),
            layers={"attacks": collection(event("Menaka", 2.40, 15.92, "2024-03-03"))})
            for n, (title, url) in enumerate([("RFI", "https://www.rfi.fr/1"),
                                              ("<img src=x onerror=alert(1)>", "javascript:x")])]
        map_id = store.create_map(title="Merged", document_ids=[d.id for d in docs]).id
    for path in (f"/maps/{map_id}", f"/embed/{map_id}"):
        page.goto(live_server.url + path)
        wait_for_timeline(page)
        # the map's data leaves the sources out: the popup asks for them when it opens
        assert page.evaluate(ATTACK_SOURCES) == [None]
        page.evaluate(CLICK_ATTACKS)
        items = page.locator(".kh-popup .kh-sources li")
        items.first.wait_for()
        assert items.count() == 2
        assert items.nth(0).locator("a").get_attribute("href") == "https://www.rfi.fr/1"
        assert items.nth(1).locator("a").count() == 0  # no javascript: link
        assert "<img src=x" in items.nth(1).inner_text()  # the title stays text
        merged = page.inner_text(".kh-popup .kh-merged")
        assert "Independent sources: 2" in merged and "First reported 2024-03-04" in merged
        page.click(".kh-popup .kh-more summary")
        assert "Menaka" in page.inner_text(".kh-popup .kh-more")  # the evidence, asked for too
        assert page.evaluate(ATTACK_SOURCES) == [2]
        assert not page.dialogs
        assert_no_csp_violation(page)


ATTACKS = """const map = window[document.querySelector('[data-map-name]')
                 .getAttribute('data-map-name')];
  const attacks = [];
  map._kharitaGeoJSON.forEach(g => g.eachLayer(l => {
    if (l.feature.properties.layer === 'attacks') attacks.push(l);
  }));"""
ATTACK_SOURCES = f"""() => {{ {ATTACKS}
  return attacks.map(l => l.feature.properties.sources ? l.feature.properties.sources.length
                                                        : null); }}"""
CLICK_ATTACKS = f"""() => {{ {ATTACKS}
  attacks.forEach(l => l.fire('click', {{latlng: l.getLatLng()}}, 1)); }}"""


def test_the_slider_is_the_served_nouislider_and_takes_keys_in_arabic(page, live_server,
                                                                      timed_map) -> None:
    page.goto(f"{live_server.url}/maps/{timed_map}?lang=ar&at=2024-01-20")
    wait_for_timeline(page)
    scripts = page.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
    assert any(src.endswith("/static/vendor/nouislider/nouislider.min.js") for src in scripts)
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    handle = page.locator(".kh-timeline-slider .noUi-handle")
    assert handle.get_attribute("aria-valuetext") is not None
    assert page.evaluate(DRAWN) == ["Aguelhok|", "Kidal|MNLA"]
    handle.focus()
    for _ in range(41):  # a day a key, left to right as the dates read: 20 Jan + 41 = 1 Mar
        page.keyboard.press("ArrowRight")
    assert parse_qs(urlsplit(page.url).query)["at"] == ["2024-03-01"]
    assert page.evaluate(DRAWN) == ["Anefis|", "Kidal|Malian army"]
    assert_no_csp_violation(page)
    assert_local_only(page)
