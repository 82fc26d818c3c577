"""Unseen names read by sound: transliterations of GeoNames' Latin names.

Many Sahel towns are in GeoNames cities500 under a Latin name only
("Ansongo", "Bosso"), and the press spells others its own way ("Tin Essako"
for "Ti-n-Essako"). The gazetteer matcher cannot find them; this module
can, for a word in a place context the matcher left alone: after a place cue
word ("بلدة", "village de") or a locative ("في", "à", "near"), or next to a
known place in a list ("Gao, Ansongo et Ménaka"). The word's consonant
skeleton (:mod:`geo.skeleton`) is looked up among the skeletons of the
GeoNames names of the document's countries, within one deleted class for
longer names, and the closest name by vowel trace wins.

Trade-offs: it only proposes towns of the countries in ``soundalike.yaml``'s
scope (where the problem is, and where few names make collisions rare); a
common word in a place context may still sound like a town, so words that
wordfreq knows and Arabic words with the article are never tried, and
two-consonant skeletons need a cue word or a list, not a bare locative.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import pickle
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from geo.clues import Clues, place_cue_words
from geo.cues import cues_for, words_form
from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer
from geo.normalize import normalize_key
from geo.records import Candidate
from geo.skeleton import skeleton, vowelled

FORMAT_VERSION = 3  # of the cached index
MIN_SKELETON = 2  # shorter skeletons match too much
FUZZY_SKELETON = 5  # from this length one class may be missing on either side
MIN_SIMILARITY = 0.7  # vowel traces at least this alike (difflib ratio)
FUZZY_SIMILARITY = 0.75  # ...this alike when a class is missing
SHORT_SIMILARITY = 0.85  # ...and this alike for a two-class skeleton
RARE_ZIPF = 2.5  # a word wordfreq counts this often is a word, not a town
#: An Arabic word: proclitics, then the name; a Latin name: capitalised words
#: joined by hyphens, perhaps a second capitalised word ("Tin Essako").
_AR_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:-[^\W\d_]+)*(?: [A-ZÀ-ÖØ-Þ][^\W\d_]+)?")
_AR_ARTICLE = re.compile(r"[وف]?(?:[بك]?[اأ]ل|لل)")  # "والثكنات": و + the article
_AR_PROCLITICS = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل")
_JOINER = re.compile(r"\s*(?:,|،|\bet\b|\band\b|\bou\b|\bor\b)\s*|\s+(?=و)")
#: Folded letters back to the letters they stand for in running text.
_WRITTEN = {"ه": "[هة]", "ا": "[اأإآ]", "ي": "[يىئ]", "و": "[وؤ]", "a": "[aàâä]",
            "e": "[eéèêë]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]",
            " ": r"\s+"}
_COUNTRY = "ne:admin0:"
#: Why a span may hold a name: after a place cue word, after a locative that
#: names a place when a capitalised word follows ("à", "near": ``named``),
#: after another locative, or next to a known place in a list.
Context = Literal["cue", "named", "locative", "list"]
_QUOTE = "(?:[\"“”«„]|''?)"  # an opening quotation mark (two apostrophes too)
_GAP = 3  # characters of white space and punctuation allowed after a cue word


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


def _common(word: str, hashes: np.ndarray) -> bool:
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
                version, index = pickle.load(fh)
            if version == FORMAT_VERSION and isinstance(index, SoundIndex):
                return index
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            pass  # a stale or truncated cache is rebuilt below
    index = _build_index(gazetteer)
    if path is not None:
        _save(path, index)
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
            pickle.dump((FORMAT_VERSION, index), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:
        raise GazetteerError(f"cannot write the sound index cache {path}: {exc}") from exc


@lru_cache(maxsize=4)
def _named_after(lang: str) -> frozenset[str]:
    """``soundalike.yaml``'s ``named_after`` words of ``lang``, normalised."""
    raw = _read_data().get("named_after")
    words = raw.get(lang, []) if isinstance(raw, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise GazetteerError(f"soundalike.yaml: 'named_after.{lang}' must be a list of words")
    return frozenset(words_form(w) for w in words)


@lru_cache(maxsize=1)
def _read_data() -> dict[str, Any]:
    """The parsed ``soundalike.yaml``."""
    path = resources.files("geo") / "data" / "soundalike.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read soundalike.yaml: {exc}") from exc
    if not isinstance(raw, dict):
        raise GazetteerError("soundalike.yaml: should be a mapping")
    return raw


@lru_cache(maxsize=2)
def scope(part: str = "scope") -> frozenset[str]:
    """The countries of ``soundalike.yaml``'s ``scope`` (or its ``default``)."""
    codes = _read_data().get(part)
    if not isinstance(codes, list) or not all(isinstance(c, str) and len(c) == 2 for c in codes):
        raise GazetteerError(f"soundalike.yaml: '{part}' must be a list of ISO alpha-2 codes")
    return frozenset(codes)


