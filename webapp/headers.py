"""Response headers that keep pages safe: a Content-Security-Policy, framing, nosniff.

Every answer carries a CSP. Scripts run only from this server or with the
request's nonce (the inline map scripts folium writes, which the templates
mark with :func:`csp_nonce`); ``object-src 'none'``, ``base-uri 'none'`` and
``form-action 'self'``; everything else (data the map fetches, images, fonts)
from this server, plus the tile server when ``TILES`` names one. Styles allow
``'unsafe-inline'``: Leaflet positions every marker and tile with style
attributes, and a style cannot run code.

Framing: ``/embed/<id>`` may be framed by the ``FRAME_ANCESTORS`` allow-list
(``*`` by default); every other page refuses framing (``frame-ancestors
'none'``, ``X-Frame-Options: DENY``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from markupsafe import Markup

FRAMEABLE_ENDPOINTS = frozenset({"embeds.embed"})
_SCRIPT_TAG = re.compile(r"<script(?=[\s>])")


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def csp_nonce() -> str:
    """The nonce of this request's inline scripts (made on first use; '' for cached pages)."""
    if g.get("csp_for_cache"):
        return ""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


@contextmanager
def rendering_for_cache() -> Iterator[None]:
    """Render a page kept whole in the render cache: its inline scripts get no nonce (a
    cached nonce would be reused); :func:`script_hashes` lets them run instead."""
    g.csp_for_cache = True
    try:
        yield
    finally:
        g.csp_for_cache = False


def script_hashes(html: str) -> tuple[str, ...]:
    """CSP ``'sha256-...'`` sources of every inline script of ``html``."""
    return tuple(sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        + "'" for body in _INLINE_SCRIPT.findall(html)}))


def allow_scripts(hashes: tuple[str, ...]) -> None:
    """Let this response's inline scripts run by their hashes rather than a nonce."""
    g.csp_hashes = hashes


def with_nonce(html: str) -> Markup:
    """Mark every ``<script`` tag of Kharita's own generated ``html`` with the nonce.

    Only for markup the server generated itself (folium's map parts): never for
    anything holding user text.
    """
    nonce = csp_nonce()
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{nonce}"', html) if nonce else html)


def _nonce() -> str:
    return f"'nonce-{csp_nonce()}'"


def frame_ancestors() -> str:
    """Return the CSP ``frame-ancestors`` source list for embeds."""
    allowed = str(current_app.config["FRAME_ANCESTORS"] or "").split()
    if not allowed or "*" in allowed:
        return "*"
    return " ".join(["'self'", *allowed])


def tile_sources(name: str) -> str:
    """The origin pattern of the ``TILES`` provider's images ('' when offline)."""
    if not name:
        return ""
    import xyzservices

    url = xyzservices.providers.query_name(name).build_url()
    host = urlsplit(url).netloc.replace("{s}.", "*.")
    return f"{urlsplit(url).scheme}://{host}"


def policy(frameable: bool) -> str:
    """The Content-Security-Policy of the current response."""
    tiles = tile_sources(current_app.config["TILES"] or "")
    ancestors = frame_ancestors() if frameable else "'none'"
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {' '.join(g.csp_hashes) if 'csp_hashes' in g else _nonce()}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"img-src 'self' data:{' ' + tiles if tiles else ''}",
        "style-src 'self' 'unsafe-inline'",
        f"frame-ancestors {ancestors}",
    ])


def set_headers(response: Response) -> Response:
    """Add the CSP, framing and basic hardening headers to every response."""
    frameable = request.endpoint in FRAMEABLE_ENDPOINTS and response.status_code < 400
    response.headers["Content-Security-Policy"] = policy(frameable)
    if not frameable:
        response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def init_app(app: Flask) -> None:
    """Install :func:`set_headers` on every response and the nonce helpers in templates."""
    app.after_request(set_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["with_nonce"] = with_nonce
