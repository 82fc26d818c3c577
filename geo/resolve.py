"""Choose one place per candidate, or say why none fits.

Resolution runs in two passes over the document:

1. **Anchors**: candidates with a single reading, or whose readings include
   one clearly dominant area (a country over its same-named capital), fix
   the document's context: which countries it talks about and where.
2. **Ambiguous names** are scored against that context: type prior
   (country > region > first-level unit > city > village), population,
   whether the place lies in a context country, and whether it is near an
   anchor. Cue words ("مدينة", "city of") favour the city reading.

Small places whose name is also a common word ("Police", "Reading") are
dropped unless context supports them; a direction ("northern Mali")
becomes the matching part of the area; "the south of the country" is the
part of the country the sentence is about.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from operator import itemgetter

from geo.clues import (
    Clues,
    bare_direction,
    french_article_before,
    in_name_run,
    listed_after_country,
    region_cue,
    sentence_start,
)
from geo.distance import km_between
from geo.gazetteer import Gazetteer
from geo.normalize import is_arabic, normalize_key
from geo.records import PRECISION_NEAR, Candidate, Mention, MentionKind, Place

TYPE_PRECISION = {
    "country": 6, "group": 6, "admin1": 4, "admin2": 3, "part": 5, "region": 5,
    "border_area": 5, "desert": 5, "mountains": 5, "river": 5, "lake": 5,
    "sea": 7, "ocean": 7, "city": 1, "town": 1, "village": 1,
}
TYPE_PRIOR = {
    "country": 3.0, "group": 2.8, "region": 2.5, "border_area": 2.5, "desert": 2.5,
    "mountains": 2.3, "river": 2.3, "lake": 2.3, "sea": 2.5, "ocean": 2.5,
    "admin1": 2.0, "admin2": 1.6, "city": 1.2, "town": 0.7, "village": 0.3,
}
AREA_TYPES = frozenset({"country", "admin1", "admin2", "region", "border_area", "desert",
                        "mountains", "group"})
SMALL_TYPES = frozenset({"town", "village"})
POPULATED_TYPES = frozenset({"city", "town", "village"})
BROAD_TYPES = frozenset({"country", "group", "region", "border_area", "desert", "sea", "ocean"})
COMMON_ZIPF = 3.3  # wordfreq Zipf at or above which a word is "common"
SHORT_KEY = 3  # names this short got past the matcher as capitals or "Ga."-style
CONTEXT_WEIGHT = 3.0  # a text's own country outweighs a famous namesake abroad
PRIMARY_NAME = 1.0  # "Arlington" is Arlington, not a village once called so
NEAR_KM = 400.0
BESIDE_KM = 1500.0  # a unit this close to its namesake country is in the same news
CELL_DEGREES = 4.0  # ~440 km of latitude: neighbours of a cell cover NEAR_KM
NEAR_BONUS = 2.0  # local news names towns near each other
DOMINANT = 0.6  # share of votes from which one country is "the" country of a text
WORLD_CITY = 500_000  # cities this large are what a bare name usually means
KNOWN_CITY = 250_000  # frequent as a word because frequent as a city ("لندن")
METROPOLIS = 1_000_000  # known by any of its spellings, not only its own name
EVERYDAY_WORD = 5.4  # ...but not this frequent ("سنة" year, "مدينة" city)
BOX_MARGIN = 0.5  # degrees around an area's box that still hold a town named with it
#: Words that may stand between a town and the area holding it ("Boma island in the Lake
#: Chad region", "l'île de Boma, dans la région du lac").
IN_WORDS = frozenset({"in", "of", "the", "island", "village", "town", "dans", "en", "de", "du",
                      "au", "à", "la", "le", "l'", "île", "ville", "localité", "في"})
IN_REACH = 3
SHORT_FORM_KM = 100.0  # a short form read this far from the long name's place is that place
#: Words that make a longer name the unit of its shorter one ("Gao Region", "Niger State").
UNIT_WORDS = frozenset(normalize_key(w) for w in (
    "region", "state", "province", "district", "area", "county", "city", "town", "governorate",
    "department", "région", "département", "cercle", "ville", "commune", "préfecture",
    "wilaya", "lga", "ولاية", "منطقة", "إقليم", "مدينة", "محافظة", "بلدة", "دائرة",
    "mountains", "mount", "lake", "forest", "monts", "massif", "lac", "forêt", "جبال", "جبل",
    "بحيرة", "غابة"))
LATIN_COMMON_TOWN = 4.0
#: An Arabic town this populous right after a cue word ("مخيم امبرة", "مدينة نيامي") is that
#: town even in a report about another country.
CUED_TOWN = 10_000  # Zipf above which a town's name is a word first ("May")


@dataclass(slots=True)
class _Context:
    """What the document's unambiguous mentions say about where it is.

    Not frozen, though never changed once made: one is made per document,
    and a frozen dataclass's constructor costs several times as much (a
    one-sentence text pays it in full).
    """

    countries: Counter[str]
    points: tuple[tuple[float, float], ...]
    units: frozenset[str]  # first-level units the document is clearly about
    total: float = 0.0
    cells: dict[tuple[int, int], list[tuple[float, float]]] = field(default_factory=dict)
    #: The cells whose places may lie within ``NEAR_KM`` of an anchor (the
    #: anchors' cells and their eight neighbours): a quick "no" for the rest.
    reach: frozenset[tuple[int, int]] = frozenset()
    #: The country with more than ``DOMINANT`` of the votes, if any.
    dominant: str | None = None
    #: Keys of Latin names seen inside a run of capitalised words (persons' names).
    persons: frozenset[str] = frozenset()
    #: Starts of Arabic names listed with another name ("انيفيس وتساليت").
    listed: frozenset[int] = frozenset()
    #: Starts of Latin names followed by their state ("Paris, Tenn.").
    qualified: frozenset[int] = frozenset()
    # Per-document memo: a document names the same places again and again.
    _ranked: dict[tuple[tuple[str, ...], str, bool], list[tuple[float, Place]]] = field(
        default_factory=dict, compare=False)

    def share(self, country: str | None) -> float:
        return self.countries[country] / self.total if country and self.total else 0.0

    def elsewhere(self, country: str | None) -> bool:
        """Whether the document is mostly about another country than ``country``."""
        return self.dominant is not None and self.dominant != country

    def near(self, place: Place) -> bool:
        """Whether an anchor point lies within ``NEAR_KM`` (grid lookup, then distance)."""
        lat, lon = place.lat, place.lon
        row, col = _cell(lat, lon)
        if (row, col) not in self.reach:
            return False
        cells = self.cells
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for a_lat, a_lon in cells.get((row + dr, col + dc), ()):
                    if km_between(lat, lon, a_lat, a_lon) < NEAR_KM:
                        return True
        return False

    def ranked(
        self, ids: tuple[str, ...], places: list[Place], written: str, *, cued: bool
    ) -> list[tuple[float, Place]]:
        """:func:`_ranked`, memoised: in one document, the same readings (``ids``)
        of a name written the same way, with or without a city cue, rank the same."""
        if len(places) == 1:
            return [(0.0, places[0])]  # no rival: the score would never be read
        key = (ids, written, cued)
        found = self._ranked.get(key)
        if found is None:
            found = self._ranked[key] = _ranked(places, self, written, cued=cued)
        return found


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """Grid cell of a point; cells are wider than ``NEAR_KM`` everywhere they matter."""
    return int(lat // CELL_DEGREES), int(lon // CELL_DEGREES)


def resolve_mentions(
    candidates: Sequence[Candidate],
    *,
    text: str,
    lang: str,
    sentences: Sequence[tuple[int, int]],
    gazetteer: Gazetteer,
    common: dict[str, float] | None = None,
) -> list[Mention]:
    """Turn candidates into mentions, in text order.

    Parameters
    ----------
    candidates : sequence of Candidate
        Non-overlapping spans from an extractor.
    text : str
        The text the offsets point into.
    lang : str
        ``ar``, ``fr`` or ``en``.
    sentences : sequence of (int, int)
        Sentence spans of ``text``.
    gazetteer : Gazetteer
        Where place ids are looked up.
    common : dict, optional
        Zipf frequency of gazetteer keys that are common words in ``lang``.
    """
    if not candidates:
        return []
    common = common or {}
    places_of: dict[tuple[str, ...], list[Place]] = {}  # repeated names: look up once
    readings: dict[Candidate, list[Place]] = {}
    for c in candidates:
        if c.place_ids not in places_of:
            places_of[c.place_ids] = [gazetteer.place(i) for i in c.place_ids]
        readings[c] = places_of[c.place_ids]
    qualified = _qualified(candidates, readings, text) if lang != "ar" else {}
    readings.update(qualified)
    # Latin casing says nothing inside a run of capitalised words (a person's
    # name, perhaps: "Chad Smith") nor at a sentence start; each run is found once.
    runs = [lang != "ar" and in_name_run(c, text) for c in candidates]
    trusted = {c for c, run in zip(candidates, runs, strict=True)
               if lang != "ar" and not run and not sentence_start(c, text)}
    persons = frozenset(c.key for c, run in zip(candidates, runs, strict=True) if run)
    context = _context(readings, common, trusted=trusted, persons=persons, lang=lang,
                       listed=_town_lists(candidates, text) if lang == "ar" else frozenset(),
                       qualified=frozenset(c.start for c in qualified))
    starts = [s for s, _ in sentences]
    found: list[tuple[Candidate, Mention | None]] = []
    recent: list[tuple[int, str]] = []  # (end offset, iso2) of country-level mentions
    for cand in candidates:
        sentence = _sentence_of(cand.start, sentences, starts)
        mention = _resolve_one(cand, readings[cand], context, text, lang, sentence,
                               common, gazetteer, recent)
        if mention is not None and mention.place is not None and mention.place.country \
                and mention.precision == 6:
            recent.append((cand.end, mention.place.country))
        found.append((cand, mention))
    found = _of_nationality(found, readings, text, lang)
    found = _short_forms(_within_next_area(found, readings, text))
    if lang != "ar":
        return [m for _, m in found if m is not None]
    return _with_repeats(found, readings, sentences, starts, gazetteer)


def _short_forms(found: list[tuple[Candidate, Mention | None]]
                 ) -> list[tuple[Candidate, Mention | None]]:
    """Mentions whose name opens the longer name of an area named earlier in the text
    ("the Adrar area" after "the Adrar des Ifoghas mountains") take that area when their
    own reading is far from it: one writer, one Adrar. A longer name that only adds a
    unit word ("Gao Region", "Niger State") is not another place's name for the shorter."""
    longer: dict[str, Mention] = {}
    out: list[tuple[Candidate, Mention | None]] = []
    for cand, m in found:
        own = longer.get(cand.key)
        if (m is not None and m.place is not None and own is not None
                and own.place is not None and m.place.id != own.place.id
                and m.place.type != "country" and not cand.direction
                and km_between(m.place.lat, m.place.lon, own.place.lat, own.place.lon)
                > SHORT_FORM_KM):
            m = replace(m, place=own.place, precision=own.precision)
        elif m is not None and m.place is not None and m.place.type in AREA_TYPES:
            words = cand.key.split()
            while words and words[0] in UNIT_WORDS:  # "جبال أدرار إيفوغاس", "Lake Chad"
                words = words[1:]
            for n in range(1, len(words)):
                if not set(words[n:]) & UNIT_WORDS:
                    longer.setdefault(" ".join(words[:n]), m)
        out.append((cand, m))
    return out


