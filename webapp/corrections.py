"""Editors' corrections of a document: readings of mentions and layer features.

A save is a list of **changes** applied to the state the editor read (its
revision number guards against a concurrent save, :mod:`webapp.store.revisions`)::

    {"op": "reading", "mention": i, "place": "gn:2457161"}   # another reading
    {"op": "not_place", "mention": i}                        # not a place at all
    {"op": "add_mention", "start": s, "end": e, "place": id} # a mention the parser missed
    {"op": "feature", "id": "<doc>.<layer>.<key>",
     "action": "accept" | "reject" | "verify",               # all optional
     "set": {"layer", "actor", "status", "strength", "date"},
     "note": "...", "geometry": {GeoJSON geometry, EPSG:4326}}
    {"op": "add_feature", "layer", "name", "evidence": [start, end],
     "geometry", and optionally "actor", "status", "strength", "date", "note"}

A change to the mentions rebuilds the document's layers through the same
pipeline as the first parse (:func:`machine_layers`); features an editor
touched (review ``edited``, ``verified`` or ``rejected``, or with a note) are
**pinned**: they replace the machine feature they came from, so a rebuild never
undoes a hand edit. Every feature carries ``review``; rejected ones stay in the
store (and the revisions) but leave maps and exports.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.errors import InputError
from geo.event_gold import STATUSES
from geo.language import sentence_spans
from geo.layers import build_layers, layer_ids, to_feature_collection
from geo.normalize import normalize_key
from geo.records import GeoparseResult, Mention, Place
from geo.resolve import TYPE_PRECISION
from webapp.feature_ids import (
    layer_feature_ids,
    legacy_origin_key,
    origin_key,
    split_feature_id,
)
from webapp.geometry_input import checked_geometry
from webapp.store import DocumentState

REVIEW_STATES = ("machine", "verified", "edited", "rejected")
ACTIONS = ("accept", "reject", "verify")
MENTION_OPS = ("reading", "not_place", "add_mention")
EDITABLE = ("layer", "actor", "status", "strength", "date")
MAX_CHANGES = 200
MAX_NOTE = 2000
MAX_ACTOR = 200
NOT_A_PLACE = "an editor marked this as not a place"
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_AR_PROCLITICS = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")


@dataclass(frozen=True, slots=True)
class Corrected:
    """The state after a save's changes, and what the revision's summary says."""

    mentions: list[dict[str, Any]]
    layers: dict[str, dict[str, Any]]
    summary: str
    rebuilt: bool


# ---------------------------------------------------------------- applying changes
def needs_gazetteer(changes: Any) -> bool:
    """Whether applying ``changes`` needs the gazetteer: a change to the mentions does
    (its place, and the layers rebuilt from them); feature edits do not."""
    return isinstance(changes, list) and any(
        isinstance(change, dict) and change.get("op") in MENTION_OPS for change in changes)


def apply_changes(state: DocumentState, changes: Any, load_gazetteer: Callable[[], Any]
                  ) -> Corrected:
    """Apply ``changes`` to ``state`` (copied, never modified); raise InputError on bad ones.

    ``load_gazetteer`` is called only when a change needs the gazetteer (a
    reading, a rebuild): feature edits do not load it.
    """
    if not isinstance(changes, list) or not changes:
        raise InputError("changes: expected a non-empty list of changes")
    if len(changes) > MAX_CHANGES:
        raise InputError(f"changes: at most {MAX_CHANGES} in one save, got {len(changes)}")
    mentions = _copy(state.mentions)
    layers = _copy(state.layers)
    said: list[str] = []
    mentions_changed = False
    for n, change in enumerate(changes):
        if not isinstance(change, dict):
            raise InputError(f"changes[{n}]: expected an object")
        op = change.get("op")
        where = f"changes[{n}]"
        if op == "reading":
            said.append(_reading(mentions, change, load_gazetteer(), where))
        elif op == "not_place":
            said.append(_not_place(mentions, change, where))
        elif op == "add_mention":
            said.append(_add_mention(mentions, change, state.record.text, load_gazetteer(),
                                     where))
        elif op == "feature":
            said.append(_feature(layers, change, state.record.id, where))
            continue
        elif op == "add_feature":
            said.append(_add_feature(layers, change, state.record.text, where))
            continue
        else:
            raise InputError(f"{where}.op: expected reading, not_place, add_mention, feature "
                             f"or add_feature, got {str(op)[:40]!r}")
        mentions_changed = True
    if mentions_changed:
        mentions.sort(key=lambda m: (m["start"], m["end"]))
        fresh = machine_layers(state.record.text, state.record.lang, state.record.published,
                               mentions, load_gazetteer())
        layers = merge_pinned(fresh, layers)
    else:
        _refresh_bbox(layers)
    return Corrected(mentions=mentions, layers=layers, summary="; ".join(said),
                     rebuilt=mentions_changed)


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (several times faster than ``copy.deepcopy`` on layers)."""
    return json.loads(json.dumps(value))


