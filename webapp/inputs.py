"""Reading what clients send: one set of rules for form posts and JSON bodies.

* **Text is UTF-8.** A body or field that is not (invalid bytes, or a lone
  surrogate such as ``"\\ud800"`` in a JSON string, which no database can store)
  is a 400 naming the field, before anything is parsed or stored. Forms and
  the API answer the same; nothing is silently replaced by U+FFFD.
* **JSON** is an object nested at most :data:`MAX_DEPTH` levels deep; deeper
  (``[[[[...]]]]``) is a 400, not a crash of the decoder.
* **Blank** means only white space as JSON Schema's ``\\s`` defines it, which is
  what the OpenAPI document's patterns say.

Errors are :class:`geo.errors.InputError`, which :mod:`webapp.errors` answers
as 400 in the caller's format (JSON or page).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, request
from werkzeug.sansio.multipart import Data, Field, MultipartDecoder, NeedData

from geo.errors import InputError

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
MAX_DEPTH = 64
#: ECMAScript's ``\s`` (what the OpenAPI patterns use), so both sides agree on "empty".
BLANK = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def blank(text: str) -> bool:
    """Whether ``text`` is empty or only white space."""
    return not text or BLANK.fullmatch(text) is not None


def json_body() -> dict[str, Any]:
    """Return the request's JSON object, checked as the module docstring says.

    The caller has checked the content type (the API answers 415 otherwise).
    """
    body = _json(expected="an object")
    if not isinstance(body, dict):
        raise InputError(f"the body should be a JSON object, got {type(body).__name__}")
    return body


def json_array() -> list[Any]:
    """Return the request's JSON array (a batch), checked as :func:`json_body` does."""
    body = _json(expected="an array")
    if not isinstance(body, list):
        raise InputError(f"the body should be a JSON array, got {type(body).__name__}")
    return body


def _json(*, expected: str) -> Any:
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"the body is not UTF-8 (byte {error.start}); send UTF-8 JSON") from None
    try:
        body = json.loads(text)
    except RecursionError:
        raise InputError(f"the body is nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as error:
        raise InputError(f"the body is not valid JSON ({error}); send {expected}") from None
    for path, value in _strings(body, "", 0):
        _check_text(path or "body", value)
    return body


def _strings(value: Any, path: str, depth: int) -> Iterator[tuple[str, str]]:
    """Yield ``(path, string)`` for every key and string value of a JSON document."""
    if depth > MAX_DEPTH:
        raise InputError(f"the body is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, key
            yield from _strings(item, where, depth + 1)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, f"{path}[{n}]", depth + 1)


def _check_text(name: str, value: str) -> None:
    """Raise InputError if ``value`` cannot be UTF-8 (a lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"'{name}' holds an unpaired surrogate (U+{ord(value[error.start]):04X}) at "
            f"character {error.start}, which is not text; fix the sender's encoding"
        ) from None


def check_form() -> None:
    """Refuse a form post whose fields are not UTF-8 (uploaded files are checked apart).

    Werkzeug would replace bad bytes by U+FFFD (multipart) or re-quote them
    (urlencoded); the API refuses them, so the forms do too.
    """
    if request.method != "POST" or request.mimetype not in (FORM_TYPE, MULTIPART_TYPE):
        return
    raw = request.get_data(cache=True)  # the form is then parsed from this copy
    if request.mimetype == FORM_TYPE:
        try:
            pairs = parse_qsl(raw.decode("ascii"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, UnicodeEncodeError) as error:
            raise InputError(f"the form is not UTF-8 ({error.reason}); send UTF-8 text") from None
        for name, value in pairs:
            _check_text(name, value)
        return
    boundary = request.mimetype_params.get("boundary", "").encode("latin-1")
    for name, data in _multipart_fields(raw, boundary):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"'{name}' is not UTF-8 (byte {error.start}); paste the text "
                             "again or upload it as a UTF-8 file") from None


def _multipart_fields(raw: bytes, boundary: bytes) -> Iterator[tuple[str, bytes]]:
    """Yield ``(name, bytes)`` of every non-file field of a multipart body."""
    if not boundary:
        return
    decoder = MultipartDecoder(boundary, max_form_memory_size=None)
    decoder.receive_data(raw)
    decoder.receive_data(None)
    name, is_field = "", False
    parts: list[bytes] = []
    while not isinstance(event := _next(decoder), NeedData):
        if isinstance(event, Field):
            name, parts, is_field = event.name, [], True
        elif isinstance(event, Data):
            if is_field:
                parts.append(event.data)
                if not event.more_data:
                    yield name, b"".join(parts)
        else:  # a file, or the epilogue
            is_field = False
        if type(event).__name__ == "Epilogue":
            return


def _next(decoder: MultipartDecoder) -> Any:
    try:
        return decoder.next_event()
    except ValueError as error:
        raise InputError(f"the form is not valid multipart data ({error})") from None


def init_app(app: Flask) -> None:
    """Check every form post before a view reads it."""
    app.before_request(check_form)