def _within_next_area(
    found: list[tuple[Candidate, Mention | None]], readings: dict[Candidate, list[Place]],
    text: str,
) -> list[tuple[Candidate, Mention | None]]:
    """Towns named right before the area that holds them ("Boma island in the Lake Chad
    region", "جزيرة بوما بمنطقة بحيرة تشاد", "Bol, au Lac") take their reading inside that
    area's box, or become a reasoned miss when the gazetteer has none there: the Boma in
    the Congo is not the one in the Lake Chad region, and a miss is better than a town
    2,000 km off."""
    out = list(found)
    for i in range(len(out) - 1):
        (town, mention), (area, held) = out[i], out[i + 1]
        if (mention is None or mention.place is None or held is None or held.place is None
                or mention.place.type not in POPULATED_TYPES or held.place.type not in AREA_TYPES
                or held.place.bbox is None):
            continue  # decided without reading the words between (most pairs)
        between = text[town.end:area.start].replace(",", " ").casefold().split()
        if len(between) > IN_REACH or not set(between) <= IN_WORDS:
            continue
        box = held.place.bbox
        inside = [p for p in readings[town] if p.type in POPULATED_TYPES and _in_box(p, box)]
        if mention.place in inside:
            continue
        best = max(inside, key=lambda p: p.population or 0, default=None)
        out[i] = (town, replace(mention, place=best) if best is not None else _miss(
            town, mention.sentence, f"no place of this name in {held.place.name}"))
    return out


