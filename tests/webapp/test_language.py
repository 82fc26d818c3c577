"""Everything a reader sees in the UI language: feature names, actors, statuses, form errors.

The features here are hand-made in the shape geo.features writes (English names); the
translations come from installed data (Natural Earth, curated places, the actor list).
"""

from __future__ import annotations

import html

import pytest

from webapp.form_errors import localize
from webapp.names import feature_name, feature_terms

FEATURES = [
    {"layer": "deployments", "name": "40,000 intervention force – northern Mali",
     "actor": "intervention force", "status": "planned"},
    {"layer": "pursuit_corridors", "name": "Algeria–Mauritania corridor",
     "actor": "military leaders", "status": "agreed", "members": ["DZ", "MR"]},
    {"layer": "displacement", "name": "northern Mali → Niger", "status": "reported"},
    {"layer": "control_zones", "name": "Azawad / northern Mali", "actor": "AQIM-linked groups"},
    {"layer": "deployments", "name": "25,000 Algerian troops – southern Algeria",
     "actor": "Algerian troops", "status": "ongoing"},
]
EXPECTED = {
    "fr": {"40,000 intervention force – northern Mali":
           "40\u202f000 force d'intervention – nord du Mali",
           "Algeria–Mauritania corridor": "corridor Algérie–Mauritanie",
           "northern Mali → Niger": "nord du Mali → Niger",
           "Azawad / northern Mali": "Azawad / nord du Mali",
           "25,000 Algerian troops – southern Algeria":
           "25\u202f000 troupes (Algérie) – Algérie (sud)"},
    "ar": {"40,000 intervention force – northern Mali": "40,000 قوة تدخل – شمال مالي",
           "Algeria–Mauritania corridor": "ممر الجزائر–موريتانيا",
           "northern Mali → Niger": "شمال مالي → النيجر",
           "Azawad / northern Mali": "أزواد / شمال مالي",
           "25,000 Algerian troops – southern Algeria": "25,000 قوات الجزائر – جنوب الجزائر"},
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_feature_names_read_in_the_ui_language(lang):
    terms = feature_terms(FEATURES, lang)
    for english, local in EXPECTED[lang].items():
        assert terms[f"name:{english}"] == local
    assert terms["status:planned"] == {"fr": "prévu", "ar": "مُخطَّط له"}[lang]
    assert terms["member:DZ"] == {"fr": "Algérie", "ar": "الجزائر"}[lang]
    assert terms["actor:military leaders"] == {"fr": "chefs d'état-major",
                                               "ar": "قادة عسكريون"}[lang]
    assert terms["actor:AQIM-linked groups"].startswith({"fr": "groupes liés à AQMI",
                                                         "ar": "جماعات مرتبطة"}[lang])


def test_english_keeps_the_names_and_unknown_places_stay_as_written():
    terms = feature_terms(FEATURES, "en")
    assert terms["member:MR"] == "Mauritania"
    assert not any(key.startswith("name:") for key in terms)
    assert terms["status:negated"] == "denied"
    assert feature_name("Atlantis–Lemuria corridor", "fr") is None


@pytest.mark.parametrize(("lang", "word", "english"), [
    ("ar", "شمال مالي", "northern Mali"), ("fr", "nord du Mali", "northern Mali")])
def test_the_map_page_carries_the_translations(client, stored, lang, word, english):
    page = client.get(f"/maps/{stored.map_id}?lang={lang}").get_data(as_text=True)
    assert word in page and "name:" + english in html.unescape(page)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "The text is empty"), ("fr", "Le texte est vide"), ("ar", "النص فارغ")])
def test_form_errors_are_in_the_ui_language(client, lang, expected):
    response = client.post(f"/documents?lang={lang}", data={"text": "  ", "title": "x"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in page and "text: empty" not in page


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Give the map a title"), ("fr", "Donnez un titre"), ("ar", "أعطِ الخريطة عنواناً")])
def test_map_form_errors_are_in_the_ui_language(client, lang, expected):
    response = client.post(f"/maps?lang={lang}", data={"title": ""})
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_an_unknown_error_keeps_its_english_detail_apart():
    error = localize("something: odd", "ar")
    assert str(error) == "تعذّر استخدام النموذج كما أُرسل." and error.detail == "something: odd"
    assert str(localize("source_url: expected an http(s) address, got 'ftp://x'", "fr")) == (
        "L'adresse de la source doit commencer par http:// ou https:// (reçu : 'ftp://x').")


@pytest.mark.parametrize(("lang", "label"), [("fr", "Zones de contrôle"), ("ar", "مناطق السيطرة")])
def test_layer_names_on_the_map_and_new_map_pages(client, stored, lang, label):
    for path in (f"/maps/{stored.map_id}", "/maps/new"):
        page = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert f'value="control_zones"> {label}' in page or f"> {label}<" in page, path
        assert "Control zones" not in page, path


def test_the_document_feature_table_names_features_in_the_ui_language(client, stored):
    page = client.get(f"/documents/{stored.id}?lang=ar").get_data(as_text=True)
    table = page[page.index('id="features-table"'):]
    assert '<td dir="auto">شمال مالي</td>' in table
    assert '<td dir="auto">northern Mali</td>' not in table
