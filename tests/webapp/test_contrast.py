"""WCAG AA contrast of Kharita's text and legend colours, computed from the stylesheets and
the layer palette (``webapp.styles``), not from screenshots.

Text needs 4.5:1 against every background it can sit on; a legend swatch's outline (the
layer's stroke colour) needs 3:1 against the legend (WCAG 1.4.11, non-text contrast).
The checks are plain functions, and the last tests feed them bad colours to show they fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp.styles import layer_order, layer_style

STATIC = Path(__file__).resolve().parents[2] / "static"
SHEETS = ("kharita.css", "kharita-map.css")
TEXT, GRAPHICS = 4.5, 3.0
WHITE = "#ffffff"


def basemap_colours() -> tuple[str, str]:
    """What the map draws under its text: the land of the offline basemap (the countries'
    fill in kharita-map.js) and the sea (the .leaflet-container background)."""
    script = (STATIC / "kharita-map.js").read_text(encoding="utf-8")
    css = (STATIC / "kharita-map.css").read_text(encoding="utf-8")
    land = re.search(r'fillColor: "(#[0-9a-fA-F]{6})", fillOpacity: 1', script)
    sea = re.search(r"\.leaflet-container \{ background: (#[0-9a-fA-F]{6})", css)
    assert land and sea, "the basemap's colours moved: update basemap_colours()"
    return land.group(1), sea.group(1)


LAND, SEA = basemap_colours()
#: The legend: white at 92 % over the map, at worst over the sea.
LEGEND = "rgba(255, 255, 255, 0.92)"


def rgb(colour: str, under: str = WHITE) -> tuple[float, float, float]:
    """Return 0..255 channels of a #rgb, #rrggbb or rgba() colour blended over ``under``."""
    colour = colour.strip().lower()
    if colour.startswith("rgba"):
        r, g, b, a = (float(v) for v in re.findall(r"[\d.]+", colour))
        base = rgb(under)
        return (r * a + base[0] * (1 - a), g * a + base[1] * (1 - a), b * a + base[2] * (1 - a))
    if colour.startswith("rgb"):
        r, g, b = (float(v) for v in re.findall(r"[\d.]+", colour)[:3])
        return r, g, b
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(channels: tuple[float, float, float]) -> float:
    """WCAG relative luminance."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """Return (selector, declarations) of every innermost rule, @media blocks included."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = dict((k.strip(), v.strip()) for k, v in
                     (d.split(":", 1) for d in body.split(";") if ":" in d))
        found.append((selector.strip(), decls))
    return found


def backgrounds_of(selector: str, decls: dict[str, str], page: list[str]) -> list[str]:
    """The backgrounds text of a rule can sit on: its own, or those of where it is drawn."""
    own = decls.get("background-color") or decls.get("background")
    if own and re.match(r"(#|rgb|var\()", own):
        return [own]
    if ".kh-label" in selector:
        return [LAND, SEA]
    if selector.startswith((".kh-", ".leaflet")):
        return [WHITE]  # popups, tooltips, the legend and the finder are white boxes
    return page


def text_failures(css: str) -> list[tuple[str, str, str, float]]:
    """Return (selector, text colour, background, ratio) of every pair under 4.5:1."""
    parsed = rules(css)
    names = {k: v for selector, decls in parsed if selector == ":root"
             for k, v in decls.items() if k.startswith("--")}

    def resolve(value: str) -> str:
        return re.sub(r"var\((--[\w-]+)\)", lambda m: names.get(m.group(1), "#000"), value)

    ink = names.get("--ink", "#000000")
    page = [names.get("--bg", WHITE), WHITE]
    failures = []
    for selector, decls in parsed:
        text = decls.get("color")
        if text is None and not (decls.get("background") or decls.get("background-color")):
            continue
        text = resolve(text or ink)
        if not re.match(r"(#|rgb)", text):
            continue  # inherit, currentColor
        for background in backgrounds_of(selector, decls, page):
            first = re.match(r"#[0-9a-fA-F]{3,6}|rgba?\([^)]*\)", resolve(background))
            if first is None:
                continue  # an image or "none"
            background = first.group(0)
            under = rgb(background, SEA)
            value = ratio(rgb(text, under), under)
            if value < TEXT:
                failures.append((selector, text, background, round(value, 2)))
    return failures


def swatch_failures(strokes: dict[str, str]) -> list[tuple[str, str, float]]:
    """Return (layer, stroke, ratio) of every legend outline under 3:1 on the legend."""
    legend = rgb(LEGEND, SEA)
    return [(layer, stroke, round(ratio(rgb(stroke), legend), 2))
            for layer, stroke in strokes.items() if ratio(rgb(stroke), legend) < GRAPHICS]


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_text_colour_meets_aa(sheet):
    css = (STATIC / sheet).read_text(encoding="utf-8")
    if sheet != "kharita.css":  # the map sheet uses the page's custom properties
        css = (STATIC / "kharita.css").read_text(encoding="utf-8").split("\n")[0] + "\n" + css
    assert len(rules(css)) > 10
    assert text_failures(css) == []


def test_every_layer_outline_stands_out_in_the_legend():
    strokes = {layer: layer_style(layer).stroke for layer in layer_order()}
    assert len(strokes) >= 10
    assert swatch_failures(strokes) == []


def test_a_pale_text_colour_fails():
    css = ":root { --bg: #fafaf8; }\n.meta { color: #aaaaaa; }\n.kh-label { color: #8a8a8a; }"
    failed = {selector for selector, *_ in text_failures(css)}
    assert failed == {".meta", ".kh-label"}
    assert text_failures(".error-box { background: #fdecea; color: #e6a39b; }")


def test_a_pale_layer_outline_fails():
    assert [layer for layer, *_ in swatch_failures({"meetings": "#ffff33",
                                                    "strikes": "#67001f"})] == ["meetings"]
    assert ratio(rgb("#000"), rgb("#fff")) == pytest.approx(21.0)


def test_text_highlights_take_their_layer_colour_from_the_palette(client):
    with client.get("/assets/palette.css") as response:
        assert response.status_code == 200 and response.mimetype == "text/css"
        css = response.get_data(as_text=True)
    for layer in layer_order():
        assert f'.mention[data-layer="{layer}"] {{ border-bottom-color: ' \
               f'{layer_style(layer).stroke}; }}' in css
    sheet = (STATIC / "kharita.css").read_text(encoding="utf-8")
    assert "data-layer=" not in sheet  # one source of layer colours: the layers file
    assert "/assets/palette.css" in client.get("/").get_data(as_text=True)