def _in_box(place: Place, box: tuple[float, float, float, float]) -> bool:
    """Whether ``place`` lies in ``box`` (west, south, east, north) or its margin."""
    west, south, east, north = box
    return (west - BOX_MARGIN <= place.lon <= east + BOX_MARGIN
            and south - BOX_MARGIN <= place.lat <= north + BOX_MARGIN)


def _of_nationality(
    found: list[tuple[Candidate, Mention | None]], readings: dict[Candidate, list[Place]],
    text: str, lang: str,
) -> list[tuple[Candidate, Mention | None]]:
    """Places named with a nationality right next to them ("le Gourma malien", "the
    Mauritanian Adrar") take their reading in that country, or become a reasoned miss
    when the gazetteer has none there: Burkina Faso's Gourma is never what "le Gourma
    malien" means."""
    out = list(found)
    for i in range(len(out) - 1):
        pair = (out[i], out[i + 1]) if lang != "en" else (out[i + 1], out[i])
        (name, mention), (nationality, country) = pair
        first, second = out[i][0], out[i + 1][0]
        if (nationality.kind != "demonym" or mention is None or mention.place is None
                or country is None or country.place is None
                or country.place.type != "country" or mention.place.type == "country"
                or mention.place.country in (None, country.place.country)
                or text[first.end:second.start].strip()):
            continue
        code = country.place.country
        inside = [p for p in readings[name] if p.country == code]
        best = max(inside, key=lambda p: p.population or 0, default=None)
        j = i if lang != "en" else i + 1
        out[j] = (name, replace(mention, place=best) if best is not None else _miss(
            name, mention.sentence, f"no place of this name in {country.place.name}"))
    return out