def _mention_at(mentions: list[dict[str, Any]], change: Mapping[str, Any], where: str
                ) -> dict[str, Any]:
    index = change.get("mention")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(mentions):
        raise InputError(f"{where}.mention: expected a mention number 0..{len(mentions) - 1}, "
                         f"got {str(index)[:20]!r}")
    return mentions[index]


def _gazetteer_place(place_id: Any, gazetteer: Any, where: str) -> Place:
    if not isinstance(place_id, str) or not place_id:
        raise InputError(f"{where}.place: expected a gazetteer id such as 'gn:2457161'")
    try:
        return _place_by_id(place_id, gazetteer)
    except (KeyError, ValueError):
        raise InputError(f"{where}.place: no place {place_id[:80]!r} in the gazetteer; "
                         f"find ids with /gazetteer/search?q=") from None


def _place_by_id(place_id: str, gazetteer: Any) -> Place:
    """A gazetteer place, or a part of one (``<id>#north``); KeyError if unknown."""
    base, _, direction = place_id.partition("#")
    return gazetteer.part(base, direction) if direction else gazetteer.place(base)


def _read_as(mention: dict[str, Any], place: Place, review: str) -> None:
    mention["place"] = place.to_dict()
    mention["precision"] = TYPE_PRECISION.get(place.type, 1)
    mention["confidence"] = 1.0
    mention["review"] = review
    mention.pop("reason", None)


def _reading(mentions: list[dict[str, Any]], change: Mapping[str, Any], gazetteer: Any,
             where: str) -> str:
    mention = _mention_at(mentions, change, where)
    place = _gazetteer_place(change.get("place"), gazetteer, where)
    _read_as(mention, place, "corrected")
    return f"“{mention['surface']}” read as {place.name} ({place.id})"


def _not_place(mentions: list[dict[str, Any]], change: Mapping[str, Any], where: str) -> str:
    mention = _mention_at(mentions, change, where)
    mention.update(place=None, precision=None, reason=NOT_A_PLACE, review="not_place")
    return f"“{mention['surface']}” is not a place"


def _add_mention(mentions: list[dict[str, Any]], change: Mapping[str, Any], text: str,
                 gazetteer: Any, where: str) -> str:
    start, end = change.get("start"), change.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise InputError(f"{where}: 'start' and 'end' should be offsets 0 <= start < end <= "
                         f"{len(text)} of the text")
    surface = text[start:end]
    if not surface.strip() or surface != surface.strip():
        raise InputError(f"{where}: the span should start and end on a letter, "
                         f"got {surface[:40]!r}")
    for other in mentions:
        if other["start"] < end and start < other["end"] and other.get("place"):
            raise InputError(f"{where}: the span overlaps the mention “{other['surface']}” "
                             f"({other['start']}-{other['end']}); correct that one instead")
    place = _gazetteer_place(change.get("place"), gazetteer, where)
    sentence = next(([s, e] for s, e in sentence_spans(text) if s <= start < e), [start, end])
    added: dict[str, Any] = {"start": start, "end": end, "surface": surface,
                             "kind": "toponym", "sentence": sentence}
    _read_as(added, place, "added")
    mentions[:] = [m for m in mentions if not (m["start"] < end and start < m["end"])]
    mentions.append(added)
    return f"added “{surface}” as {place.name} ({place.id})"


