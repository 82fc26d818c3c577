"""HTTP mapping of errors: one JSON body for machines, ``error.html`` for people.

JSON and ``.geojson`` paths (and ``/api``, ``/ogc``, ``/oembed``) answer
``{"ok": false, "error": ..., "status": ...}`` (Datasette's shape); pages
render ``error.html`` in the UI language. :class:`geo.errors.InputError`
becomes a 400 with its message; an oversize body a 413 naming the limit; a
broken place index (:class:`~geo.errors.GazetteerError`) a 503; layers that
cannot be built or exported a 422.
Unexpected exceptions are logged and answered as a plain 500 in the same
shapes, with no internals shown.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from geo.errors import ExportError, GazetteerError, InputError, LayerError
from webapp.i18n import get_lang, translate
from webapp.parsing import ParserBusyError, ParseTimeoutError

JSON_SUFFIXES = (".json", ".geojson")
JSON_PREFIXES = ("/api/", "/ogc", "/oembed")


class OptionError(ValueError):
    """A query-string option has a value the view cannot use (answered as 400)."""


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
        named = status in (400, 403, 404, 413, 422, 503)
        title = translate(f"error.{status}", lang) if named else str(status)
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


def _input(error: InputError):
    return error_response(400, str(error))


def _option(error: OptionError):
    return error_response(400, str(error))


def _gazetteer(error: GazetteerError):
    current_app.logger.error("gazetteer unavailable: %s", error)
    return error_response(503, f"The place index is not available ({error}); "
                               "rebuild it with `kharita index --rebuild` and retry.")


def _layers(error: LayerError | ExportError):
    return error_response(422, str(error))


def _timeout(error: ParseTimeoutError):
    return error_response(422, str(error))


def _busy(error: ParserBusyError):
    response = error_response(503, f"The server is busy: {error}.")
    response.headers["Retry-After"] = "30"
    return response


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http(error)
    current_app.logger.exception("unexpected error on %s", request.path)
    return error_response(500, InternalServerError.description)


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(InputError, _input)
    app.register_error_handler(OptionError, _option)
    app.register_error_handler(GazetteerError, _gazetteer)
    app.register_error_handler(LayerError, _layers)
    app.register_error_handler(ExportError, _layers)
    app.register_error_handler(ParseTimeoutError, _timeout)
    app.register_error_handler(ParserBusyError, _busy)
    app.register_error_handler(Exception, _unexpected)