def _with_repeats(
    found: list[tuple[Candidate, Mention | None]], readings: dict[Candidate, list[Place]],
    sentences: Sequence[tuple[int, int]], starts: list[int], gazetteer: Gazetteer,
) -> list[Mention]:
    """The mentions, with bare repeats of a town the document names credibly elsewhere.

    An Arabic report names a town with a cue once ("مدينة نامبالا") and bare
    afterwards ("احتلينا نامبالا"); without capitals to help, the bare repeat
    lacks the cue a first mention needs, but one name keeps one sense within one
    document. (In Latin script a capitalised town needs no cue, and a bare repeat
    that was refused has a reason of its own: a person's name, a common word.)
    """
    credible = {c.key: m for c, m in found if m is not None and m.place is not None
                and m.place.type in SMALL_TYPES and c.kind == "toponym" and not c.direction}
    out: list[Mention] = []
    for cand, mention in found:
        earlier = credible.get(cand.key) if cand.kind == "toponym" else None
        if mention is None and earlier is not None and earlier.place is not None \
                and not cand.direction and any(p.id == earlier.place.id for p in readings[cand]):
            sentence = _sentence_of(cand.start, sentences, starts)
            mention = _mention(cand, earlier.place, earlier.confidence, sentence, gazetteer)
        if mention is not None:
            out.append(mention)
    return out


