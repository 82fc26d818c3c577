"""The sound index: skeletons of the Latin names of the places
:mod:`geo.soundalike` may hear in a text, and the common words it must not.

Built once per gazetteer from the GeoNames table, Kharita's curated towns and
wordfreq's word lists (a few seconds), then cached next to the gazetteer's
index and loaded in a few hundredths of a second.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer
from geo.gazetteer.curated import read_yaml
from geo.gazetteer.sources import DATA_DIR
from geo.lifetime import exempt_loaded
from geo.normalize import normalize_key
from geo.skeleton import skeleton, vowelled

FORMAT_VERSION = 5  # of the cached index
MIN_SKELETON = 2  # shorter skeletons match too much
FUZZY_SKELETON = 5  # from this length one class may be missing on either side
MIN_SIMILARITY = 0.7  # vowel traces at least this alike (difflib ratio)
FUZZY_SIMILARITY = 0.75  # ...this alike when a class is missing
SHORT_SIMILARITY = 0.85  # ...and this alike for a two-class skeleton
RARE_ZIPF = 2.5  # a word wordfreq counts this often is a word, not a town


@dataclass(frozen=True, slots=True)
class _Name:
    """A GeoNames name in the index: its place id, vowel trace, population."""

    place_id: str
    form: str
    population: int
    country: str


class SoundIndex:
    """Skeletons of the Latin GeoNames names of some countries.

    Each name is filed under its skeleton and, from ``FUZZY_SKELETON``
    classes, under each skeleton with one class deleted: a lookup finds the
    names with one class more or one class less than the query (not one
    class changed: "Nampala" is not "Zambla").
    """

    def __init__(
        self, names: Iterable[tuple[str, str, int, str]], words: dict[str, Iterable[str]]
    ) -> None:
        #: lang -> sorted hashes of the normalised words wordfreq counts at
        #: least ``RARE_ZIPF`` (taken once from wordfreq, whose tables take a
        #: second to load; hashes in an array load 100 times faster than a set).
        self.words = {lang: np.unique(np.fromiter(map(_hash, ws), dtype=np.uint64))
                      for lang, ws in words.items()}
        self.exact: dict[str, list[_Name]] = {}
        self.fuzzy: dict[str, list[_Name]] = {}
        for place_id, name, population, country in names:
            bones = skeleton(name)
            if len(bones) < MIN_SKELETON:
                continue
            entry = _Name(place_id, vowelled(name), population, country)
            self.exact.setdefault(bones, []).append(entry)
            for variant in _deletions(bones):
                self.fuzzy.setdefault(variant, []).append(entry)

    def best(
        self, surface: str, countries: frozenset[str], *, short_ok: bool
    ) -> tuple[int, float, str] | None:
        """How well the closest-sounding name of a place in ``countries``
        matches ``surface`` (1 for the same skeleton, 0 for one class apart;
        the vowel-trace similarity) and its place id, or None when no name is
        close enough."""
        bones = skeleton(surface)
        if len(bones) < MIN_SKELETON or (len(bones) == MIN_SKELETON and not short_ok):
            return None
        form = vowelled(surface)
        found = [(1, n) for n in self.exact.get(bones, ())]
        if len(bones) >= FUZZY_SKELETON:
            found += [(0, n) for n in self.fuzzy.get(bones, ())]
            found += [(0, n) for d in _deletions(bones) for n in self.exact.get(d, ())]
        floor = SHORT_SIMILARITY if len(bones) == MIN_SKELETON else MIN_SIMILARITY
        scored = [(exact, SequenceMatcher(None, form, n.form).ratio(), n.population, n.place_id)
                  for exact, n in found if n.country in countries]
        scored = [s for s in scored if s[1] >= (floor if s[0] else FUZZY_SIMILARITY)]
        if not scored:
            return None
        exact, ratio, _, place_id = max(scored)
        return exact, ratio, place_id


def _hash(word: str) -> int:
    """A stable 64-bit hash of a word (Python's ``hash`` changes between runs)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def common_word(word: str, hashes: np.ndarray) -> bool:
    """Whether ``word`` is one of the common words hashed in ``hashes``."""
    h = np.uint64(_hash(word))
    i = int(np.searchsorted(hashes, h))
    return i < len(hashes) and hashes[i] == h


def _deletions(bones: str) -> set[str]:
    """The skeleton with one class left out, each way (long skeletons only)."""
    if len(bones) < FUZZY_SKELETON:
        return set()
    return {bones[:i] + bones[i + 1:] for i in range(len(bones))}


@lru_cache(maxsize=4)
def sound_index(gazetteer: Gazetteer) -> SoundIndex:
    """The :class:`SoundIndex` of the GeoNames places of the scope's countries,
    from its cache next to the gazetteer's when there is one."""
    base = gazetteer.cache_path
    path = Path(base).with_suffix(".sound.pkl") if base is not None else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                version, codes, index = pickle.load(fh)
            # The scope is data (soundalike.yaml): a changed scope rebuilds.
            if version == FORMAT_VERSION and codes == scope() and isinstance(index, SoundIndex):
                exempt_loaded()
                return index
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, ImportError):
            pass  # a stale or truncated cache is rebuilt below
    index = _build_index(gazetteer)
    if path is not None:
        _save(path, index)
    exempt_loaded()
    return index


def _build_index(gazetteer: Gazetteer) -> SoundIndex:
    """Uncached :func:`sound_index` (a few seconds: wordfreq's lists are read):
    GeoNames places and Kharita's curated towns of the scope."""
    from wordfreq import iter_wordlist, zipf_frequency  # heavy; only needed while building

    table = gazetteer.gn_columns()
    codes = scope()
    rows = [i for i, c in enumerate(table.country.tolist()) if c in codes]
    words: dict[str, Iterable[str]] = {}
    for lang in ("ar", "fr", "en"):
        # The list runs from the commonest word down.
        listed = itertools.takewhile(
            lambda w, lang=lang: zipf_frequency(w, lang) >= RARE_ZIPF,  # type: ignore[misc]
            iter_wordlist(lang))
        words[lang] = [normalize_key(w) for w in listed]
    towns = [(p.id, name, p.population or 0, p.country or "") for p in gazetteer.curated()
             if p.type == "town" and p.country in codes
             for name in {p.name, *(n for lang, n in p.names.items() if lang != "ar")}]
    return SoundIndex([*((f"gn:{int(table.geonameid[i])}", table.name[i],
                          int(table.population[i]), str(table.country[i])) for i in rows),
                       *towns], words)


def _save(path: Path, index: SoundIndex) -> None:
    """Write the cache atomically (a crash never leaves a half file)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # concurrent builders never collide
    try:
        with tmp.open("wb") as fh:
            pickle.dump((FORMAT_VERSION, scope(), index), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:
        raise GazetteerError(f"cannot write the sound index cache {path}: {exc}") from exc


@lru_cache(maxsize=1)
def read_data() -> dict[str, Any]:
    """The parsed ``soundalike.yaml``."""
    raw = read_yaml(DATA_DIR / "soundalike.yaml")
    if not isinstance(raw, dict):
        raise GazetteerError("soundalike.yaml: should be a mapping")
    return raw


@lru_cache(maxsize=2)
def scope(part: str = "scope") -> frozenset[str]:
    """The countries of ``soundalike.yaml``'s ``scope`` (or its ``default``)."""
    codes = read_data().get(part)
    if not isinstance(codes, list) or not all(isinstance(c, str) and len(c) == 2 for c in codes):
        raise GazetteerError(f"soundalike.yaml: '{part}' must be a list of ISO alpha-2 codes")
    return frozenset(codes)
