"""UI language (ar, fr, en), direction and translated strings, through Flask-Babel.

English is the source language: strings are written in English where they are used,
``gettext``/``ngettext``/``pgettext`` in templates and views, :func:`translate` where the
language is an argument (map labels, feature names, form errors), and :data:`TERMS` for data
values shown to readers (place types, miss reasons, review states). Their translations are
the gettext catalogs ``webapp/translations/{ar,fr}/LC_MESSAGES/messages.po``;
``make translations`` extracts the strings (``babel.cfg``), updates the catalogs and
compiles them (README, "Translating the interface").

The compiled ``messages.mo`` files are not committed, so that a ``.po`` is the only copy a
translator edits and a merge never has to reconcile binaries. ``scripts/bootstrap.sh``
compiles them when ``make run`` or ``make test`` sets up, and :func:`init_app` compiles any
that is missing or older than its ``.po`` (a clean clone, a pull that changed a
translation); when the folder cannot be written it stops with a message naming the command.

The language of a request is ``?lang=`` (remembered in a cookie, except on embeds and
publicly cacheable answers), then the cookie, then the browser's Accept-Language, then the
``DEFAULT_LOCALE`` setting.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, current_app, g, request, url_for
from flask_babel import Babel

from webapp.styles import layer_style

LANGUAGES = {"en": "English", "fr": "Français", "ar": "العربية"}
RTL = frozenset({"ar"})
COOKIE = "kharita_lang"
TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"


class TranslationError(RuntimeError):
    """A catalog is missing and cannot be compiled."""


def N_(message: str) -> str:
    """Mark ``message`` for extraction (``N_`` is a name pybabel looks for); it is
    translated where it is shown."""
    return message


#: Data values shown to readers (``term(kind, value)``): value -> English text to translate.
TERMS: dict[str, dict[str, str]] = {
    "place_type": {
        "country": N_("country"), "admin1": N_("region or state"), "admin2": N_("district"),
        "part": N_("part of a country"), "region": N_("region"),
        "group": N_("group of countries"), "border_area": N_("border area"),
        "desert": N_("desert"), "mountains": N_("mountains"), "river": N_("river"),
        "lake": N_("lake"), "sea": N_("sea"), "ocean": N_("ocean"), "city": N_("city"),
        "town": N_("town"), "village": N_("village"), "place": N_("place"),
    },
    "reason": {
        "not in the offline gazetteer (a unit it does not hold)":
            N_("not in the offline gazetteer (a unit it does not hold)"),
        "no country in context for this expression":
            N_("no country in context for this expression"),
        "online geocoder found nothing": N_("the online geocoder found nothing"),
    },
    "kind": {"toponym": N_("place name"), "demonym": N_("demonym"),
             "reference": N_("reference")},
    "status": {
        "reported": N_("reported"), "planned": N_("planned"), "agreed": N_("agreed"),
        "ongoing": N_("ongoing"), "negated": N_("denied"), "hypothetical": N_("conditional"),
        "past": N_("past"),
    },
    "review": {"machine": N_("machine reading"), "verified": N_("verified by an editor"),
               "edited": N_("edited by an editor"), "rejected": N_("rejected by an editor")},
    "job": {"queued": N_("Waiting for a free reader…"),
            "running": N_("Finding the places and events…")},
    "publish": {"publish": N_("Publish"), "unpublish": N_("Unpublish")},
    "scope": {"read": N_("read (drafts too)"), "write": N_("write (create and publish)")},
}


def compile_catalogs(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``.po`` under ``folder`` whose ``.mo`` is missing or older; return those.

    Each file is written beside its target and renamed over it, so that the web server and
    the feed worker starting together never read half a catalog.
    """
    done = []
    for po in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
            with os.fdopen(handle, "wb") as target:
                write_mo(target, catalog)
            os.replace(temporary, mo)
        except OSError as error:
            raise TranslationError(f"cannot compile {po} ({error}); run `make translations` "
                                   "(pybabel compile -d webapp/translations) as the "
                                   "checkout's owner") from error
        done.append(mo)
    return done


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> NullTranslations:
    """Return the compiled catalog of ``lang`` (English, the source language, has none)."""
    if lang == "en":
        return NullTranslations()
    found = Translations.load(str(TRANSLATIONS), [lang], DOMAIN)
    if not isinstance(found, Translations):
        raise TranslationError(f"no compiled catalog for {lang!r} in {TRANSLATIONS}: "
                               "run `make translations`")
    return found


def translate(message: str, lang: str, **values: Any) -> str:
    """Return the English ``message`` in ``lang`` with its ``%(name)s`` fields filled."""
    text = catalog(lang).gettext(message)
    return text % values if values else text


def term(kind: str, value: str | None, lang: str) -> str:
    """Return a data value (a place type, a miss reason) in ``lang``, itself when unknown.

    Reasons joined with ``"; "`` (an offline miss, then the online geocoder's) are
    translated part by part; a part carrying an error message stays as it is.
    """
    if not value:
        return ""
    table = TERMS.get(kind, {})
    parts = value.split("; ") if kind == "reason" else [value]
    return "; ".join(translate(table[part], lang) if part in table else part for part in parts)


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
    """Return the language chosen for this request (Flask-Babel's locale selector too)."""
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
    """Compile stale catalogs, install Flask-Babel, the template context and the cookie."""
    compile_catalogs()
    for lang in LANGUAGES:
        catalog(lang)  # a missing catalog stops the start, not a reader's request
    Babel(app, locale_selector=get_lang, default_translation_directories=str(TRANSLATIONS))
    app.context_processor(_context)
    app.after_request(_remember)