def _resolve_one(
    cand: Candidate,
    places: list[Place],
    context: _Context,
    text: str,
    lang: str,
    sentence: tuple[int, int],
    common: dict[str, float],
    gazetteer: Gazetteer,
    recent: list[tuple[int, str]],
) -> Mention | None:
    """Resolve one candidate; ``None`` means it is not a place mention at all."""
    if not cand.key:
        return _anaphor(cand, sentence, context, gazetteer, recent)
    if not places:
        return _miss(cand, sentence, "not in the offline gazetteer (a unit it does not hold)")
    clues = Clues(cand, text, lang)
    cued = len(places) > 1 and clues.city_cue
    scored = context.ranked(tuple(p.id for p in places), places, cand.surface.casefold(),
                            cued=cued)
    if any(p.type == "admin1" for p in places) and (region_cue(cand, text, lang) or (
            lang == "fr" and french_article_before(cand, text)
            and not any(p.type == "country" for p in places))):
        scored.sort(key=lambda sp: sp[1].type != "admin1")  # "la région de Tahoua"
    listed = cand.kind == "toponym" and listed_after_country(cand, text, recent)
    # The best credible reading: "Kidal" the town needs support that Kidal
    # the region does not, so a doubtful town falls back to an area reading.
    supported = next(((sc, p) for i, (sc, p) in enumerate(scored)
                      if (i == 0 or p.type in AREA_TYPES)
                      and ((listed and p.type == "country")
                           or _supported(cand, p, context, clues, common))), None)
    if supported is None:
        return None
    best_score, best = supported
    rivals = [sc for sc, p in scored if p is not best]
    margin = max(0.0, best_score - max(rivals)) if rivals else 3.0
    confidence = 0.5 + 0.47 * (margin / (margin + 1.0))
    if cand.kind == "demonym":
        best = _country_of(best, gazetteer) or best
    return _mention(cand, best, confidence, sentence, gazetteer)


def _mention(
    cand: Candidate, place: Place, confidence: float, sentence: tuple[int, int],
    gazetteer: Gazetteer,
) -> Mention:
    """Build the mention, applying a direction to areas ("northern Mali")."""
    # A group of states is a name of an organisation or a set of countries,
    # no place name, though it maps to its members' territory.
    kind: MentionKind = "reference" if place.type == "group" else cand.kind
    precision = TYPE_PRECISION.get(place.type, 1)
    if cand.direction and place.type in AREA_TYPES:
        place = gazetteer.part(place.id, cand.direction)
        kind, precision = "toponym", TYPE_PRECISION["part"]
    elif cand.direction:
        precision = PRECISION_NEAR
    return Mention(start=cand.start, end=cand.end, surface=cand.surface, kind=kind,
                   place=place, precision=precision, confidence=round(confidence, 3),
                   sentence=sentence)


def _anaphor(
    cand: Candidate, sentence: tuple[int, int], context: _Context, gazetteer: Gazetteer,
    recent: list[tuple[int, str]],
) -> Mention:
    """"The south of the country": part of the country being talked about."""
    in_sentence = [iso for off, iso in recent if off >= sentence[0]]
    candidates = in_sentence or [iso for _, iso in recent] or [
        c for c, _ in context.countries.most_common(1)]
    iso = candidates[-1] if candidates else None
    country = gazetteer.country(iso) if iso else None
    if country is None or cand.direction is None:
        return _miss(replace(cand, kind="reference"), sentence,
                     "no country in context for this expression")
    place = gazetteer.part(country.id, cand.direction)
    confidence = 0.85 if in_sentence else 0.6
    return Mention(start=cand.start, end=cand.end, surface=cand.surface, kind="reference",
                   place=place, precision=TYPE_PRECISION["part"], confidence=confidence,
                   sentence=sentence)


def _miss(cand: Candidate, sentence: tuple[int, int], reason: str) -> Mention:
    """A reasoned miss: the span is a place expression but no place fits."""
    return Mention(start=cand.start, end=cand.end, surface=cand.surface, kind=cand.kind,
                   place=None, precision=None, confidence=0.0, sentence=sentence,
                   reason=reason)


