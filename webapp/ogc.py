"""OGC API - Features blueprint (``/ogc``). Owned by the API work (issue 5)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ogc", __name__, url_prefix="/ogc")
