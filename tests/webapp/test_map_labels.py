"""Basemap place names never overlap, on screen and in the PNG/SVG export, in real Chromium.

The seed article's map is opened at every zoom where names show; the boxes of the names
on the page (and of the text of the exported SVG) must not meet, nor cover a point of
the map's own features.
"""

from __future__ import annotations

import pytest

from tests.webapp.test_browser import assert_local_only, wait_for_map
from webapp.ingest import Submission, ingest
from webapp.store import get_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ZOOMS = range(2, 9)  # names start at zoom 2 (countries); every town rank shows by 7
AT_ZOOM = """async zoom => {
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  await new Promise(done => {
    if (map.getZoom() === zoom) { map.fire('moveend'); done(); return; }
    map.once('moveend', done);
    map.setZoom(zoom, {animate: false});
  });
  const boxes = [...document.querySelectorAll('.leaflet-labels-pane .kh-label')].map(node => {
    const r = node.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom, node.textContent];
  });
  const origin = map.getContainer().getBoundingClientRect();
  const points = window.kharita.featureBoxes(map).map(b =>
    [b[0] + origin.left, b[1] + origin.top, b[2] + origin.left, b[3] + origin.top, 'feature']);
  const names = map._kharitaLabels.getLayers().map(m => [m.getLatLng().lat, m.getLatLng().lng]);
  const v = map.getBounds();
  return {boxes, points, names, view: [v.getSouth(), v.getWest(), v.getNorth(), v.getEast()]};
}"""
SAHEL = [13.5, 2.1]  # Niamey, between the seed's Mali, Niger and Nigeria
PAN_TO = """center => {
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  map.panTo(center, {animate: false});
}"""
SVG_LABELS = """() => {
  const map = window[document.querySelector('[data-map-name]').getAttribute('data-map-name')];
  const holder = document.createElement('div');
  holder.innerHTML = window.kharita.drawSvg(map, 'Seed', 'credits');
  document.body.appendChild(holder);
  const boxes = [...holder.querySelectorAll('.kh-svg-labels text')].map(node => {
    const b = node.getBBox();
    return [b.x, b.y, b.x + b.width, b.y + b.height, node.textContent];
  });
  holder.remove();
  return boxes;
}"""


def overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    """Pairs of boxes whose interiors meet (touching edges is no overlap)."""
    return [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


@pytest.fixture(scope="module")
def seed_map(live_app, seed_text) -> str:
    with live_app.app_context():
        return ingest(get_store(), Submission(text=seed_text, title="Seed")).map_id


def open_map(page, live_server, seed_map: str) -> None:
    page.goto(f"{live_server.url}/maps/{seed_map}")
    wait_for_map(page)
    page.wait_for_function(
        "() => performance.getEntriesByName('kharita:labels-placed').length > 0")


def test_basemap_names_never_overlap_and_more_show_zoomed_in(page, live_server, seed_map):
    open_map(page, live_server, seed_map)
    page.evaluate("""() => document.querySelectorAll('.leaflet-control-layers-overlays input')
      .forEach(box => { if (!box.checked) box.click(); })""")  # every feature point drawn
    found_at = {}
    for zoom in ZOOMS:
        found = found_at[zoom] = page.evaluate(AT_ZOOM, zoom)
        assert not overlaps(found["boxes"]), (zoom, overlaps(found["boxes"]))
        covered = [pair for pair in overlaps(found["boxes"] + found["points"])
                   if pair.count("feature") == 1]
        assert not covered, (zoom, covered)  # the map's features win over basemap names
    assert len(found_at[2]["boxes"]) >= 5  # the lowest zoom still names the main countries
    # zoomed in on the Sahel's towns, the same area names more places than zoomed out
    page.evaluate(PAN_TO, SAHEL)
    found_at = {zoom: page.evaluate(AT_ZOOM, zoom) for zoom in (3, 6)}
    south, west, north, east = found_at[6]["view"]
    inside = {zoom: sum(south <= lat <= north and west <= lon <= east
                        for lat, lon in found["names"]) for zoom, found in found_at.items()}
    assert inside[6] >= inside[3] + 3, inside
    assert not overlaps(found_at[6]["boxes"])
    assert_local_only(page)


def test_exported_svg_names_never_overlap(page, live_server, seed_map):
    open_map(page, live_server, seed_map)
    for zoom in (3, 5):
        page.evaluate(AT_ZOOM, zoom)
        boxes = page.evaluate(SVG_LABELS)
        assert len(boxes) >= 3, boxes
        assert not overlaps(boxes), (zoom, overlaps(boxes))
