"""UI language (ar, fr, en), direction and translated strings.

Strings live in ``webapp/data/ui.yaml`` (``key: {en, fr, ar}``), checked on
load: every key must have all three languages. The language of a request is
``?lang=`` (remembered in a cookie, except on embeds and publicly cacheable
answers), then the cookie, then the browser's Accept-Language, then the
``DEFAULT_LOCALE`` setting.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from flask import Flask, current_app, g, request, url_for

from webapp.styles import layer_style

LANGUAGES = {"en": "English", "fr": "Français", "ar": "العربية"}
RTL = frozenset({"ar"})
COOKIE = "kharita_lang"


class TranslationError(ValueError):
    """``ui.yaml`` is missing a language or has a non-text value."""


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Load and check ``ui.yaml`` once."""
    text = resources.files("webapp").joinpath("data/ui.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(text)
    for key, entry in table.items():
        missing = [code for code in LANGUAGES if not isinstance(entry.get(code), str)]
        if missing:
            raise TranslationError(f"ui.yaml: {key!r} lacks text for {', '.join(missing)}")
    return table


def translate(key: str, lang: str, **values: Any) -> str:
    """Return the UI string ``key`` in ``lang`` with ``{name}`` fields filled."""
    entry = messages().get(key)
    if entry is None:
        return key
    return entry[lang].format(**values) if values else entry[lang]


def term(kind: str, value: str | None, lang: str) -> str:
    """Return a data value (a place type, a miss reason) in ``lang``, itself when unknown.

    Reasons joined with ``"; "`` (an offline miss, then the online geocoder's) are
    translated part by part; a part carrying an error message stays as it is.
    """
    if not value:
        return ""
    table = messages()
    parts = value.split("; ") if kind == "reason" else [value]
    return "; ".join(table[f"{kind}.{part}"][lang] if f"{kind}.{part}" in table else part
                     for part in parts)


def direction(lang: str) -> str:
    """Return ``"rtl"`` for Arabic, ``"ltr"`` otherwise."""
    return "rtl" if lang in RTL else "ltr"


def select_language() -> str:
    """Return the UI language of the current request."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or current_app.config["DEFAULT_LOCALE"]


def get_lang() -> str:
    """Return the language chosen for this request."""
    if "lang" not in g:
        g.lang = select_language()
    return g.lang


def lang_url(code: str) -> str:
    """Return the current page in another UI language (home for POST pages)."""
    if request.method == "GET" and request.endpoint and request.url_rule:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "lang"}
        return url_for(request.endpoint, **(request.view_args or {}), **args, lang=code)
    return url_for("home.index", lang=code)


def _context() -> dict[str, Any]:
    lang = get_lang()
    return {
        "lang": lang,
        "dir": direction(lang),
        "languages": LANGUAGES,
        "t": lambda key, **values: translate(key, lang, **values),
        "lang_url": lang_url,
        "layer_label": lambda layer: layer_style(layer, lang).label,
        "term": lambda kind, value: term(kind, value, lang),
    }


def _remember(response):
    # On an embed ?lang= is an option of that embed, not the reader's choice; and a response
    # shared caches may store must not carry a Set-Cookie they would hand to everyone.
    if request.endpoint == "embeds.embed" or response.cache_control.public:
        return response
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def init_app(app: Flask) -> None:
    """Install the template context and the language cookie."""
    messages()
    app.context_processor(_context)
    app.after_request(_remember)


