"""HTTP mapping of the errors met by the machine-access blueprints (``/api``, ``/ogc``).

Every failure answers one JSON body, ``{"ok": false, "error": ..., "status": ...}``
(STYLE.md), whatever format was asked for: clients of these endpoints are
programs. Only named exceptions are mapped here; HTTP errors (404, 405, 413,
415) get the same body from the app-wide handlers in :mod:`webapp.errors`.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from geo.errors import GazetteerError, InputError, KharitaError
from webapp.auth import AuthError
from webapp.ogc_features import UnknownCollectionError
from webapp.ogc_query import QueryError
from webapp.store import UnknownDocumentError

#: Named exception -> HTTP status, most specific first.
STATUS: tuple[tuple[type[Exception], int], ...] = (
    (QueryError, 400),
    (InputError, 400),
    (UnknownDocumentError, 404),  # a map naming a document that is not there (or not yours)
    (AuthError, 401),
    (UnknownCollectionError, 404),
    (GazetteerError, 503),
    (KharitaError, 422),
)


def json_error(status: int, message: str) -> Response:
    """Return the house JSON error body with ``status``."""
    response = jsonify({"ok": False, "error": message, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kharita"'
    return response


def answer_named(error: Exception) -> Response:
    """Map a named exception to its status and message."""
    for kind, status in STATUS:
        if isinstance(error, kind):
            return json_error(status, str(error))
    raise error


def register(bp: Blueprint) -> None:
    """Install the JSON error handlers on a blueprint."""
    for kind, _ in STATUS:
        bp.register_error_handler(kind, answer_named)
