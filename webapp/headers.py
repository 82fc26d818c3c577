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

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from markupsafe import Markup

FRAMEABLE_ENDPOINTS = frozenset({"embeds.embed"})
_SCRIPT_TAG = re.compile(r"<script(?=[\s>])")


def csp_nonce() -> str:
    """The nonce of this request's inline scripts (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def with_nonce(html: str) -> Markup:
    """Mark every ``<script`` tag of Kharita's own generated ``html`` with the nonce.

    Only for markup the server generated itself (folium's map parts): never for
    anything holding user text.
    """
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', html))


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
        f"script-src 'self' 'nonce-{csp_nonce()}'",
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
