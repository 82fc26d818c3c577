"""Corrected documents as evaluation gold: what ``kharita export-gold`` writes.

A document an editor corrected (at least one revision after the machine
reading) is taken as reviewed: its mentions and its features that are not
rejected become gold in the format of ``geo/event_gold.py`` (the format
``kharita eval`` and ``kharita eval --events`` read):

* ``toponyms``: mentions that carry a place (readings as corrected; "not a
  place" mentions left out; demonyms too, as in the shared corpora), with the
  place's coordinates, type and country;
* ``events``: features of the event layers, except rejected and inferred ones,
  with their layer, actor, status and evidence span. Anchors are the toponyms
  of the places a feature was drawn from (or the place's country, or its point);
  a feature whose geometry an editor drew (or that an editor added) is anchored where
  it was drawn.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TextIO

import shapely
import shapely.geometry

from geo.distance import km_between
from geo.event_gold import MATCH_KM, STATUSES
from webapp.store import DocumentState, Store


def gold_documents(store: Store, gazetteer: Any, *, since: date | None = None
                   ) -> Iterator[dict[str, Any]]:
    """One gold document per corrected document (corrected on or after ``since``)."""
    for doc_id in store.corrected_documents(since=since):
        state = store.document_state(doc_id, private=True)
        if state is not None:
            yield gold_document(state, gazetteer)


def write_gold(documents: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write documents as JSON lines; return how many."""
    count = 0
    for document in documents:
        out.write(json.dumps(document, ensure_ascii=False) + "\n")
        count += 1
    return count


def gold_document(state: DocumentState, gazetteer: Any) -> dict[str, Any]:
    """The gold document of one corrected document's current state."""
    record = state.record
    toponyms = [_toponym(m) for m in state.mentions
                if m.get("place") and m.get("kind", "toponym") == "toponym"]
    events = [event for layer, collection in sorted(state.layers.items()) if layer != "mentions"
              for feature in collection.get("features") or ()
              if (event := _event(feature, layer, toponyms, gazetteer)) is not None]
    out: dict[str, Any] = {"id": record.id, "lang": record.lang, "text": record.text,
                           "toponyms": toponyms, "events": events}
    if record.published:
        out["published"] = record.published.isoformat()
    return out


def _toponym(mention: Mapping[str, Any]) -> dict[str, Any]:
    place = mention["place"]
    return {"start": mention["start"], "end": mention["end"], "name": mention["surface"],
            "lat": place["lat"], "lon": place["lon"], "type": place.get("type"),
            "country": place.get("country"), "place": place["id"]}


def _event(feature: Mapping[str, Any], layer: str, toponyms: Sequence[Mapping[str, Any]],
           gazetteer: Any) -> dict[str, Any] | None:
    props = feature.get("properties") or {}
    if props.get("review") == "rejected" or props.get("inferred") or props.get("moved"):
        return None
    spans = [e for e in props.get("evidence") or () if isinstance(e, dict)]
    if not spans:
        return None
    if {"geometry", "added"} & set(props.get("edited") or ()) and feature.get("geometry"):
        anchors = _drawn_anchors(feature["geometry"])
    else:
        anchors = _place_anchors(props.get("places") or (), toponyms, gazetteer)
    if not anchors:
        return None
    status = props.get("status") if props.get("status") in STATUSES else "reported"
    return {"layer": props.get("layer") or layer, "anchors": anchors, "actor": props.get("actor"),
            "status": status,
            "evidence": [min(e["start"] for e in spans), max(e["end"] for e in spans)],
            "review": props.get("review") or "machine"}


def _place_anchors(places: Sequence[str], toponyms: Sequence[Mapping[str, Any]],
                   gazetteer: Any) -> list[dict[str, Any]]:
    """Anchors of the places a feature was drawn from: toponyms first, else country or point."""
    anchors: list[dict[str, Any]] = []
    for place_id in places:
        index = next((i for i, t in enumerate(toponyms) if t["place"] == place_id), None)
        if index is not None:
            anchors.append({"toponym": index})
            continue
        try:
            place = gazetteer.place(place_id.partition("#")[0])
        except KeyError:
            continue
        if place.type == "country" and place.country and not place_id.count("#"):
            anchors.append({"country": place.country})
        else:
            anchors.append({"point": [round(place.lat, 6), round(place.lon, 6)],
                            "radius_km": MATCH_KM})
    return anchors


def _drawn_anchors(geometry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A point anchor reaching every part of a drawn shape (at least the usual 50 km)."""
    shape = shapely.geometry.shape(geometry)
    centre = shape.representative_point() if shape.geom_type != "Point" else shape
    farthest = max((km_between(centre.y, centre.x, y, x)
                    for x, y in shapely.get_coordinates(shape).tolist()), default=0.0)
    return [{"point": [round(centre.y, 6), round(centre.x, 6)],
             "radius_km": round(max(MATCH_KM, math.ceil(farthest)), 1)}]
