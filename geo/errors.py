"""Named exceptions raised by :mod:`geo`.

Misses are data (a :class:`geo.records.Mention` with ``place=None`` and a
``reason``); broken input and broken data are exceptions. None of these know
about HTTP: ``webapp`` maps them to status codes.
"""

from __future__ import annotations


class KharitaError(Exception):
    """Base class of every error :mod:`geo` raises on purpose."""


class InputError(KharitaError, ValueError):
    """The input cannot be read as text (binary, not UTF-8, wrong type)."""


class GazetteerError(KharitaError):
    """The gazetteer data or its cached index is missing or corrupt."""


class LayerError(KharitaError):
    """A layer could not be built from the frames and places given."""


class ExportError(KharitaError):
    """Layers could not be written in the requested format."""