def sound_candidates(
    candidates: Sequence[Candidate], *, text: str, lang: str, gazetteer: Gazetteer
) -> list[Candidate]:
    """``candidates`` with the unseen names that sound like a known town added.

    Parameters
    ----------
    candidates : sequence of Candidate
        The extractor's, in text order (they are kept as they are).
    text, lang
        The document and its language.
    gazetteer : Gazetteer
        Whose GeoNames places are matched.

    Returns
    -------
    list of Candidate
        In text order, non-overlapping.
    """
    countries, named = _countries(candidates, gazetteer)
    if not countries:
        return list(candidates)  # a text about other parts of the world
    starts = [c.start for c in candidates]
    # A text that names no country gets only its cue words read ("بلدة X"):
    # a locative there is too weak a sign ("عن تنكيس", about lowering).
    spots = [(s, e, c) for s, e, c in _spots(candidates, text, lang)
             if (named or c == "cue") and _free(s, e, starts, candidates)]
    index = sound_index(gazetteer)
    if lang == "ar":
        candidates = [_with_local_reading(c, text, countries, index, gazetteer)
                      for c in candidates]
    found: dict[int, Candidate] = {}
    for start, end, context in spots:
        if start in found:
            continue
        cand = _sound_candidate(text, start, end, lang, (index, countries), gazetteer,
                                context=context)
        if cand is not None:
            found[start] = cand
    # A longer name heard by sound replaces the short names inside it ("Tin" in
    # "Tin Zaouatine"); a reasoned miss replaces nothing.
    kept = [c for c in candidates if not any(
        f.place_ids and f.start <= c.start and c.end <= f.end for f in found.values())]
    found = {k: f for k, f in found.items() if f.place_ids or _free(
        f.start, f.end, starts, candidates, inside=False)}
    return sorted([*kept, *found.values()], key=lambda c: c.start)


def _with_local_reading(
    cand: Candidate, text: str, countries: frozenset[str], index: SoundIndex,
    gazetteer: Gazetteer,
) -> Candidate:
    """``cand`` read as the town of the document's countries its name sounds
    like, when its Arabic name is only known for towns elsewhere ("بوسو":
    Boussu in Belgium, but Bosso in a report on Niger). The far towns are
    dropped: their Arabic names are GeoNames' untagged alternates, and a
    small town abroad is the unlikelier reading of a report on the region."""
    ids = cand.place_ids
    if not ids or not all(i.startswith("gn:") for i in ids) or _common(cand.key, index.words["ar"]):
        return cand
    if any(code in countries for i in ids for code in gazetteer.countries_of(i)):
        return cand
    cued = Clues(cand, text, "ar").place_cue()  # a two-class name needs a cue word
    match = index.best(cand.key, countries, short_ok=cued)
    return replace(cand, place_ids=(match[2],)) if match is not None else cand


def _countries(
    candidates: Sequence[Candidate], gazetteer: Gazetteer
) -> tuple[frozenset[str], bool]:
    """The scope countries the document names (countries named as such, and
    the countries of single-reading names), and True; or, when it names no
    country at all, the ``default`` countries and False."""
    # A country comes first among a name's readings ("Mali": the country,
    # then the Guinean unit, then the towns).
    ids = {c.place_ids[0] for c in candidates if c.place_ids and (
        len(c.place_ids) == 1 or c.place_ids[0].startswith(_COUNTRY))}
    named = {code for i in ids for code in gazetteer.countries_of(i)}
    if not named:
        return scope("default"), False
    return frozenset(named) & scope(), True


def _free(
    start: int, end: int, starts: list[int], candidates: Sequence[Candidate],
    *, inside: bool = True,
) -> bool:
    """Whether ``[start, end)`` overlaps none of the non-overlapping
    ``candidates`` (``starts``: their starts, in order), or (``inside``) only
    shorter candidates that lie within it."""
    i = bisect.bisect_left(starts, end) - 1  # the last candidate starting before ``end``
    while i >= 0 and candidates[i].end > start:
        inner = candidates[i]
        if not inside or inner.start < start or inner.end > end or (
                inner.start == start and inner.end == end):
            return False  # a name already found is not heard again
        i -= 1
    return True


def _spots(
    candidates: Sequence[Candidate], text: str, lang: str
) -> Iterator[tuple[int, int, Context]]:
    """Spans that may hold a name, with the context that makes them so."""
    for match in _cue_pattern(lang).finditer(text):
        context: Context = "cue" if match.group("cue") else (
            "named" if match.groupdict().get("named") else "locative")
        yield from ((s, e, context) for s, e in _name_at(text, match.end(), lang))
    for cand in candidates:
        # Towns are listed with towns; after a province or a country a comma
        # often opens a person's name ("ولاية بورنو، باباغانا").
        if cand.place_ids and all(i.startswith("gn:") for i in cand.place_ids):
            joined = _JOINER.match(text, cand.end)
            if joined is not None:
                yield from ((s, e, "list") for s, e in _name_at(text, joined.end(), lang))


