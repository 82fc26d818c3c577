"""Kharita's framework-free geoparsing library.

``geo`` turns text into place mentions, event frames and map layers. It never
imports flask, folium or :mod:`webapp`.

>>> from geo import geoparse
>>> result = geoparse("Refugees fled northern Mali for Mauritania.")  # doctest: +SKIP
"""

from __future__ import annotations

import geo.compiled  # noqa: F401 - first: KHARITA_PURE_PYTHON must act before other imports
from geo.errors import ExportError, GazetteerError, InputError, KharitaError, LayerError
from geo.records import Candidate, GeoparseResult, Mention, Place

__all__ = [
    "Candidate",
    "ExportError",
    "GazetteerError",
    "GeoparseResult",
    "InputError",
    "KharitaError",
    "LayerError",
    "Mention",
    "Place",
    "geoparse",
]


def __getattr__(name: str):  # lazy: importing geo must stay cheap
    if name == "geoparse":
        from geo.pipeline import geoparse

        return geoparse
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
