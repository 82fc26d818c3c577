"""Features behind the OGC API collections: bbox asked of the database, the rest in memory.

A collection is a layer id across every stored document (``mentions``) or one
layer of one map (``map-<map id>-<layer>``). Each request reads a small index
from the store (:meth:`webapp.store.Store.layer_index`: document id,
publication date and layer bbox per stored layer the caller may see, no GeoJSON
text), then takes the features of each (document, layer) from a per-process
cache filled from :meth:`webapp.store.Store.get_layers`.
A stored document changes only through a correction, which raises its
revision number, so the cache is keyed by document id, creation time,
revision and layer; a deleted document simply drops out of the index.

A ``bbox`` request on a layer whose features stand alone (not a state layer
across reports, not a map merging its reports' events) asks the store's
feature rows instead (:mod:`webapp.store.spatial`: PostGIS, or box columns),
so only the features in the box are read, whatever the collection's size.
Otherwise the whole feature list of the collection is walked per request,
which is cheap for thousands of features: states and merged events depend on
features outside the box.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry import box, shape

from geo.merge import Source, merge_features
from geo.timeline import close_states, overlaps, state_layers
from webapp.errors import NotFoundError
from webapp.feature_ids import well_formed
from webapp.ogc.query import BBox, Interval, bbox_intersects
from webapp.store import LayerEntry, MapRecord, Store

MAP_PREFIX = "map-"
#: (document, layer) entries kept per process; a seed-sized layer is a few kB.
CACHE_ENTRIES = 4096


class UnknownCollectionError(NotFoundError):
    """No collection, or no feature, has the id asked for (HTTP 404)."""


@dataclass(frozen=True, slots=True)
class Collection:
    """A feature collection: a layer, optionally restricted to one map's documents.

    ``entries`` are its stored (document, layer) index rows, read once per request.
    """

    id: str
    layer: str
    map: MapRecord | None = None
    entries: tuple[LayerEntry, ...] = ()
    private: bool = False  # the entries were read with drafts (webapp.access.sees_private)
    indexed: bool = True  # False: entries left unread, a bbox query asks the feature rows

    @property
    def document_ids(self) -> tuple[str, ...] | None:
        """Documents the collection draws from (None: every stored document)."""
        return self.map.document_ids if self.map else None


class IndexedFeature:
    """One feature as its served JSON text, parsed (and its geometry built) on first use.

    A page of GeoJSON items only joins texts; filters, HTML pages and the exact box test
    parse. ``in_box``: the database found the feature exactly in the asked box (PostGIS),
    so :func:`select_features` does not test it again. Parsed values are filled lazily on
    objects the cache shares between threads: two threads filling one compute the same.
    """

    __slots__ = ("_data", "_shape", "in_box", "published", "text")

    def __init__(self, text: str, published: date | None, *,
                 data: dict[str, Any] | None = None, in_box: bool = False) -> None:
        self.text = text
        self.published = published
        self.in_box = in_box
        self._data = data
        self._shape: tuple[Any, BBox | None] | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The feature, parsed."""
        if self._data is None:
            self._data = json.loads(self.text)
        return self._data

    @property
    def id(self) -> str:
        """The stable feature id."""
        return str(self.data["id"])

    @property
    def geometry(self) -> Any:
        """The prepared shapely geometry, or None."""
        return self._shaped()[0]

    @property
    def bbox(self) -> BBox | None:
        """The geometry's bounds, or None when it is missing or empty."""
        return self._shaped()[1]

    def _shaped(self) -> tuple[Any, BBox | None]:
        if self._shape is None:
            geom = self.data.get("geometry")
            geometry = shape(geom) if geom else None
            bounds = geometry.bounds if geometry is not None and not geometry.is_empty else None
            if geometry is not None:
                shapely.prepare(geometry)
            self._shape = (geometry, bounds)
        return self._shape


def map_collection_id(map_id: str, layer: str) -> str:
    """Return the collection id of one layer of one map."""
    return f"{MAP_PREFIX}{map_id}-{layer}"


def split_map_collection_id(collection_id: str) -> tuple[str, str] | None:
    """Return ``(map id, layer)`` for a ``map-<id>-<layer>`` collection id, else None."""
    if not collection_id.startswith(MAP_PREFIX):
        return None
    map_id, sep, layer = collection_id[len(MAP_PREFIX) :].partition("-")
    return (map_id, layer) if sep and map_id and layer else None


