"""What every part of the store shares: the engine, sessions, and reading layers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from geo.merge import MergeRule, Source, merge_features
from geo.timeline import close_states
from webapp.models import DocumentRow, LayerRow
from webapp.store.pinned import live_is_published, pinned_layers
from webapp.store.records import (
    StoredLayer,
    _tagged_features,
    _visible_documents,
    feature_collection,
    storable,
)


class StoreBase:
    """The engine and session factory, and the layer read the other parts build on."""

    engine: Engine
    reader: Engine  # the engine's pool, each statement its own transaction (Store.__init__)
    session: sessionmaker[Session]
    merge_rule: MergeRule
    postgis: bool  # the database answers bbox queries with PostGIS (webapp.store.spatial)

    def _collections(
        self, doc_ids: Sequence[str], layers: Iterable[str] | None, private: bool
    ) -> dict[str, dict[str, Any]]:
        layers = list(layers) if layers is not None else None  # read twice
        query = (
            live_is_published(_visible_documents(select(LayerRow).join(DocumentRow), private),
                              private)
            .options(selectinload(LayerRow.document))
            .where(LayerRow.document_id.in_(list(filter(storable, doc_ids))))
        )
        if layers is not None:
            query = query.where(LayerRow.layer.in_(list(filter(storable, layers))))
        order = {d: n for n, d in enumerate(doc_ids)}
        merged: dict[str, list[dict[str, Any]]] = {}
        boxes: dict[str, list[list[float]]] = {}
        sources: dict[str, Source] = {}
        with self.session() as session:
            found: list[StoredLayer] = list(session.scalars(query))
            if not private:
                found += pinned_layers(session, doc_ids=doc_ids, layers=layers)
            rows = sorted(found, key=lambda r: (order[r.document_id], r.layer))
            for row in rows:
                merged.setdefault(row.layer, []).extend(_tagged_features(row))
                sources[row.document_id] = Source(title=row.document.title,
                                                  url=row.document.source_url)
                if row.bbox:
                    boxes.setdefault(row.layer, []).append(row.bbox)
        return {
            layer: feature_collection(_in_time(features, sources, self.merge_rule),
                                      boxes.get(layer, []))
            for layer, features in sorted(merged.items())
        }


def _in_time(features: list[dict[str, Any]], sources: dict[str, Source],
             rule: MergeRule) -> list[dict[str, Any]]:
    """Features of several reports merged into events (:mod:`geo.merge`), states closed.

    The features of one report are left as they are: it tells each event once.
    """
    if len(sources) > 1:
        features = merge_features(features, sources, distance_km=rule.distance_km,
                                  window_days=rule.window_days)
    return close_states(features)
