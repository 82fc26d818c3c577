"""Build hook for the optional compiled geoparser (everything else is in pyproject.toml).

Cython compiles the geoparser's hot modules, unchanged, into extension modules
beside their sources (``geo/extract.py`` -> ``geo/extract.*.so``). They are
optional: without Cython or a C compiler the install still succeeds and
Python imports the ``.py`` files, which stay the reference implementation
(``KHARITA_PURE_PYTHON=1`` forces them; see ``geo/compiled.py``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, CompileError, ExecError, PlatformError

#: What a failed build raises (no compiler, no Python headers, a compiler error).
BUILD_ERRORS = (CCompilerError, CompileError, ExecError, PlatformError, OSError)


def compiled_modules() -> tuple[str, ...]:
    """``geo.compiled.COMPILED_MODULES``, read without importing ``geo`` (whose
    dependencies the isolated build environment lacks)."""
    path = Path(__file__).resolve().parent / "geo" / "compiled.py"
    spec = importlib.util.spec_from_file_location("_kharita_compiled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.COMPILED_MODULES


class OptionalBuildExt(build_ext):
    """``build_ext`` that warns instead of failing: pure Python is the fallback."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if getattr(self, "parallel", None) is None:
            self.parallel = os.cpu_count() or 1  # a dozen modules: compile side by side

    def run(self) -> None:
        try:
            super().run()
        except BUILD_ERRORS as exc:
            self.extensions: list[Extension] = []  # nothing built: nothing to copy or install
            self._skip(exc)

    def build_extensions(self) -> None:
        self.failed: list[Extension] = []
        super().build_extensions()
        # Only what was built is copied beside the sources and installed.
        self.extensions = [ext for ext in self.extensions if ext not in self.failed]

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except BUILD_ERRORS as exc:
            self.failed.append(ext)
            self._skip(exc)

    @staticmethod
    def _skip(exc: BaseException) -> None:
        print(f"kharita: compiled geoparser not built ({exc}); the pure-Python one is used",
              file=sys.stderr)


def extensions() -> list[Extension]:
    """The Cython extensions, or none when Cython is not importable."""
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("kharita: Cython is missing; the pure-Python geoparser is used", file=sys.stderr)
        return []
    sources = [f"{name.replace('.', '/')}.py" for name in compiled_modules()]
    # Plain Python semantics: annotations are not C types (a str annotation
    # must not reject a str subclass), so compiled and pure outputs agree.
    return cythonize(sources, language_level=3, quiet=True,
                     compiler_directives={"annotation_typing": False, "binding": True})


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
