"""Form errors in the UI language.

The form models (:mod:`webapp.forms`) raise :class:`~webapp.errors.RequestError`, and
the text's own checks :class:`~geo.errors.InputError`, with an English message that names
the field first ("text: empty; ..."), which API clients read as it is. A form page
shows the same error in its own language: :func:`localize` recognises each message
a form can produce and renders its translated sentence (:mod:`webapp.i18n`); a
message it does not know becomes the generic sentence of that language, with the
English detail kept apart (marked ``lang="en"`` by the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from webapp.i18n import N_, translate

#: (pattern of the English message, UI sentence); named groups fill the sentence.
KNOWN = (
    (r"text: empty;.*",
     N_("The text is empty: paste a report or upload a .txt, .md or .html file.")),
    (r"source_url: expected an http\(s\) address, got (?P<got>.*)",
     N_("The source address must start with http:// or https:// (got %(got)s).")),
    (r"published: expected a date YYYY-MM-DD, got (?P<got>.*)",
     N_("The publication date must be a date such as 2024-05-31 (got %(got)s).")),
    (r"lang: expected .*, got (?P<got>.*)",
     N_("Choose the language from the list (got %(got)s).")),
    (r"title: empty;.*",
     N_("Give the map a title.")),
    (r"documents: none chosen;.*",
     N_("Tick at least one document.")),
    (r"(?P<name>.+): unsupported file type (?P<suffix>\S+);.*",
     N_("%(name)s: files of type %(suffix)s cannot be read; upload .txt, .md or .html.")),
    (r".*not (?:valid )?UTF-8.*",
     N_("The text is not in UTF-8: paste it again or save the file as UTF-8.")),
    (r"(?P<name>.+): looks like a binary file.*",
     N_("%(name)s is not a text file: upload a .txt, .md or .html file.")),
    (r"unknown document id\(s\): (?P<ids>.*)",
     N_("No document with id %(ids)s: tick documents from the list.")),
    (r"layers: unknown layer\(s\) (?P<ids>[^;]*);.*",
     N_("Unknown layer(s) %(ids)s: tick layers from the list.")),
    (r"text: parsing took longer than .*",
     N_("This text took too long to read; try a shorter one.")),
)

OTHER = N_("The form could not be used as sent.")


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
    return FormError(translate(OTHER, lang), detail=message)
