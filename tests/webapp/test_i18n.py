"""The gettext catalogs: complete for every string the code shows, plurals, compiling."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import render_template_string

from webapp.i18n import TRANSLATIONS, compile_catalogs

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = '{{ ngettext("%(num)d document", "%(num)d documents", n) }}'


def read_catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=lang)


def shown_strings() -> set[tuple[str | None, str]]:
    """(context, msgid) of every string the templates and Python code mark, as extracted."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None,
                "translate": None}
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_shown_string_has_a_translation(lang):
    catalog = read_catalog(lang)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        key = (message.context, message.id[0] if message.pluralizable else message.id)
        translated[key] = not message.fuzzy and len(forms) == catalog.num_plurals ** (
            message.pluralizable) and all(form.strip() for form in forms)
    shown = shown_strings()
    assert len(shown) > 250
    missing = sorted((ctx or "", msgid) for ctx, msgid in shown if not translated.get((ctx, msgid)))
    assert not missing, f"{lang}: run `make translations` and translate {missing[:5]}"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_translations_are_safe_inside_html_attributes(lang):
    # Templates take a translation as HTML (Jinja's i18n) and quote attributes with ",
    # so a translation writes &lt; and &quot; rather than the characters themselves.
    unsafe = [message.id for message in read_catalog(lang) if message.id and any(
        char in form for form in (message.string if message.pluralizable else (message.string,))
        for char in '"<>')]
    assert not unsafe


@pytest.mark.parametrize(("lang", "counts"), [
    ("en", {1: "1 document", 2: "2 documents"}),
    ("fr", {0: "0 document", 1: "1 document", 2: "2 documents", 12: "12 documents"}),
    ("ar", {0: "لا وثائق", 1: "وثيقة واحدة", 2: "وثيقتان", 5: "5 وثائق", 11: "11 وثيقة",
            103: "103 وثائق", 100: "100 وثيقة"}),
])
def test_a_count_takes_the_plural_form_of_its_language(app, lang, counts):
    for n, expected in counts.items():
        with app.test_request_context(f"/?lang={lang}"):
            assert render_template_string(DOCUMENTS, n=n) == expected


def test_the_map_page_counts_its_documents_in_arabic(client, stored):
    page = client.get(f"/maps/{stored.map_id}?lang=ar").get_data(as_text=True)
    assert "· وثيقة واحدة ·" in page


def test_template_strings_are_html_so_a_literal_angle_bracket_is_escaped(app):
    text = ("Your new token, shown only this once: copy it now. "
            "Send it as 'Authorization: Bearer &lt;token&gt;'.")
    with app.test_request_context("/?lang=fr"):
        shown = render_template_string("{{ gettext(text) }}", text=text)
    assert "Bearer &lt;jeton&gt;" in shown and "<jeton>" not in shown


def test_a_missing_or_stale_catalog_is_compiled_on_start(tmp_path):
    folder = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, folder, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    assert sorted(p.parent.parent.name for p in compile_catalogs(folder)) == ["ar", "fr"]
    assert compile_catalogs(folder) == []  # up to date: nothing to do
    po = folder / "fr" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Accueil"', 'msgstr "Maison"'),
                  encoding="utf-8")
    mo = po.with_suffix(".mo")
    os.utime(mo, (po.stat().st_mtime - 10,) * 2)
    assert compile_catalogs(folder) == [mo]
    assert b"Maison" in mo.read_bytes()
