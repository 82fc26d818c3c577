"""The extractor's Aho-Corasick automaton over every gazetteer key.

Patterns are the key in "words form" (every non-word character a space:
``u.s.`` becomes ``u s``) plus a trailing space, so that a match always ends on a word boundary
(the matcher turns every non-word character of the text into a space). For
Arabic names that start with the article, a second pattern without the
article's alef lets ``للجزائر`` (ل + الجزائر) match. Values are integers into
``keys`` (negative for the elided form) because integer-valued automata load
several times faster than object-valued ones.

Building takes seconds; the result is cached next to the gazetteer index
and loaded in a fraction of a second afterwards.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product
from pathlib import Path

import ahocorasick
import numpy as np

from geo.cues import words_form
from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer, NameEntry
from geo.lifetime import exempt_loaded
from geo.normalize import is_arabic, normalize_key

FORMAT_VERSION = 10
#: The letters an Arabic proclitic starts with.
PROCLITIC_LETTERS = frozenset("وفبلك")


@dataclass(frozen=True, slots=True)
class MatchIndex:
    """An automaton and the keys its integer values point to."""

    automaton: ahocorasick.Automaton
    keys: tuple[str, ...]
    #: pattern -> gazetteer keys it stands for, where they differ ("u s" -> "u.s.")
    sources: dict[str, tuple[str, ...]]
    #: lang -> key -> wordfreq Zipf, for keys that are also common words
    common: dict[str, dict[str, float]]
    #: Length of each pattern in ``keys`` (an array, so that raw matches can
    #: be measured all at once).
    lengths: np.ndarray
    #: lang -> for each pattern in ``keys``, whether a name of that language
    #: behind it may be written in lower case (a French demonym, "zone des
    #: trois frontières"); other Latin names need a capital.
    lowercase: dict[str, np.ndarray]
    #: Common Arabic words (normalised, wordfreq Zipf >= 3) that begin with a
    #: proclitic letter: "كبيرا" is "big", not ك + a place called "بيرا".
    clitic_words: dict[str, float]


def build_match_index(
    keys: list[str],
    names: dict[str, str] | None = None,
    lowercase: dict[str, set[str]] | None = None,
    clitic_words: dict[str, float] | None = None,
) -> MatchIndex:
    """Build the automaton for ``keys`` (normalised gazetteer keys).

    Parameters
    ----------
    keys : list of str
        Every distinct key, as :func:`geo.normalize.normalize_key` made it.
    names : dict, optional
        A written form of each key, to look up how common a word it is.
    lowercase : dict, optional
        lang -> the keys with a name in that language written in lower case.
    clitic_words : dict, optional
        See :func:`clitic_words`; computed from wordfreq when omitted.
    """
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    groups: dict[str, list[str]] = {}
    for key in keys:
        pattern = words_form(key)
        if pattern:
            groups.setdefault(pattern, []).append(key)
    ordered = tuple(sorted(groups))
    sources = {p: tuple(ks) for p, ks in groups.items() if ks != [p]}
    for i, key in enumerate(ordered, start=1):
        # Arabic names may carry proclitics, so only their end is anchored;
        # other names start after a space, which spares the matcher every
        # suffix hit ("ton" inside "Washington").
        automaton.add_word((key if is_arabic(key[0]) else " " + key) + " ", i)
        if key.startswith("ال") and len(key) > 3:
            automaton.add_word(key[1:] + " ", -i)
    automaton.make_automaton()
    position = {p: i for i, p in enumerate(ordered)}
    lower = {}
    for lang, lower_keys in (lowercase or {}).items():
        lower[lang] = np.zeros(len(ordered), dtype=bool)
        lower[lang][[position[words_form(k)] for k in lower_keys if words_form(k)]] = True
    return MatchIndex(automaton=automaton, keys=ordered, sources=sources,
                      common=common_words(names or {}),
                      lengths=np.array([len(k) for k in ordered], dtype=np.int64),
                      lowercase=lower,
                      clitic_words=common_clitic_words() if clitic_words is None
                      else clitic_words)


def written_lower(entry: NameEntry) -> bool:
    """Whether a name may stand in lower case: a French demonym ("malien") or
    a name written that way in its language ("zone des trois frontières").

    A demonym shared by French and English once accents go ("nigérian" and
    "Nigerian", "nigérien", "burkinabè") is one entry of every language (``*``):
    it is the French demonym too.
    """
    if entry.kind == "demonym" and entry.lang in ("fr", "*"):
        return True
    return entry.lang != "*" and entry.name[:1].islower()


def lower_langs(entry: NameEntry) -> tuple[str, ...]:
    """The languages whose texts may write ``entry`` in lower case."""
    if not written_lower(entry):
        return ()
    return ("fr",) if entry.lang == "*" else (entry.lang,)


def common_words(names: dict[str, str], *, floor: float = 3.0) -> dict[str, dict[str, float]]:
    """Zipf frequency per language of the one-word names that are common words."""
    from wordfreq import zipf_frequency  # heavy; only needed while building

    out: dict[str, dict[str, float]] = {"ar": {}, "fr": {}, "en": {}}
    for key, name in names.items():
        if " " in key:
            continue
        forms = {name.lower(), key, *_arabic_spellings(key)}
        for lang, table in out.items():
            zipf = max(zipf_frequency(form, lang) for form in forms)
            if zipf >= floor:
                table[key] = zipf
    return out


def common_clitic_words(*, floor: float = 3.0) -> dict[str, float]:
    """Zipf of the common Arabic words that start with a proclitic letter (و ف ب ل ك).

    Such a word is only a proclitic glued to a name when the name is the
    commoner of the two ("والجزائر"); see :meth:`geo.extract.GazetteerMatcher.extract`.
    """
    from wordfreq import iter_wordlist, zipf_frequency  # heavy; only needed while building

    out: dict[str, float] = {}
    for word in iter_wordlist("ar"):
        zipf = zipf_frequency(word, "ar")
        if zipf < floor:
            break  # the list runs from the commonest word down
        key = normalize_key(word)
        if key[:1] in PROCLITIC_LETTERS:
            out[key] = max(out.get(key, 0.0), zipf)
    return out


def _arabic_spellings(key: str, *, most: int = 24) -> list[str]:
    """Usual spellings of a folded Arabic key, which word lists do not fold.

    Keys fold ة to ه, ى to ي and the hamza forms (أ إ ئ ؤ) to bare letters;
    "سنه" is "سنة" ("year") in running text, "وان" may be "وأن" ("and that"),
    "مرفا" is "مرفأ" ("port").
    """
    if not key or not is_arabic(key[0]):
        return []
    options: list[tuple[str, ...]] = []
    for i, ch in enumerate(key):
        last = i == len(key) - 1
        if ch == "ا":
            options.append(("ا", "أ", "إ", "آ") if i < 3 else ("ا", "أ") if last else ("ا",))
        elif ch == "ي":
            options.append(("ي", "ى") if last else ("ي", "ئ"))
        elif ch == "ه" and last:
            options.append(("ه", "ة"))
        elif ch == "و" and i > 0 and not last:
            options.append(("و", "ؤ"))
        else:
            options.append((ch,))
    return ["".join(form) for form in islice(product(*options), most)]


@lru_cache(maxsize=4)
def match_index(gazetteer: Gazetteer) -> MatchIndex:
    """Return the match index for ``gazetteer``, from its cache when possible."""
    path = _cache_path(gazetteer)
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                version, index = pickle.load(fh)
            if version == FORMAT_VERSION and isinstance(index, MatchIndex):
                exempt_loaded()
                return index
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            pass  # a stale or truncated cache is rebuilt below
    keys = list(gazetteer.keys())
    names: dict[str, str] = {}
    lowercase: dict[str, set[str]] = {}
    for key in keys:
        entries = gazetteer.lookup(key)
        if entries and " " not in key:
            names[key] = entries[0].name
        for e in entries:
            for lang in lower_langs(e):
                lowercase.setdefault(lang, set()).add(key)
    index = build_match_index(keys, names, lowercase)
    if path is not None:
        _save(path, index)
    exempt_loaded()
    return index


def _cache_path(gazetteer: Gazetteer) -> Path | None:
    """Where to cache the index for this gazetteer build, if it has a cache."""
    base = getattr(gazetteer, "cache_path", None)
    if base is None:
        return None
    return Path(base).with_suffix(".matcher.pkl")


def _save(path: Path, index: MatchIndex) -> None:
    """Write the cache atomically (a crash never leaves a half file)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # concurrent builders never collide
    try:
        with tmp.open("wb") as fh:
            pickle.dump((FORMAT_VERSION, index), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:
        raise GazetteerError(f"cannot write the match index cache {path}: {exc}") from exc