def _ranked(
    places: list[Place], context: _Context, written: str, *, cued: bool
) -> list[tuple[float, Place]]:
    """Readings with their scores, best first; ``written`` is the casefolded
    surface (a city written as its own primary name gets a bonus)."""
    capitals = frozenset(p.parent for p in places if p.type in POPULATED_TYPES and p.parent)
    nations = [p for p in places if p.type == "country"]
    country = bool(nations)
    return sorted(((_score(p, context, capitals, cued=cued, country=country,
                           beside=_beside(p, nations))
                    + (PRIMARY_NAME if p.type in POPULATED_TYPES
                       and p.name.casefold() == written else 0.0), p)
                   for p in places),
                  key=lambda sp: -sp[0])


def _beside(place: Place, nations: list[Place]) -> bool:
    """Whether a first-level unit lies next to a same-named country (Niger
    State and Niger): texts about its region mean the country."""
    return place.type == "admin1" and any(
        km_between(place.lat, place.lon, n.lat, n.lon) < BESIDE_KM for n in nations)


def _score(place: Place, context: _Context, capitals: frozenset[str], *, cued: bool,
           country: bool = False, beside: bool = False) -> float:
    """How well ``place`` fits this mention in this document.

    Areas get a flat bonus in place of population so that a country beats
    its same-named capital ("الجزائر") unless a city cue says otherwise;
    when the name is also a country's (``country``), an uncued city gets
    no fame, proximity or same-unit bonus either (the capital named
    elsewhere in the text does not turn the country into its capital), and a
    first-level unit next to that country (``beside``) no context bonus
    (Nigeria named in the text does not turn Niger into Niger State, while
    the US named in it does make Georgia the state).
    """
    kind = place.type
    populated = kind in POPULATED_TYPES
    namesake = populated and country and not cued
    score = TYPE_PRIOR.get(kind, 0.5)
    if populated:
        population = place.population or 0
        score += min(3.5, math.log10(population + 1) / 2.0)
        if population >= WORLD_CITY and not context.elsewhere(place.country) and not namesake:
            score += 1.5
    else:
        score += 3.0
    if not (beside and not cued):
        score += CONTEXT_WEIGHT * context.share(place.country)
    if kind not in AREA_TYPES and not namesake and context.near(place):
        score += NEAR_BONUS
    if populated and not namesake and place.parent in context.units:
        score += 2.5  # same state/province as the document's other places
    if populated and cued:
        score += 4.0
    if kind == "admin1" and place.id in capitals:
        score -= 3.0  # a unit named after its capital: the name means the city
    return score


def _supported(
    cand: Candidate, place: Place, context: _Context, clues: Clues,
    common: dict[str, float],
) -> bool:
    """Whether a reading is credible enough to report.

    * Curated ambiguous names ("مالي" is also "financial") need another
      mention of that country, or (for toponyms) a locative right before.
    * Towns whose name is a person's after a title ("Minister X") are not places.
    * Units and towns whose name is a common word ("الغربية", "Reading" at a
      sentence start) need their country elsewhere in the document, unless
      the word is a large city's own name ("لندن"), or any spelling of a
      metropolis of a million.
    * Towns followed by their state ("Paris, Tenn.") are always places.
    * Arabic place names behind an odd proclitic (ك, ف, an article) need
      their country elsewhere in the document; an adjective takes the
      article ("القوات الجزائرية", "الجنوب الليبي").
    * Villages need their country or a neighbour in the document, and in
      Arabic (no capitals to help) a locative or cue word too; an Arabic town of
      ``CUED_TOWN`` people right after its cue word ("مخيم امبرة") needs nothing more.
    """
    backing = bool(place.country) and context.countries[place.country or ""] > 0
    if not backing and place.type not in BROAD_TYPES and bare_direction(cand.key, clues.lang):
        return False  # "à l'ouest" is not Western Province, Papua New Guinea
    if cand.start in context.qualified:
        return True  # the writer named its state: a place, whatever the word
    if (clues.lang == "ar" and cand.kind == "toponym" and not (backing or cand.direction)
            and _odd_proclitic(cand.prefix)):
        return False
    doubtful = clues.doubtful
    if cand.ambiguous and doubtful:
        return backing or (cand.kind == "toponym" and (
            clues.locative() or (place.type == "country" and clues.country_cue())))
    if place.type in POPULATED_TYPES and clues.titled():
        return False
    if place.type in BROAD_TYPES:
        return True
    zipf = common.get(cand.key, 0.0)
    if place.type in SMALL_TYPES and zipf >= LATIN_COMMON_TOWN and not clues.measured():
        return False
    population = place.population or 0
    known_city = population >= KNOWN_CITY and zipf < EVERYDAY_WORD and (
        population >= METROPOLIS or _own_name(cand, place, clues.lang))
    if doubtful and zipf >= COMMON_ZIPF and not known_city and _word_first(
            cand, clues, context, zipf):
        return backing and place.type not in SMALL_TYPES
    if place.type not in SMALL_TYPES:
        return True
    local = backing or context.near(place)
    near = local or not context.countries
    if clues.lang == "ar":
        # A list of names where the text's towns are ("بين انيفيس وتساليت")
        # is a list of towns, cue word or not.
        return (near and (clues.locative() or clues.city_cue or clues.place_cue())) or (
            local and cand.start in context.listed) or (
            (clues.city_cue or clues.place_cue()) and population >= CUED_TOWN)
    return near


