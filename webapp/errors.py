"""HTTP mapping of errors: one JSON body for machines, ``error.html`` for people.

JSON and ``.geojson`` paths (and ``/api``, ``/ogc``, ``/oembed``) answer
``{"ok": false, "error": ..., "status": ...}`` (Datasette's shape); pages
render ``error.html`` in the UI language. One table, :data:`STATUS`, maps each
named exception to its status: bad input 400, no token 401, unknown things 404,
unparseable texts and layers 422, a broken place index or a full parse queue
503; an oversize body is a 413 naming the limit.
Unexpected exceptions are logged and answered as a plain 500 in the same
shapes, with no internals shown.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from geo.errors import ExportError, GazetteerError, InputError, KharitaError, LayerError
from webapp.auth import AuthError
from webapp.i18n import N_, get_lang, translate
from webapp.parsing import ParserBusyError, ParseTimeoutError

JSON_SUFFIXES = (".json", ".geojson")
#: The titles of the error page, by status; other statuses show their number.
TITLES = {400: N_("Bad request"), 403: N_("Not allowed"), 404: N_("Not found"),
          409: N_("Conflict"), 413: N_("Too large"), 422: N_("Cannot be processed"),
          503: N_("Busy")}
JSON_PREFIXES = ("/api/", "/ogc", "/oembed")


class RequestError(ValueError):
    """A request field, query option or body has a value the view cannot use (HTTP 400).

    The message names the field and what was received, and says what to send.
    """


class NotFoundError(LookupError):
    """Something the request names does not exist, or is not the caller's to see (404)."""


#: Named exception -> HTTP status, most specific first: the one table of the app, for pages
#: and machines alike (the answer's shape, JSON or page, follows :func:`wants_json`).
STATUS: tuple[tuple[type[Exception], int], ...] = (
    (RequestError, 400),
    (InputError, 400),
    (AuthError, 401),
    (NotFoundError, 404),
    (ParseTimeoutError, 422),
    (LayerError, 422),
    (ExportError, 422),
    (GazetteerError, 503),
    (ParserBusyError, 503),
    (KharitaError, 422),
)


def wants_json() -> bool:
    """Whether the current request should get a JSON error body."""
    path = request.path
    if path.endswith(JSON_SUFFIXES) or path.startswith(JSON_PREFIXES):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def error_response(status: int, message: str) -> Response:
    """Return the JSON or HTML error answer for ``status``."""
    if wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
    else:
        lang = get_lang()
        title = translate(TITLES[status], lang) if status in TITLES else str(status)
        response = make_response(
            render_template("error.html", status=status, title=title, message=message)
        )
    response.status_code = status
    return response


def too_large_message() -> str:
    """Return the 413 message naming the configured limit."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return (
        f"The request is larger than the limit of {limit / 1_048_576:.1f} MB "
        "(setting MAX_CONTENT_LENGTH); send a shorter text or split the file."
    )


def _http(error: HTTPException) -> Response:
    if isinstance(error, RequestEntityTooLarge):
        return error_response(413, too_large_message())
    response = error_response(error.code or 500, error.description or error.name)
    # keep what the exception adds beyond its own body: Allow on a 405, Retry-After, ...
    for name, value in error.get_headers(request.environ):
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _named(error: Exception) -> Response:
    """Answer a named exception with the status of :data:`STATUS` (first match)."""
    status = next(code for kind, code in STATUS if isinstance(error, kind))
    message = str(error)
    if isinstance(error, GazetteerError):
        current_app.logger.error("gazetteer unavailable: %s", error)
        message = (f"The place index is not available ({error}); rebuild it with "
                   "`kharita index --rebuild` and retry.")
    elif isinstance(error, ParserBusyError):
        message = f"The server is busy: {error}."
    response = error_response(status, message)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kharita"'
    if isinstance(error, ParserBusyError):
        response.headers["Retry-After"] = "30"
    return response


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http(error)
    current_app.logger.exception("unexpected error on %s", request.path)
    return error_response(500, InternalServerError.description)


def init_app(app: Flask) -> None:
    """Register the error handlers: HTTP errors, the named exceptions, and the rest."""
    app.register_error_handler(HTTPException, _http)
    for kind, _status in STATUS:
        app.register_error_handler(kind, _named)
    app.register_error_handler(Exception, _unexpected)