def _index_feature(feature: dict[str, Any], published: date | None) -> IndexedFeature:
    text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
    return IndexedFeature(text, published, data=feature)


class FeatureCache:
    """Indexed features per (document id, created, revision, layer), least recently used
    dropped first."""

    def __init__(self, max_entries: int = CACHE_ENTRIES) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[tuple[str, datetime, int, str], tuple[IndexedFeature, ...]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, store: Store, entry: LayerEntry, layer: str) -> tuple[IndexedFeature, ...]:
        """Return the features of one document's layer, parsing them on first use."""
        key = (entry.document_id, entry.created, entry.revision, layer)
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found
        # the entry comes from the caller's (visibility-filtered) index: read it whole, at
        # the published revision when that is behind the live one
        collection = store.get_layers(entry.document_id, [layer],
                                      private=not entry.pinned).get(layer, {})
        found = tuple(_index_feature(f, entry.published) for f in collection.get("features", []))
        with self._lock:
            self._data[key] = found
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return found


def _matches(feature: IndexedFeature, bbox: BBox | None, query_geom: list[Any]) -> bool:
    """Whether ``feature`` meets ``bbox``; ``query_geom`` holds the box's geometry once a
    feature needed it (none does when PostGIS answered)."""
    if bbox is None or feature.in_box:
        return True
    if feature.bbox is None or not bbox_intersects(bbox, feature.bbox):
        return False
    if not query_geom:
        query_geom.append(_query_geometry(bbox))
    return bool(feature.geometry.intersects(query_geom[0]))


def features_in_bbox(features: Iterable[dict[str, Any]], bbox: BBox) -> list[IndexedFeature]:
    """The GeoJSON ``features`` whose geometry meets ``bbox``, tested as the items are (the
    boxes first, then the exact shapes; a box may cross the antimeridian)."""
    query_geom: list[Any] = []
    candidates = (IndexedFeature("", None, data=feature) for feature in features)
    return [feature for feature in candidates if _matches(feature, bbox, query_geom)]


def _query_geometry(bbox: BBox) -> Any:
    minx, miny, maxx, maxy = bbox
    if minx <= maxx:
        return box(minx, miny, maxx, maxy)
    return shapely.union(box(minx, miny, 180, maxy), box(-180, miny, maxx, maxy))


def select_features(
    store: Store,
    cache: FeatureCache,
    collection: Collection,
    *,
    bbox: BBox | None = None,
    interval: Interval | None = None,
) -> Iterator[IndexedFeature]:
    """Yield the collection's features intersecting ``bbox`` and ``interval``, in stable order.

    ``interval`` meets each feature's own time (:func:`geo.timeline.overlaps`:
    an event's date, a state's validity), not only its document's date.
    """
    query_geom: list[Any] = []
    for feature in _timed(store, cache, collection, bbox):
        if interval is not None and not overlaps(feature.data.get("properties") or {},
                                                 interval.start, interval.end):
            continue
        if _matches(feature, bbox, query_geom):
            yield feature


def _timed(store: Store, cache: FeatureCache, collection: Collection,
           bbox: BBox | None) -> list[IndexedFeature]:
    """The collection's features; on a state layer, each closed by later reports.

    A map's collection answers what the map shows: events told by several of
    its reports merged (:mod:`geo.merge`), as its page and downloads do.
    Documents whose layer box misses ``bbox`` are skipped unread, except where
    features of other reports matter (a state layer, a map's events).
    """
    if not collection.indexed and bbox is not None:
        return _rows_in_box(store, cache, collection, bbox)
    merging, states = _combining(collection)
    entries = [e for e in collection.entries if states or merging or bbox is None
               or not e.bbox or bbox_intersects(bbox, e.bbox[:4])]  # type: ignore[arg-type]
    if not (states or merging):
        if bbox is not None:
            return _in_box(store, cache, collection, entries, bbox)
        return [f for entry in entries for f in cache.get(store, entry, collection.layer)]
    found = [f for entry in entries for f in cache.get(store, entry, collection.layer)]
    if merging:
        return _merged(store, found)
    closed = close_states(f.data for f in found)
    return [f if c == f.data else _index_feature(c, f.published)
            for f, c in zip(found, closed, strict=True)]


