"""Reading the bearer token of a request (``Authorization: Bearer <token>``).

Two kinds of token are accepted: the deployment token (setting ``API_TOKEN``,
environment ``KHARITA_API_TOKEN``, full rights) and the per-user API tokens of
:mod:`webapp.store.users`. Which caller a token makes, and what it may do, is
decided in :mod:`webapp.access`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class AuthError(Exception):
    """The request lacks a valid API token or sends a malformed header (HTTP 401)."""


def bearer_token(header: str) -> str:
    """Return the token of an ``Authorization: Bearer <token>`` header, or raise AuthError."""
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise AuthError(f"'Authorization' should be 'Bearer <token>', got a {scheme[:20]!r} header")
    return given.strip()


def require_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate an API write: it runs only for callers who may edit (401 without valid
    credentials, 403 for a viewer or a read-scope token; :func:`webapp.access.require_writer`)."""
    from webapp.access import require_writer  # access reads tokens through this module

    return require_writer(view)
