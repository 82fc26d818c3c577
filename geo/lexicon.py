"""Load and check the frame lexicon (``geo/data/frames/*.yaml``), compile its phrases.

Trigger phrases, actor names, number words, status cues, terrain words and
coreference terms are data, edited in YAML (the syntax is described in
``geo/data/frames/README.md``). This module reads each file once, checks its
shape, and turns phrases into regular expressions over the text as
normalised by :func:`geo.normalize.normalize`, so matches map back to exact
offsets of the input.

Trade-off: phrases compile to plain regular expressions (one alternation per
frame and language) rather than an automaton, so the ``*``/``~`` syntax stays
expressive enough for Arabic clitics and short gaps. Scanning a long text with
each list in turn tried every phrase at every word, so the frame stage looks
for a literal of each phrase with one automaton first (:func:`phrase_anchor`,
:mod:`geo.frames.phrasehits`) and tries a list's pattern only where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from geo.errors import LayerError
from geo.normalize import is_arabic, normalize_key

LANGS = ("ar", "fr", "en")
FRAME_FILES = (
    "control", "pursuit", "border_security", "sanctuary", "deployment",
    "displacement", "risk", "meeting", "strike", "coalition", "attack",
)
_FRAME_KEYS = {"frame", "layer", "scope", "places", "fallback", "min_places", "status",
               "confidence", "triggers", "roles", "actor", "actor_side", "statuses",
               "actor_sides", "reject_subjects", "blocked_by", "blocked_after", "as_state",
               "target", "yields_to", "toll", "hedges", "weak", "senses", "strength",
               "excluded_by", "weak_excluded_by", "requires_actor", "actor_forces", "visits",
               "hosts", "weak_reach", "needs_subject", "references", "context_states",
               "plain_groups", "formation", "composition"}
#: Sides an actor can be on (``side`` in ``actors.yaml``): frames accept some of them.
SIDES = ("armed", "state", "official", "civilian")
STATUSES = ("reported", "planned", "agreed", "ongoing")
#: Statuses the default map hides (geo.layers.HIDDEN_STATUSES), set from status.yaml cues.
HEDGED = ("negated", "hypothetical", "past")
#: Arabic proclitics (و ف ب ل ك) and the article, optionally behind an opening quote
#: (``بـ"المطاردة``: the tatweel is gone after normalisation).
_AR_PREFIX = "(?:[وفبلك]{0,2}[\"«“]?(?:ال)?)"
_SEP = r"[\s\"'«»“”()]+"
_GAP = r"(?:[^\s.،;؛]+\s+){0,3}?"


@dataclass(frozen=True, slots=True, kw_only=True)
class FrameSpec:
    """One frame type as declared in its YAML file."""

    frame: str
    layer: str
    scope: str
    places: str
    fallback: str
    min_places: int
    status: str
    confidence: float
    triggers: Mapping[str, tuple[str, ...]]
    actor: bool = True
    actor_side: str = "any"
    statuses: tuple[str, ...] = STATUSES
    roles: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    actor_sides: tuple[str, ...] = ("armed", "state")
    reject_subjects: tuple[str, ...] = ()
    blocked_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    blocked_after: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    as_state: tuple[str, ...] = ()
    target: bool = False
    yields_to: tuple[str, ...] = ()
    toll: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    hedges: tuple[str, ...] = HEDGED
    weak: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    senses: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    strength: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excluded_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    weak_excluded_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    requires_actor: bool = False
    actor_forces: bool = True
    visits: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    hosts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    weak_reach: int = 15
    needs_subject: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    context_states: int = 0
    plain_groups: tuple[str, ...] = ()
    formation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    composition: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class _PhraseLoader(yaml.SafeLoader):
    """YAML's safe loader where only ``true``/``false`` are booleans.

    YAML 1.1 also reads ``on``, ``off``, ``yes``, ``no``, ``y`` and ``n`` as
    booleans: words a phrase list needs ("troops on the border", "no attack").
    """


_PhraseLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_PhraseLoader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def _read(name: str) -> Any:
    """Return the parsed YAML file ``geo/data/frames/<name>.yaml``."""
    path = resources.files("geo") / "data" / "frames" / f"{name}.yaml"
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_PhraseLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise LayerError(f"cannot read frame lexicon {name}.yaml: {exc}") from exc


def _check(cond: bool, name: str, what: str) -> None:
    """Raise a :class:`LayerError` naming the file when ``cond`` is false."""
    if not cond:
        raise LayerError(f"frame lexicon {name}.yaml: {what}")


def _phrases(raw: Any, name: str, key: str) -> dict[str, tuple[str, ...]]:
    """Check a ``{lang: [phrase, ...]}`` table and return it with tuples."""
    _check(isinstance(raw, dict), name, f"'{key}' must map languages to phrase lists")
    _check(set(raw) <= set(LANGS), name, f"'{key}' languages must be among {LANGS}")
    for lang, items in raw.items():
        _check(isinstance(items, list) and all(isinstance(p, str) and p for p in items),
               name, f"'{key}.{lang}' must be a list of non-empty strings")
    return {lang: tuple(items) for lang, items in raw.items()}


def _frame_spec(name: str) -> FrameSpec:
    """Load and check one frame file."""
    raw = _read(name)
    _check(isinstance(raw, dict) and set(raw) <= _FRAME_KEYS, name,
           f"keys must be among {sorted(_FRAME_KEYS)}")
    _check(raw.get("frame") == name, name, "'frame' must equal the file name")
    _check(raw.get("scope") in ("clause", "sentence"), name, "'scope' must be clause|sentence")
    _check(raw.get("places") in ("after", "any", "nearest", "around"), name,
           "'places' must be after|any|nearest|around")
    _check(raw.get("fallback") in ("relative", "none"), name, "'fallback' must be relative|none")
    _check(raw.get("status") in STATUSES, name, f"'status' must be one of {STATUSES}")
    _check(set(raw.get("statuses", STATUSES)) <= set(STATUSES), name,
           f"'statuses' must be among {STATUSES}")
    _check(raw.get("actor_side", "any") in ("any", "before"), name,
           "'actor_side' must be any|before")
    _check(isinstance(raw.get("min_places"), int), name, "'min_places' must be an integer")
    _check(isinstance(raw.get("weak_reach", 15), int), name, "'weak_reach' must be an integer")
    _check(isinstance(raw.get("confidence"), float), name, "'confidence' must be a float")
    for key in ("actor_sides", "reject_subjects"):
        _check(set(raw.get(key, ())) <= set(SIDES), name, f"'{key}' must be among {SIDES}")
    _check(isinstance(raw.get("as_state", []), list), name, "'as_state' must list place types")
    roles = {k: _phrases(v, name, f"roles.{k}") for k, v in (raw.get("roles") or {}).items()}
    blocked, after, toll, weak, strength, excluded, visits, hosts, subject, references = (
        {} if key not in raw else _phrases(raw[key], name, key)
        for key in ("blocked_by", "blocked_after", "toll", "weak", "strength", "excluded_by",
                    "visits", "hosts", "needs_subject", "references"))
    senses = raw.get("senses") or {}
    _check(isinstance(senses, dict) and set(senses) <= {"triggers", "with"}, name,
           "'senses' must have 'triggers' and 'with' phrase tables")
    senses = {k: _phrases(v, name, f"senses.{k}") for k, v in senses.items()}
    _check(set(raw.get("hedges", HEDGED)) <= set(HEDGED), name,
           f"'hedges' must be among {HEDGED}")
    _check(set(raw.get("yields_to", ())) <= set(FRAME_FILES), name,
           f"'yields_to' must list frames among {FRAME_FILES}")
    return FrameSpec(
        frame=name, layer=str(raw["layer"]), scope=raw["scope"], places=raw["places"],
        fallback=raw["fallback"], min_places=raw["min_places"], status=raw["status"],
        confidence=raw["confidence"], triggers=_phrases(raw.get("triggers"), name, "triggers"),
        roles=roles, actor=bool(raw.get("actor", True)),
        actor_side=raw.get("actor_side", "any"),
        statuses=tuple(raw.get("statuses", STATUSES)),
        actor_sides=tuple(raw.get("actor_sides", ("armed", "state"))),
        reject_subjects=tuple(raw.get("reject_subjects", ())), blocked_by=blocked,
        blocked_after=after, as_state=tuple(raw.get("as_state", ())),
        target=bool(raw.get("target", False)), yields_to=tuple(raw.get("yields_to", ())),
        toll=toll, hedges=tuple(raw.get("hedges", HEDGED)), weak=weak, senses=senses,
        strength=strength, excluded_by=excluded,
        weak_excluded_by=_phrases(raw.get("weak_excluded_by") or {}, name, "weak_excluded_by"),
        requires_actor=bool(raw.get("requires_actor", False)),
        actor_forces=raw.get("actor_forces", True) is not False, visits=visits, hosts=hosts,
        weak_reach=int(raw.get("weak_reach", 15)), needs_subject=subject,
        references=references, context_states=int(raw.get("context_states", 0)),
        plain_groups=tuple(raw.get("plain_groups", ())),
        formation=_phrases(raw.get("formation") or {}, name, "formation"),
        composition=_phrases(raw.get("composition") or {}, name, "composition"),
    )


@lru_cache(maxsize=1)
def frame_specs() -> tuple[FrameSpec, ...]:
    """Return every frame specification, checked (cached)."""
    return tuple(_frame_spec(name) for name in FRAME_FILES)


@lru_cache(maxsize=16)
def lexicon(name: str) -> Mapping[str, Any]:
    """Return a shared lexicon file (``actors``, ``numbers``, ``status``...), checked."""
    raw = _read(name)
    _check(isinstance(raw, dict) and bool(raw), name, "must be a non-empty mapping")
    checks = {"status": (*STATUSES[1:], *HEDGED, "exceptions", "since"),
              "coref": ("country", "triangle", "region", "neighbours")}
    for key in checks.get(name, ()):
        _phrases(raw.get(key), name, key)
    if name in ("numbers", "clauses", "months"):
        langs = set(raw) - ({"coordination"} if name == "clauses" else set())
        _check(langs == set(LANGS), name, f"must have exactly the languages {LANGS}")
    if name == "clauses" and "coordination" in raw:
        _phrases(raw["coordination"], name, "coordination")
    if name == "months":
        for lang, months in raw.items():
            _check(isinstance(months, dict) and set(months) == set(range(1, 13)), name,
                   f"'{lang}' must map each month number 1-12 to its names")
            for month, names in months.items():
                _phrases({lang: names}, name, f"{lang}.{month}")
    if name == "terrain":
        for kind, entry in raw.items():
            _phrases(entry.get("phrases"), name, f"{kind}.phrases")
    if name == "exclusions":
        _check_exclusions(raw, name)
    return raw


#: Phrase tables ({lang: [...]}) exclusions.yaml must have, by section.
_EXCLUSION_TABLES = {
    "organisations": ("before", "after", "names"),
    "qualifiers": ("owners", "objects", "object_after", "posts"),
    "comparisons": ("phrases",),
    "sources": ("phrases", "reporting"),
    "persons": ("titles",),
    "connectors": ("organisations", "owners", "sources", "comparisons", "posts"),
    "distances": ("units", "of", "between"),
}


def _check_exclusions(raw: Mapping[str, Any], name: str) -> None:
    """Check the sections of exclusions.yaml (empty phrase lists are allowed)."""
    for section, keys in _EXCLUSION_TABLES.items():
        _check(isinstance(raw.get(section), dict), name, f"'{section}' must be a mapping")
        for key in keys:
            table = raw[section].get(key)
            _check(isinstance(table, dict) and set(table) == set(LANGS), name,
                   f"'{section}.{key}' must map each of {LANGS} to a list")
            for lang, items in table.items():
                _check(isinstance(items, list) and all(isinstance(p, str) and p
                                                       for p in items),
                       name, f"'{section}.{key}.{lang}' must be a list of non-empty strings")
    persons = raw["persons"]
    for key in ("particles", "not_surnames"):
        _check(isinstance(persons.get(key), list), name, f"'persons.{key}' must be a list")
    numbers = raw["distances"].get("numbers")
    _check(isinstance(numbers, dict) and set(numbers) == set(LANGS) and all(
        isinstance(t, dict) and all(isinstance(v, int) for v in t.values())
        for t in numbers.values()), name,
           f"'distances.numbers' must map each of {LANGS} to {{word: kilometres}}")
    bearings = raw["distances"].get("bearings")
    _check(isinstance(bearings, dict) and set(bearings) == set(LANGS) and all(
        isinstance(t, dict) and all(isinstance(v, int) and 0 <= v < 360 for v in t.values())
        for t in bearings.values()), name,
           f"'distances.bearings' must map each of {LANGS} to {{word: degrees}}")
    _check(isinstance(raw["distances"].get("miles"), list), name,
           "'distances.miles' must be a list")
    _check(isinstance(raw.get("datelines", {}).get("max_words"), int), name,
           "'datelines.max_words' must be an integer")


def phrase_pattern(phrase: str, *, org: str | None = None) -> str:
    """Return the regular expression of one lexicon phrase (see module doc)."""
    return _WORD_START + _phrase_body(phrase, org=org)


#: A phrase starts at a word boundary; compiled once in front of an alternation.
_WORD_START = r"(?<!\w)"


def _phrase_body(phrase: str, *, org: str | None = None) -> str:
    """The pattern of a phrase without the word-start check in front of it."""
    parts: list[str] = []
    tokens = phrase.split()
    for i, token in enumerate(tokens):
        if token == "~":
            parts.append(_GAP)
            continue
        if token == "{org}":
            parts.append(f"{_AR_PREFIX}{org}" if org else "(?!)")
        else:
            parts.append(_word_pattern(token))
        if i + 1 < len(tokens):
            parts.append(_SEP)
    return "".join(parts) + (r"" if phrase.endswith("*") else r"(?!\w)")


def words_pattern(name: str) -> str:
    """Return the pattern of a multi-word name, without outer word boundaries."""
    return _SEP.join(_word_pattern(w) for w in name.split())


def _word_pattern(word: str) -> str:
    """Return the pattern of one word: stem, Arabic clitics, or literal."""
    stem = word.endswith("*")
    key = normalize_key(word.rstrip("*"))
    body = re.escape(key).replace(r"\ ", _SEP) + (r"\w*" if stem else "")
    if not key or not is_arabic(key[0]):
        return body
    if key.startswith("ال") and len(key) > 2:
        # After the preposition ل the article loses its alef: "للقاعدة", "للحدود".
        return f"(?:{_AR_PREFIX}{body}|[وف]?لل{body[2:]})"
    return _AR_PREFIX + body


#: Characters an Arabic word's match may hold before the literal part of its key: two
#: proclitics, an opening quote, the article, and the word's own article (see _word_pattern).
_AR_LEAD = 7


def phrase_anchor(phrase: str) -> tuple[str, int] | None:
    """Return a literal every match of ``phrase`` holds and how many characters before it
    the match may start (0: it starts at the literal), or None when the phrase opens with
    a gap or an organisation name.

    A scan for many phrase lists at once (:mod:`geo.frames.phrasehits`) looks for these
    literals first and tries a list's pattern only where one of its literals stands.
    """
    tokens = phrase.split()
    if not tokens or tokens[0] in ("~", "{org}"):
        return None
    key = normalize_key(tokens[0].rstrip("*"))
    lead = 0
    if key and is_arabic(key[0]):
        lead = _AR_LEAD
        key = key[2:] if key.startswith("ال") and len(key) > 2 else key  # "لل" form too
    literal = key.split(" ")[0]
    return (literal, lead) if literal else None


#: Distinct phrase lists of every frame, cue and exclusion table in three languages: about
#: 300 today. A smaller cache recompiled some of them for every text of a mixed corpus.
PHRASE_CACHE_SIZE = 2048


@lru_cache(maxsize=PHRASE_CACHE_SIZE)
def compile_phrases(phrases: tuple[str, ...], org: str | None = None) -> re.Pattern[str]:
    """Compile phrases into one alternation, longest phrase first.

    The word-start check stands once in front of the alternation rather than in
    front of each phrase: inside words the scan then fails at once instead of
    trying every phrase (three times faster on long texts, same matches).
    """
    ordered = sorted(set(phrases), key=len, reverse=True)
    if not ordered:
        return re.compile("(?!)")
    return re.compile(_WORD_START + "(?:" + "|".join(
        f"(?:{_phrase_body(p, org=org)})" for p in ordered) + ")")


def phrases_for(table: Mapping[str, Iterable[str]], lang: str) -> tuple[str, ...]:
    """Return the phrases of ``lang`` in a ``{lang: [...]}`` table (all if unknown)."""
    if lang in table:
        return tuple(table[lang])
    return tuple(p for items in table.values() for p in items)