def _odd_proclitic(prefix: str) -> bool:
    """Whether an Arabic name carries a proclitic that rarely comes before a
    place: ك "like" ("كلاوس" is Klaus, not "like Laos"), ف "so", or an
    article the name is never written with ("للأستانة", "الأول")."""
    bare = prefix.removeprefix("و")
    return bare.startswith(("ف", "ك")) or bare.endswith("ال") or "لل" in bare


def _own_name(cand: Candidate, place: Place, lang: str) -> bool:
    """Whether ``cand`` is written as the place's own name in ``lang``, not
    one of its alternate spellings: "لندن" is London's, but "لأول" (for the
    first time) is only one of the spellings GeoNames lists for Laval."""
    own = place.names.get(lang)
    return own is None or normalize_key(own) == cand.key


def _word_first(cand: Candidate, clues: Clues, context: _Context, zipf: float) -> bool:
    """Whether a doubtful common-word name is read as the word. A capitalised
    name whose only doubt is a sentence start is a word only when it is an
    everyday one ("Police", "Reading"), or a person's name elsewhere in the
    text ("John Webb ... Webb said"): wordfreq counts "Gao" as often as
    "Concord", but mostly as a name."""
    if not clues.start_only:
        return True
    return zipf >= LATIN_COMMON_TOWN or cand.key in context.persons


def _context(
    readings: dict[Candidate, list[Place]], common: dict[str, float], *,
    trusted: set[Candidate] | None = None, persons: frozenset[str] = frozenset(),
    lang: str = "", listed: frozenset[int] = frozenset(),
    qualified: frozenset[int] = frozenset(),
) -> _Context:
    """Countries and points of the candidates with one clear reading.

    A name whose readings all lie in one country ("الجزائر": Algeria or
    Algiers) still tells the document is about that country. Ambiguous and
    common-word names do not vote: they are what context must confirm; nor
    do Arabic names whose readings are all towns or villages ("أنان" is
    Kofi Annan far more often than Anan, Japan). A common-word name does vote
    when its casing is ``trusted`` and one of its readings is a country
    ("Mali" in "attacks in Mali", mid-sentence). ``listed`` and ``qualified``
    go into the context as they are (see :class:`_Context`).
    """
    countries: Counter[str] = Counter()
    points: list[tuple[float, float]] = []
    units: set[str] = set()
    for cand, places in readings.items():
        if not places or not cand.key or cand.ambiguous or (
                _wordlike(cand, common) and not _trusted_area(cand, places, trusted)):
            continue
        if lang and bare_direction(cand.key, lang):
            continue  # "à l'ouest" says nothing of Papua New Guinea
        if is_arabic(cand.key[0]) and all(p.type in SMALL_TYPES for p in places):
            continue  # without capitals, a name that is only towns is often a person's
        isos = {p.country for p in places if p.country}
        if len(isos) == 1:
            countries[isos.pop()] += 1
        if len(places) == 1 and places[0].type not in AREA_TYPES:
            points.append((places[0].lat, places[0].lon))
        units.update(_unit_of(p) for p in places if len(places) == 1 or p.type == "admin1")
    units.discard("")
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for lat, lon in set(points):
        cells.setdefault(_cell(lat, lon), []).append((lat, lon))
    reach = frozenset((row + dr, col + dc) for row, col in cells
                      for dr in (-1, 0, 1) for dc in (-1, 0, 1))
    total = sum(countries.values())
    # The first of the most voted, as most_common(1) gives it, without its heap.
    top = max(countries.items(), key=itemgetter(1), default=None)
    dominant = top[0] if top and top[1] > DOMINANT * total else None
    return _Context(countries=countries, points=tuple(points), units=frozenset(units),
                    total=total, cells=cells, reach=reach, dominant=dominant, persons=persons,
                    listed=listed, qualified=qualified)


