"""Which geoparser modules run compiled, and the switch back to pure Python.

``setup.py`` compiles the modules of :data:`COMPILED_MODULES` with Cython,
unchanged, into extension modules beside their ``.py`` sources; Python then
imports the extension first. The ``.py`` files stay the reference: they run
where no compiler was available, where a source is newer than its build, and
whenever ``KHARITA_PURE_PYTHON=1`` is set (a test compares both outputs on the
eval corpora). Trade-off: one source for both, so the two cannot drift apart,
but the gain is Cython's on untyped Python code (about 10-15% here), not that
of hand-typed C loops.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

#: Modules of the geoparse path (the scan, candidate judging, resolution) that
#: ``setup.py`` compiles.
COMPILED_MODULES = (
    "geo.extract",
    "geo.scan",
    "geo.resolve",
    "geo.orgs",
    "geo.cues",
    "geo.clues",
    "geo.normalize",
    "geo.persons",
    "geo.acronyms",
    "geo.soundalike",
    "geo.language",
    "geo.matchindex",
    "geo.gazetteer.index",
)
#: Set to ``1`` to import the ``.py`` sources even where extensions exist.
PURE_ENV = "KHARITA_PURE_PYTHON"
GEO_DIR = Path(__file__).resolve().parent


class SourceFinder(importlib.abc.MetaPathFinder):
    """Finds a compiled module's ``.py`` source ahead of its extension when the
    pure path is asked for, or when the source changed after the build (an
    edited module must not run as its stale compiled self)."""

    def __init__(self, *, pure: bool) -> None:
        self.pure = pure

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """The spec of ``fullname``'s ``.py`` file, or None to import as usual."""
        if fullname not in COMPILED_MODULES:
            return None
        source = GEO_DIR.parent / f"{fullname.replace('.', '/')}.py"
        if not self.pure and not _stale(source):
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def _stale(source: Path) -> bool:
    """Whether ``source`` is newer than every extension built from it."""
    built = [source.with_name(source.stem + suffix)
             for suffix in importlib.machinery.EXTENSION_SUFFIXES]
    times = [path.stat().st_mtime for path in built if path.exists()]
    return bool(times) and source.stat().st_mtime > max(times)


def pure_requested() -> bool:
    """Whether ``KHARITA_PURE_PYTHON`` asks for the pure-Python geoparser."""
    return os.environ.get(PURE_ENV, "").strip() not in ("", "0")


def install_source_finder() -> None:
    """Put :class:`SourceFinder` first on ``sys.meta_path`` (once per process)."""
    if not any(isinstance(finder, SourceFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, SourceFinder(pure=pure_requested()))


def is_compiled(module: ModuleType) -> bool:
    """Whether ``module`` was loaded from an extension, not from its source."""
    return isinstance(getattr(module, "__loader__", None),
                      importlib.machinery.ExtensionFileLoader)


install_source_finder()