def _combining(collection: Collection) -> tuple[bool, bool]:
    """Whether the collection's features are merged across reports, and whether its states
    are closed by other reports: what makes a feature differ from its stored self."""
    several = len(collection.entries) > 1
    merging = several and collection.map is not None and collection.layer != "mentions"
    return merging, several and collection.layer in state_layers()


def _in_box(store: Store, cache: FeatureCache, collection: Collection,
            entries: list[LayerEntry], bbox: BBox) -> list[IndexedFeature]:
    """The features of ``entries`` that the database finds in ``bbox``, in entry order.

    Live layers are asked of the feature rows (:meth:`webapp.store.Store.features_in_bbox`,
    one query whatever the number of documents); a published revision behind the live
    one is read whole from the cache. :func:`select_features` then tests exactly each
    geometry that PostGIS did not already test.
    """
    found = {f.document_id: f for f in store.features_in_bbox(
        collection.layer, bbox, document_ids=collection.document_ids,
        private=collection.private)}
    out: list[IndexedFeature] = []
    for entry in entries:
        if entry.pinned:
            out.extend(cache.get(store, entry, collection.layer))
        elif entry.document_id in found:
            out.extend(IndexedFeature(text, entry.published, in_box=store.postgis)
                       for text in found[entry.document_id].texts)
    return out


def _rows_in_box(store: Store, cache: FeatureCache, collection: Collection,
                 bbox: BBox) -> list[IndexedFeature]:
    """What :func:`_in_box` answers, without the collection's index (unread: on a layer of
    thousands of documents, reading it costs more than the query): live features from the
    feature rows, published revisions behind the live one from the cache, in (document
    created, id) order."""
    layer = collection.layer
    found = store.answer_bbox(layer, bbox, private=collection.private)
    parts = [(f.created, f.document_id,
              [IndexedFeature(text, f.published, in_box=store.postgis) for text in f.texts])
             for f in found.live]
    parts += [(e.created, e.document_id, list(cache.get(store, e, layer)))
              for e in found.pinned
              if not e.bbox or bbox_intersects(bbox, e.bbox[:4])]  # type: ignore[arg-type]
    parts.sort(key=lambda part: (part[0], part[1]))
    return [feature for _, _, features in parts for feature in features]


def _merged(store: Store, found: list[IndexedFeature]) -> list[IndexedFeature]:
    """A map's features with each event merged across its reports and states closed."""
    documents = {str((f.data.get("properties") or {}).get("document")) for f in found}
    sources = {d.id: Source(title=d.title, url=d.source_url)
               for d in store.document_sources(documents, private=True).values()}
    published = {f.id: f.published for f in found}
    rule = store.merge_rule
    merged = close_states(merge_features((f.data for f in found), sources,
                                         distance_km=rule.distance_km,
                                         window_days=rule.window_days))
    return [_index_feature(m, published.get(str(m.get("id")))) for m in merged]


def find_feature(
    store: Store, cache: FeatureCache, collection: Collection, feature_id: str
) -> IndexedFeature:
    """Return one feature of the collection by its stable id ``<document>.<layer>.<key>``,
    as the collection's items list it.

    On a map of several reports that is the merged event (a member report's id
    answers the merged event too) and the state closed by later reports.
    """
    doc_id, _, rest = feature_id.partition(".")
    if rest.partition(".")[0] != collection.layer or not well_formed(feature_id):
        raise UnknownCollectionError(
            f"no feature {feature_id!r} in collection {collection.id!r}; ids look like "
            f"'<document id>.{collection.layer}.<key>' (see the items of the collection)"
        )
    if any(_combining(collection)):
        candidates: Iterable[IndexedFeature] = _timed(store, cache, collection, None)
    else:
        candidates = (f for entry in collection.entries if entry.document_id == doc_id
                      for f in cache.get(store, entry, collection.layer))
    for feature in candidates:
        members = (feature.data.get("properties") or {}).get("merged_ids") or ()
        if feature.id == feature_id or feature_id in members:
            return feature
    raise UnknownCollectionError(f"no feature {feature_id!r} in collection {collection.id!r}")


def extent(entries: Sequence[LayerEntry]) -> tuple[BBox | None, tuple[date | None, date | None]]:
    """Return the union bbox and the publication-date range of index rows."""
    boxes = [e.bbox for e in entries if e.bbox]
    days = [e.published for e in entries if e.published]
    spatial = (
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if boxes
        else None
    )
    return spatial, (min(days) if days else None, max(days) if days else None)
