"""JSON API blueprint (``/api/v1``). Owned by the API work (issue 5)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