# ---------------------------------------------------------------- features
def _feature(layers: dict[str, dict[str, Any]], change: Mapping[str, Any], doc_id: str,
             where: str) -> str:
    layer = split_feature_id(change.get("id"), doc_id, where)
    features = (layers.get(layer) or {}).get("features") or []
    ids = layer_feature_ids(doc_id, layer, features)
    if change.get("id") not in ids:
        raise InputError(f"{where}.id: no feature {change.get('id')!r} in this revision")
    n = ids.index(change["id"])
    feature = features[n]
    props = feature.setdefault("properties", {})
    props.setdefault("origin_key", origin_key(props, layer))
    said = []
    action = change.get("action")
    if action is not None:
        said.append(_act(props, action, where))
    if "note" in change:
        note = _text_field(change["note"], MAX_NOTE, f"{where}.note") or None
        if note != props.get("note"):
            props["note"] = note
            said.append("note")
    if change.get("geometry") is not None:
        feature["geometry"] = checked_geometry(change["geometry"])
        _mark_edited(props, "geometry")
        said.append("geometry")
    moved_to = None
    for key, value in _edits(change.get("set"), where).items():
        if props.get(key) != value:
            props[key] = value
            _mark_edited(props, key)
            said.append(f"{key}={value}")
            if key == "layer":
                moved_to = value
    if not said:
        raise InputError(f"{where}: nothing to change; give action, set, note or geometry")
    if moved_to and moved_to != layer:
        target = layers.setdefault(moved_to, {"type": "FeatureCollection", "features": []})
        target.setdefault("features", []).append(feature)
        features[n] = _tombstone(feature)
    return f"{props.get('name') or layer} ({change.get('id')}): {', '.join(said)}"


def _add_feature(layers: dict[str, dict[str, Any]], change: Mapping[str, Any], text: str,
                 where: str) -> str:
    """A feature the parser missed, drawn by an editor, with the sentence that reports it."""
    layer = change.get("layer")
    if layer not in layer_ids() or layer == "mentions":
        raise InputError(f"{where}.layer: expected an event layer id, got {str(layer)[:40]!r}")
    name = _text_field(change.get("name") or "", MAX_ACTOR, f"{where}.name")
    if not name:
        raise InputError(f"{where}.name: say what the feature is (a place, a group...)")
    span = change.get("evidence")
    if not (isinstance(span, list) and len(span) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in span)
            and 0 <= span[0] < span[1] <= len(text)):
        raise InputError(f"{where}.evidence: expected [start, end] offsets of the sentence "
                         f"that reports it, within 0..{len(text)}")
    if change.get("geometry") is None:
        raise InputError(f"{where}.geometry: draw or paste the feature's shape")
    fields = {key: change[key] for key in EDITABLE if key in change and key != "layer"}
    props: dict[str, Any] = {
        "layer": layer, "name": name, "confidence": 1.0, "precision": None,
        "evidence": [{"start": span[0], "end": span[1], "text": text[span[0]:span[1]]}],
        "trigger": None, "places": [], "status": "reported", **_edits(fields, where),
        "review": "edited", "edited": ["added"],
        "origin_key": f"added:{secrets.token_hex(6)}",  # pinned, never taken for a machine one
    }
    if change.get("note"):
        props["note"] = _text_field(change["note"], MAX_NOTE, f"{where}.note")
    feature = {"type": "Feature", "geometry": checked_geometry(change["geometry"]),
               "properties": props}
    layers.setdefault(layer, {"type": "FeatureCollection", "features": []})[
        "features"].append(feature)
    return f"added {name} to {layer}"


def _act(props: dict[str, Any], action: Any, where: str) -> str:
    if action not in ACTIONS:
        raise InputError(f"{where}.action: expected one of {', '.join(ACTIONS)}, "
                         f"got {str(action)[:40]!r}")
    if action == "reject":
        props["review"] = "rejected"
    elif action == "verify":
        props["review"] = "verified"
    else:  # accept: back on the map, as edited if it was
        props["review"] = "edited" if props.get("edited") else "machine"
    return {"reject": "rejected", "verify": "verified", "accept": "accepted"}[action]


def _mark_edited(props: dict[str, Any], field: str) -> None:
    edited = props.get("edited") or []
    if field not in edited:
        props["edited"] = [*edited, field]
    if props.get("review") in (None, "machine"):
        props["review"] = "edited"


