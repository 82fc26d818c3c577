"""Bearer-token guard for the write endpoints of the JSON API.

One shared token (setting ``API_TOKEN``, environment ``KHARITA_API_TOKEN``) is
enough for newsroom tools pushing texts in; when it is unset, writes are open
(a single-user install on 127.0.0.1). Who sees what is decided in
:mod:`webapp.access`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request


class AuthError(Exception):
    """The request lacks the API token or carries a wrong one (HTTP 401)."""


def check_token(header: str | None, token: str | None) -> None:
    """Raise :class:`AuthError` unless ``header`` is ``Bearer <token>`` (constant-time)."""
    if not token:
        return
    if not header:
        raise AuthError("this endpoint needs 'Authorization: Bearer <token>'; no header was sent")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise AuthError(f"'Authorization' should be 'Bearer <token>', got a {scheme[:20]!r} header")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise AuthError("the bearer token is not valid; check KHARITA_API_TOKEN")


def require_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a view so that it runs only with the configured bearer token."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check_token(request.headers.get("Authorization"), current_app.config.get("API_TOKEN"))
        return view(*args, **kwargs)

    return guarded
