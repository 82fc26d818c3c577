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
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Literal

import numpy as np

from geo.clues import Clues, place_cue_words
from geo.cues import cues_for, words_form
from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer
from geo.normalize import normalize_key
from geo.records import Candidate
from geo.soundindex import SoundIndex, common_word, read_data, scope, sound_index

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


@lru_cache(maxsize=4)
def _named_after(lang: str) -> frozenset[str]:
    """``soundalike.yaml``'s ``named_after`` words of ``lang``, normalised."""
    raw = read_data().get("named_after")
    words = raw.get(lang, []) if isinstance(raw, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise GazetteerError(f"soundalike.yaml: 'named_after.{lang}' must be a list of words")
    return frozenset(words_form(w) for w in words)


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
    if not ids or not all(i.startswith("gn:") for i in ids) or any(
            code in countries for i in ids for code in gazetteer.countries_of(i)):
        return cand
    if common_word(cand.key, index.words["ar"]):
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
    if common_word(normalize_key(surface), words):
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
    return not common_word(key, words) and not (first and common_word(key.split()[0], words))
