"""Reading the bearer token of a request (``Authorization: Bearer <token>``).

Two kinds of token are accepted: the deployment token (setting ``API_TOKEN``,
environment ``KHARITA_API_TOKEN``, full rights) and the per-user API tokens of
:mod:`webapp.store.users`. Which caller a token makes, and what it may do, is
decided in :mod:`webapp.access`.
"""

from __future__ import annotations


class AuthError(Exception):
    """The request lacks a valid API token or sends a malformed header (HTTP 401)."""


def bearer_token(header: str) -> str:
    """Return the token of an ``Authorization: Bearer <token>`` header, or raise AuthError."""
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise AuthError(f"'Authorization' should be 'Bearer <token>', got a {scheme[:20]!r} header")
    return given.strip()
