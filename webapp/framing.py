"""Who may frame which page: embeds by the allow-list, nothing else at all.

``/embed/<id>`` answers ``Content-Security-Policy: frame-ancestors`` with the
``FRAME_ANCESTORS`` setting (``*`` by default); every other response refuses
framing with ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

FRAMEABLE_ENDPOINTS = frozenset({"embeds.embed"})


def frame_ancestors() -> str:
    """Return the CSP ``frame-ancestors`` source list for embeds."""
    allowed = str(current_app.config["FRAME_ANCESTORS"] or "").split()
    if not allowed or "*" in allowed:
        return "*"
    return " ".join(["'self'", *allowed])


def set_framing(response: Response) -> Response:
    """Add the framing and basic hardening headers to every response."""
    if request.endpoint in FRAMEABLE_ENDPOINTS and response.status_code < 400:
        response.headers["Content-Security-Policy"] = f"frame-ancestors {frame_ancestors()}"
    else:
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def init_app(app: Flask) -> None:
    """Install :func:`set_framing` on every response."""
    app.after_request(set_framing)
