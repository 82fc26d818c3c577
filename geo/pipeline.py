"""The one orchestrator: text in, resolved place mentions (and map layers) out.

:func:`geoparse` finds and resolves the place mentions; :func:`map_text` goes on
to the event frames and the map layers. The web app, the CLI and the bulk tools
call these two, never the stages one by one.
"""

from __future__ import annotations

import datetime
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geopy.geocoders.base import Geocoder

from geo.acronyms import drop_acronyms
from geo.errors import InputError
from geo.extract import Extractor, default_matcher
from geo.fallback import resolve_misses
from geo.gazetteer import Gazetteer, get_gazetteer
from geo.language import LANGUAGES, detect_language, sentence_spans
from geo.matchindex import match_index
from geo.orgs import in_organisation_name
from geo.persons import drop_person_names
from geo.records import GeoparseResult
from geo.resolve import resolve_mentions
from geo.soundalike import sound_candidates

if TYPE_CHECKING:
    import geopandas as gpd


def geoparse(
    text: str,
    *,
    lang: str | None = None,
    gazetteer: Gazetteer | None = None,
    extractor: Extractor | None = None,
    geocoder: Geocoder | None = None,
    sound_matching: bool = True,
) -> GeoparseResult:
    """Find and resolve every place mention in ``text``.

    Parameters
    ----------
    text : str
        Plain text in Arabic, French or English (see :func:`geo.text.html_to_text`
        for HTML). Offsets in the result are ``str`` indices into it.
    lang : {"ar", "fr", "en"}, optional
        The text's language; detected when omitted.
    gazetteer : Gazetteer, optional
        Defaults to the bundled offline gazetteer.
    extractor : Extractor, optional
        Defaults to :class:`geo.extract.GazetteerMatcher` over ``gazetteer``.
    geocoder : geopy Geocoder, optional
        Asked about names the gazetteer lacks (see :mod:`geo.fallback`); by
        default nobody is asked and nothing leaves the machine.
    sound_matching : bool, default True
        Also read unknown names in a place context by sound, as towns of the
        document's countries GeoNames spells otherwise (see :mod:`geo.soundalike`).

    Returns
    -------
    GeoparseResult
        Mentions in text order, with their sentences. Empty or blank text
        gives an empty result.

    Raises
    ------
    InputError
        If ``text`` is not a ``str`` or ``lang`` is not supported.
    """
    if not isinstance(text, str):
        raise InputError(f"'text' should be str, got {type(text).__name__}")
    if lang is not None and lang not in LANGUAGES:
        raise InputError(f"'lang' should be one of {', '.join(LANGUAGES)} or None, got {lang!r}")
    lang = lang or detect_language(text)
    if not text.strip():
        return GeoparseResult(text=text, lang=lang, mentions=(), sentences=())
    gazetteer = gazetteer or get_gazetteer()
    index = match_index(gazetteer)
    extractor = extractor or default_matcher(gazetteer)
    sentences = sentence_spans(text)
    candidates = drop_person_names(
        [c for c in extractor.extract(text, lang=lang) if not in_organisation_name(c, text, lang)],
        text, lang)
    candidates = drop_acronyms(candidates, text, lang, gazetteer)
    if sound_matching:
        candidates = sound_candidates(candidates, text=text, lang=lang, gazetteer=gazetteer)
    mentions = resolve_mentions(candidates, text=text, lang=lang, sentences=sentences,
                                gazetteer=gazetteer, common=index.common.get(lang, {}))
    if geocoder is not None:
        mentions = resolve_misses(mentions, geocoder)
    return GeoparseResult(text=text, lang=lang, mentions=tuple(mentions), sentences=sentences)


@dataclass(frozen=True, slots=True)
class MappedText:
    """A text's place mentions and its map layers (GeoDataFrames, EPSG:4326)."""

    result: GeoparseResult
    layers: Mapping[str, gpd.GeoDataFrame]

    @property
    def lang(self) -> str:
        """The text's language (given or detected)."""
        return self.result.lang


def map_text(
    text: str,
    *,
    lang: str | None = None,
    published: datetime.date | None = None,
    layers: Iterable[str] | None = None,
    gazetteer: Gazetteer | None = None,
    geocoder: Geocoder | None = None,
) -> MappedText:
    """Geoparse ``text`` and build its map layers: the whole pipeline in one call.

    Parameters
    ----------
    text, lang, gazetteer, geocoder
        As for :func:`geoparse`.
    published : datetime.date, optional
        The report's date: the ``date`` of features whose sentence gives none.
    layers : iterable of str, optional
        Layer ids to build (``mentions`` always is); every layer if omitted.

    Raises
    ------
    InputError
        As :func:`geoparse`.
    LayerError
        If ``layers`` names an unknown layer or ``published`` is not a date.
    """
    from geo.layers import build_layers

    gazetteer = gazetteer or get_gazetteer()
    result = geoparse(text, lang=lang, gazetteer=gazetteer, geocoder=geocoder)
    built = build_layers(result, gazetteer=gazetteer, layers=layers, published=published)
    return MappedText(result=result, layers=built)


def geoparse_many(
    docs: Iterable[tuple[str, str | None]], *, jobs: int = 1, chunksize: int = 8
) -> Iterator[GeoparseResult]:
    """:func:`geoparse` over many documents, in order, on ``jobs`` processes.

    Parameters
    ----------
    docs : iterable of (text, lang)
        Each text with its language (``None``: detect it). Read lazily, so a
        corpus larger than memory streams through.
    jobs : int, default 1
        Worker processes. They share the gazetteer the parent has loaded (the
        index is loaded before they start), so each costs little extra memory
        on systems that fork.
    chunksize : int, default 8
        Documents handed to a worker at a time.

    Yields
    ------
    GeoparseResult
        One per document, in input order. An error in a document (say an
        unsupported ``lang``) is raised when its turn comes.
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise InputError(f"'jobs' should be a whole number of at least 1, got {jobs!r}")
    if jobs == 1:
        for text, lang in docs:
            yield geoparse(text, lang=lang)
        return
    gazetteer = get_gazetteer()
    default_matcher(gazetteer)  # loaded once here, shared by the workers
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(jobs) as pool:
        # Texts go to the workers once; only the mentions come back.
        texts: deque[str] = deque()

        def sent() -> Iterator[tuple[str, str | None]]:
            for text, lang in docs:
                texts.append(text)
                yield text, lang

        for found in pool.imap(_geoparse_pair, sent(), chunksize):
            yield replace(found, text=texts.popleft())


def _geoparse_pair(doc: tuple[str, str | None]) -> GeoparseResult:
    """:func:`geoparse` of one (text, lang) pair, without the text (a picklable
    worker function: the parent puts the text back)."""
    text, lang = doc
    return replace(geoparse(text, lang=lang), text="")
