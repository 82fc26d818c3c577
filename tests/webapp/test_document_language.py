"""The document page's mention table speaks the UI language: place types and miss reasons."""

from __future__ import annotations

import html
import re

import pytest

from geo.resolve import TYPE_PRECISION
from tests.webapp.conftest import TEXT_EN
from webapp.i18n import LANGUAGES, TERMS, term

ROW, CELL = re.compile(r"<tr>(.*?)</tr>", re.S), re.compile(r"<td[^>]*>(.*?)</td>", re.S)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_place_type_column_is_in_the_ui_language(client, lang):
    text = TEXT_EN + "\nFighting spread across Gao region and eastern Burkina Faso."
    response = client.post("/documents", data={"text": text, "title": "", "lang": "auto"})
    page = client.get(f"{response.headers['Location']}?lang={lang}").get_data(as_text=True)
    table = page[page.index('id="mentions-table"'):]
    rows = ROW.findall(table[:table.index("</table>")])
    types = {html.unescape(CELL.findall(row)[2].strip()) for row in rows if "<td" in row} - {""}
    known = {term("place_type", value, lang) for value in TERMS["place_type"]}
    assert types and types <= known, types
    for kind in ("country", "part"):  # Mali; eastern Burkina Faso
        assert term("place_type", kind, lang) in types


def test_every_place_type_of_the_resolver_has_a_name_in_three_languages():
    missing = [t for t in [*TYPE_PRECISION, "place"] if t not in TERMS["place_type"]]
    assert not missing


def test_a_miss_reason_is_translated_part_by_part():
    reason = "no country in context for this expression; online geocoder failed: timed out"
    assert term("reason", reason, "fr") == (
        "aucun pays dans le contexte de cette expression; online geocoder failed: timed out")
    assert term("reason", "online geocoder found nothing", "ar").startswith("لم يعثر")
    assert term("place_type", "wadi", "fr") == "wadi"  # unknown values stay as they are