def _town_lists(candidates: Sequence[Candidate], text: str) -> frozenset[int]:
    """Starts of the Arabic candidates listed with a neighbour: the next one
    opens with و or a comma stands between ("انيفيس وتساليت", "بورنو، يوبي")."""
    listed: set[int] = set()
    for first, second in pairwise(candidates):
        if not (first.place_ids and second.place_ids):
            continue
        gap = text[first.end:second.start].strip()
        if gap in {"،", ","} or (not gap and second.prefix.startswith("و")):
            listed.update((first.start, second.start))
    return frozenset(listed)


def _qualified(
    candidates: Sequence[Candidate], readings: dict[Candidate, list[Place]], text: str,
) -> dict[Candidate, list[Place]]:
    """The readings of towns named with their state after a comma ("Paris,
    Tenn.", "Dublin, Ohio"): only those inside that state. A famous namesake
    abroad is never what a writer who names the state means. A country name
    before the comma starts a list of countries, not a qualified town."""
    out: dict[Candidate, list[Place]] = {}
    for town, unit in pairwise(candidates):
        if text[town.end:unit.start].strip() != ",":
            continue
        states = {p.id for p in readings[unit] if p.type == "admin1"}
        places = readings[town]
        if not states or any(p.type == "country" for p in places):
            continue
        inside = [p for p in places if p.type in POPULATED_TYPES and p.parent in states]
        if inside and len(inside) < len(places):
            out[town] = inside
    return out


def _trusted_area(cand: Candidate, places: list[Place], trusted: set[Candidate] | None) -> bool:
    """A capitalised Latin name mid-sentence one of whose readings is a
    country or a first-level unit ("in Mali", "in Ohio": the state tells
    which country the text's towns are in as much as a country does)."""
    return trusted is not None and cand in trusted and any(
        p.type in {"country", "admin1"} for p in places)


def _wordlike(cand: Candidate, common: dict[str, float]) -> bool:
    """A common word, unless a short Latin name (the matcher only lets capitals
    and dotted abbreviations like "Ga." through)."""
    short_latin = len(cand.key) <= SHORT_KEY and not is_arabic(cand.key[0])
    return not short_latin and common.get(cand.key, 0.0) >= COMMON_ZIPF


def _unit_of(place: Place) -> str:
    """The first-level unit a place is (or lies in), '' if unknown."""
    if place.type == "admin1":
        return place.id
    parent = place.parent or ""
    return parent if ":admin1:" in parent else ""


def _country_of(place: Place, gazetteer: Gazetteer) -> Place | None:
    """The country a demonym's place belongs to."""
    if place.type == "country" or not place.country:
        return place
    return gazetteer.country(place.country)


def _sentence_of(
    offset: int, sentences: Sequence[tuple[int, int]], starts: list[int]
) -> tuple[int, int]:
    """The sentence span containing ``offset``."""
    i = bisect.bisect_right(starts, offset) - 1
    return sentences[i] if i >= 0 else (0, 0)

