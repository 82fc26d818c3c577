"""Form errors in the UI language.

The checks raise :class:`~geo.errors.InputError` with an English message that names
the field first ("text: empty; ..."), which API clients read as it is. A form page
shows the same error in its own language: :func:`localize` recognises each message
a form can produce and renders its ``form_error.*`` string from ``ui.yaml``; a
message it does not know becomes the generic sentence of that language, with the
English detail kept apart (marked ``lang="en"`` by the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from webapp.i18n import translate

#: (pattern of the English message, ui.yaml key); named groups fill the string.
KNOWN = (
    (r"text: empty;.*", "form_error.text_empty"),
    (r"source_url: expected an http\(s\) address, got (?P<got>.*)", "form_error.source_url"),
    (r"published: expected a date YYYY-MM-DD, got (?P<got>.*)", "form_error.published"),
    (r"lang: expected .*, got (?P<got>.*)", "form_error.lang"),
    (r"title: empty;.*", "form_error.title_empty"),
    (r"documents: none chosen;.*", "form_error.documents_none"),
    (r"(?P<name>.+): unsupported file type (?P<suffix>\S+);.*", "form_error.file_type"),
    (r".*not (?:valid )?UTF-8.*", "form_error.encoding"),
    (r"(?P<name>.+): looks like a binary file.*", "form_error.binary"),
    (r"unknown document id\(s\): (?P<ids>.*)", "form_error.documents_unknown"),
    (r"layers: unknown layer\(s\) (?P<ids>[^;]*);.*", "form_error.layers_unknown"),
    (r"text: parsing took longer than .*", "form_error.too_slow"),
)


@dataclass(frozen=True, slots=True)
class FormError:
    """What a form page shows: the message in its language, and the English detail
    when the message was not recognised."""

    message: str
    detail: str = ""

    def __str__(self) -> str:
        return self.message


def localize(message: str, lang: str) -> FormError:
    """Return the form error ``message`` (an InputError's text) in UI language ``lang``."""
    for pattern, key in KNOWN:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found is not None:
            return FormError(translate(key, lang, **found.groupdict()))
    return FormError(translate("form_error.other", lang), detail=message)
