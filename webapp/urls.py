"""Absolute URLs come from the configured ``BASE_URL``, never from what a client claims.

API links, the embed snippet, oEmbed answers and OGC documents hold absolute
URLs. Flask builds them from the request's ``Host`` header, which any client
can set: a hostile page could make Kharita hand out snippets pointing
elsewhere. With ``BASE_URL`` set (``https://maps.newsroom.example``, optionally
with a path prefix), :class:`BaseURL` rewrites the host, scheme and script
root of every request before Flask sees it, so ``url_for(..., _external=True)``
always answers with the configured address. Unset, the request's host is used
(fine on loopback), and oEmbed still only answers for URLs of the host that
was asked (:func:`is_own_url`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request

from webapp.errors import RequestError

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def check_base_url(value: str) -> str:
    """Return ``value`` without a trailing slash, or raise ValueError saying what is wrong."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or \
            parts.fragment:
        raise ValueError(f"BASE_URL: expected http(s)://host[:port][/prefix], got {value!r}")
    return value.rstrip("/")


class BaseURL:
    """WSGI middleware: the request looks as if it came to ``base`` (host, scheme, prefix)."""

    def __init__(self, app: WSGIApp, base: str) -> None:
        parts = urlsplit(base)
        self.app, self.scheme, self.host = app, parts.scheme, parts.netloc
        self.prefix = parts.path.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        environ["HTTP_HOST"] = self.host
        environ["wsgi.url_scheme"] = self.scheme
        if self.prefix:
            environ["SCRIPT_NAME"] = self.prefix
            path = environ.get("PATH_INFO", "")
            if path.startswith(self.prefix + "/") or path == self.prefix:
                environ["PATH_INFO"] = path[len(self.prefix):] or "/"
        return self.app(environ, start_response)


def is_own_url(url: str) -> bool:
    """Whether ``url`` points at this server (the configured base, else the asked host)."""
    parts = urlsplit(url)
    base = current_app.config.get("BASE_URL") or request.host_url
    own = urlsplit(base)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == own.netloc.lower()


def require_own_url(url: str) -> None:
    """Raise RequestError unless ``url`` is an address on this server."""
    if not is_own_url(url):
        raise RequestError(f"url: {url[:120]!r} is not an address on this server; pass the "
                          "address of one of its maps")


def init_app(app: Flask) -> None:
    """Install :class:`BaseURL` when ``BASE_URL`` is set; secure cookies over https."""
    base = check_base_url(str(app.config.get("BASE_URL") or ""))
    app.config["BASE_URL"] = base
    if base:
        app.wsgi_app = BaseURL(app.wsgi_app, base)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = base.startswith("https://")