def _tombstone(feature: Mapping[str, Any]) -> dict[str, Any]:
    """What stays at a moved feature's old place: rejected, so ids of the rest keep numbers."""
    props = dict(feature.get("properties") or {})
    props.update(review="rejected", moved=True)
    return {"type": "Feature", "geometry": feature.get("geometry"), "properties": props}


def _text_field(value: Any, limit: int, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected text")
    if len(value) > limit:
        raise InputError(f"{where}: at most {limit} characters, got {len(value)}")
    return value.strip()


def _edits(raw: Any, where: str) -> dict[str, Any]:
    """The checked ``set`` fields of a feature change."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"{where}.set: expected an object with {', '.join(EDITABLE)}")
    unknown = sorted(set(raw) - set(EDITABLE))
    if unknown:
        raise InputError(f"{where}.set: unknown fields {unknown}; editable: {', '.join(EDITABLE)}")
    out: dict[str, Any] = {}
    if "layer" in raw:
        if raw["layer"] not in layer_ids() or raw["layer"] == "mentions":
            raise InputError(f"{where}.set.layer: expected an event layer id, got "
                             f"{str(raw['layer'])[:40]!r}")
        out["layer"] = raw["layer"]
    if "actor" in raw:
        out["actor"] = _text_field(raw["actor"] or "", MAX_ACTOR, f"{where}.set.actor") or None
    if "status" in raw:
        if raw["status"] not in STATUSES and raw["status"] not in ("", None):
            raise InputError(f"{where}.set.status: expected one of {', '.join(sorted(STATUSES))} "
                             f"or empty")
        out["status"] = raw["status"] or None
    if "strength" in raw:
        strength = raw["strength"]
        if strength in ("", None):
            strength = None
        elif isinstance(strength, str) and strength.strip().isdigit():
            strength = int(strength)
        if strength is not None and (not isinstance(strength, int) or isinstance(strength, bool)
                                     or not 0 <= strength <= 10_000_000):
            raise InputError(f"{where}.set.strength: expected a whole number or empty")
        out["strength"] = strength
    if "date" in raw:
        out["date"] = _checked_date(raw["date"], f"{where}.set.date")
    return out


def _checked_date(value: Any, where: str) -> str | None:
    if value in ("", None):
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise InputError(f"{where}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{where}: {value!r} is not a calendar day") from None
    return value


def _refresh_bbox(layers: dict[str, dict[str, Any]]) -> None:
    """Recompute each layer's bbox from its shown (not rejected) features."""
    import shapely.geometry

    for collection in layers.values():
        shapes = [shapely.geometry.shape(f["geometry"]) for f in collection.get("features", ())
                  if f.get("geometry") and (f.get("properties") or {}).get("review") != "rejected"]
        if shapes:
            collection["bbox"] = [round(float(v), 6) for v in shapely.total_bounds(shapes)]
        else:
            collection.pop("bbox", None)


# ---------------------------------------------------------------- rebuilding
def pinned(props: Mapping[str, Any]) -> bool:
    """Whether an editor touched a feature (a rebuild keeps it as the editor left it)."""
    return props.get("review") not in (None, "machine") or bool(props.get("note"))


def merge_pinned(fresh: dict[str, dict[str, Any]], previous: Mapping[str, Mapping[str, Any]]
                 ) -> dict[str, dict[str, Any]]:
    """The rebuilt layers with every pinned feature of ``previous`` in place of its origin.

    A pinned feature takes its origin's place in the layer, so ids
    (:mod:`webapp.feature_ids`) stay as they were. A pinned place-mention
    feature survives only while a mention still draws it (the mentions are the
    source of truth there); a pinned event feature always does.
    """
    keep: dict[str, list[dict[str, Any]]] = {}
    for layer, collection in previous.items():
        for feature in collection.get("features") or ():
            props = feature.setdefault("properties", {})
            if pinned(props) and not props.get("moved"):
                props.setdefault("layer", layer)
                key = props.get("origin_key") or origin_key(props, layer)
                keep.setdefault(key, []).append(feature)
    out: dict[str, dict[str, Any]] = {layer: {**c, "features": []} for layer, c in fresh.items()}
    for layer, collection in fresh.items():
        for feature in collection.get("features") or ():
            found = _take_pinned(keep, origin_key(feature.get("properties") or {}, layer))
            _add_feature_to(out, found or feature, layer)
    for feature in (f for left in keep.values() for f in left):
        if feature["properties"]["layer"] != "mentions":
            _add_feature_to(out, feature, feature["properties"]["layer"])
    _refresh_bbox(out)
    return {layer: c for layer, c in out.items() if c["features"]}


def _take_pinned(keep: dict[str, list[dict[str, Any]]], key: str) -> dict[str, Any] | None:
    """The first pinned feature that came from the machine feature of ``key``, if any."""
    for stored in (key, legacy_origin_key(key)):
        if keep.get(stored):
            return keep[stored].pop(0)
    return None


def _add_feature_to(layers: dict[str, dict[str, Any]], feature: dict[str, Any],
                    default: str) -> None:
    """Append ``feature`` to the layer it names (an editor may have moved it), else ``default``."""
    layer = (feature.get("properties") or {}).get("layer") or default
    layers.setdefault(layer, {"type": "FeatureCollection", "features": []})["features"].append(
        feature)


def _mention(raw: Mapping[str, Any], gazetteer: Any) -> Mention:
    place = None
    if raw.get("place"):
        try:
            place = _place_by_id(raw["place"]["id"], gazetteer)
        except (KeyError, ValueError):  # a fallback geocoder's place: keep what was stored
            stored = raw["place"]
            place = Place(id=stored["id"], name=stored.get("name", ""),
                          type=stored.get("type", "town"), lat=stored["lat"], lon=stored["lon"],
                          country=stored.get("country"))
    return Mention(start=raw["start"], end=raw["end"], surface=raw["surface"],
                   kind=raw.get("kind", "toponym"), place=place, precision=raw.get("precision"),
                   confidence=float(raw.get("confidence") or 0.0),
                   sentence=tuple(raw.get("sentence") or (raw["start"], raw["end"])),
                   reason=raw.get("reason"))


def machine_layers(text: str, lang: str, published: datetime.date | None,
                   mentions: Sequence[Mapping[str, Any]], gazetteer: Any
                   ) -> dict[str, dict[str, Any]]:
    """The layers the pipeline draws from these (corrected) mentions, as the first parse did."""
    result = GeoparseResult(text=text, lang=lang,
                            mentions=tuple(_mention(m, gazetteer) for m in mentions),
                            sentences=sentence_spans(text))
    built = build_layers(result, gazetteer=gazetteer, published=published)
    return {layer: to_feature_collection(built, select=[layer])
            for layer, frame in built.items() if len(frame)}


# ---------------------------------------------------------------- readings offered
def candidate_keys(surface: str) -> list[str]:
    """Gazetteer keys a mention's surface may stand for (Arabic proclitics and article off)."""
    key = normalize_key(surface)
    keys = [key]
    for prefix in _AR_PROCLITICS:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            keys.append(key[len(prefix):])
    for k in list(keys):
        if k.startswith("ال") and len(k) > 3:
            keys.append(k[2:])
    return list(dict.fromkeys(keys))


def candidates(mention: Mapping[str, Any], names: Any, *, limit: int = 12
               ) -> list[dict[str, Any]]:
    """Other readings of a mention: the places of its name, largest first.

    ``names`` answers ``lookup(key)`` and ``place(id)``: the web app passes its
    name file (:class:`geo.gazetteer.namedb.NameDB`), which answers as the
    full :class:`geo.gazetteer.Gazetteer` does.
    """
    ids: list[str] = []
    for key in candidate_keys(mention.get("surface", "")):
        ids += [e.place_id for e in names.lookup(key) if e.place_id and e.kind != "trap"]
    current = (mention.get("place") or {}).get("id")
    places = []
    for place_id in dict.fromkeys(ids):
        try:
            places.append(names.place(place_id))
        except KeyError:
            continue
    places.sort(key=lambda p: (p.id != current, -TYPE_PRECISION.get(p.type, 1),
                               -(p.population or 0)))
    return [place_summary(p) for p in places[:limit]]


def place_summary(place: Place) -> dict[str, Any]:
    """What an editor needs to tell readings apart: name, type, country, population."""
    return {"id": place.id, "name": place.name, "names": dict(place.names), "type": place.type,
            "country": place.country, "population": place.population,
            "lat": round(place.lat, 6), "lon": round(place.lon, 6)}