def _name_at(text: str, pos: int, lang: str) -> Iterator[tuple[int, int]]:
    """The Arabic word or capitalised Latin name starting at ``pos``, if any."""
    found = (_AR_WORD if lang == "ar" else _LATIN_NAME).match(text, pos)
    if found is not None:
        yield found.start(), found.end()


@lru_cache(maxsize=4)
def _cue_pattern(lang: str) -> re.Pattern[str]:
    """A place cue word (group ``cue``) or a locative of ``lang``, a little
    space, and the start of what may be a name (one scan finds both)."""
    space = rf"[\s\u200e\u200f]{{1,{_GAP}}}"
    # Perhaps an opening quote: 'بلدة "ميسيني"', "le village de « Tidermène »".
    quote = rf"(?:{_QUOTE}\s?)?"
    cues, named, locatives = (
        sorted({w for w in words if w}, key=len, reverse=True)
        for words in (place_cue_words(lang), _named_after(lang), cues_for(lang).locatives))
    named_part = f"(?P<named>{'|'.join(map(_spelled, named))}){space}|" if named else ""
    head = r"(?<!\S)[وف]?[بل]?" if lang == "ar" else r"\b"
    # "le camp de Boulkessi", "the town of Baga": the cue, then "of" and the name.
    of = "" if lang == "ar" else r"(?:(?:de|du|des|of)\s+|d['’])?"
    # Only what may follow: no article in Arabic ("في المدينة" names no town),
    # a capital in Latin scripts.
    then = r"(?!ال|أل)" if lang == "ar" else r"(?-i:(?=[A-ZÀ-ÖØ-Þ]))"
    flags = re.IGNORECASE if lang != "ar" else 0
    return re.compile(rf"{head}(?:(?P<cue>(?:{'|'.join(map(_spelled, cues))}){space}{of})"
                      rf"|{named_part}(?:{'|'.join(map(_spelled, locatives))}){space})"
                      rf"{quote}{then}", flags)


def _spelled(form: str) -> str:
    """A regex for the written forms of a folded word ("مدينه": "مدين[هة]")."""
    return "".join(_WRITTEN.get(ch, re.escape(ch)) for ch in form).replace(r"\ ", r"\s+")


def _sound_candidate(
    text: str, start: int, end: int, lang: str, where: tuple[SoundIndex, frozenset[str]],
    gazetteer: Gazetteer, *, context: Context,
) -> Candidate | None:
    """A candidate for ``text[start:end]`` if it is an unknown rare word that
    sounds like a town of the index (in Arabic, with or without a proclitic:
    "بوريم" is Bourem, "بميناكا" ب + Ménaka).

    After a place cue word ("le camp de Boulkessi") an unknown rare name that
    sounds like none is still a place: a candidate without readings, which
    the resolver reports as a reasoned miss (recognised, not located)."""
    surface = text[start:end]
    index, countries = where
    words = index.words[lang]
    if _common(normalize_key(surface), words):
        return None
    readings = [("", surface)]
    if lang == "ar":
        readings += [(p, surface[len(p):]) for p in _AR_PROCLITICS
                     if surface.startswith(p) and len(surface) - len(p) >= 3]
    best: tuple[tuple[int, float, str], str, str] | None = None
    for prefix, name in readings:
        if not _unknown_rare(name, lang, gazetteer, words):
            continue
        match = index.best(name, countries, short_ok=context != "locative")
        if match is not None and (best is None or match[:2] > best[0][:2]):
            best = (match, prefix, name)
    if best is None:
        if context not in ("cue", "named") or _AR_ARTICLE.match(surface) or \
                not _unknown_rare(surface, lang, gazetteer, words, first=True):
            return None
        return Candidate(start=start, end=end, surface=surface, key=normalize_key(surface),
                         place_ids=())
    (_, _, place_id), prefix, name = best
    return Candidate(start=start, end=end, surface=surface, key=normalize_key(name),
                     place_ids=(place_id,), prefix=prefix)


def _unknown_rare(
    name: str, lang: str, gazetteer: Gazetteer, words: np.ndarray, *, first: bool = False
) -> bool:
    """Whether ``name`` is no gazetteer name and none of the common ``words``
    (nor, with ``first``, is its first word: "Operation Barkhane" is no place
    unheard of, but "Tin Zaouatine" may sound like one)."""
    key = normalize_key(name)
    if len(key.replace(" ", "")) < 3 or gazetteer.lookup(key):
        return False
    if lang == "ar" and key.startswith("ال"):
        return False  # the article makes a common noun ("المنطقة")
    return not _common(key, words) and not (first and _common(key.split()[0], words))
