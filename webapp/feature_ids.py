"""Feature ids that name what a feature reports, not where it sits in its layer.

An id is ``<document>.<layer>.<key>``: ``key`` is a short digest of the
feature's **origin key** (its layer, trigger, evidence spans, place ids and
actor as the parser drew them). A rebuild after a corrected mention draws the
same event again with the same origin key, so an editor's verify or edit, an
OGC client's bookmark and an embed's link still name the same feature; a
positional number renumbered every feature after the first one that changed.

Features an editor touched keep the origin key of the machine feature they
came from (``origin_key`` in their properties, :mod:`webapp.corrections`), so
editing the actor or the geometry does not change the id either. True
duplicates (two features with one origin key in one layer) are told apart by
their order in the layer, which rebuilds keep: the second is ``<key>-2``.

Trade-off: ten hex digits (40 bits) make a collision between two different
events of one document's layer vanishingly rare, and a collision would only
number the second one as a duplicate, never merge them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from geo.errors import InputError

_KEY = re.compile(r"[0-9a-f]{10}(-[1-9][0-9]*)?")


def origin_key(props: Mapping[str, Any], layer: str) -> str:
    """What identifies a machine feature across rebuilds: layer, trigger, evidence, places,
    actor."""
    spans = [[e.get("start"), e.get("end")] for e in props.get("evidence") or ()
             if isinstance(e, dict)]
    return json.dumps([layer, props.get("trigger"), spans, sorted(props.get("places") or []),
                       props.get("actor")], ensure_ascii=False)


def legacy_origin_key(key: str) -> str:
    """The origin key as stored before the actor was part of it (its first four fields):
    what features an editor touched back then carry."""
    return json.dumps(json.loads(key)[:4], ensure_ascii=False)


def feature_key(props: Mapping[str, Any], layer: str) -> str:
    """The digest part of a feature's id (before any duplicate number)."""
    key = props.get("origin_key") or origin_key(props, layer)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=5).hexdigest()


def layer_feature_ids(document_id: str, layer: str, features: Iterable[Mapping[str, Any]]
                      ) -> list[str]:
    """The ids of a stored layer's features, in their order (rejected ones included, so an
    id never depends on what else was rejected)."""
    seen: dict[str, int] = {}
    ids = []
    for feature in features:
        key = feature_key(feature.get("properties") or {}, layer)
        seen[key] = seen.get(key, 0) + 1
        suffix = f"-{seen[key]}" if seen[key] > 1 else ""
        ids.append(f"{document_id}.{layer}.{key}{suffix}")
    return ids


def identified(document_id: str, layers: Mapping[str, Mapping[str, Any]]
               ) -> list[dict[str, Any]]:
    """Every feature of a document's stored layers (by layer name) with its ``id``, as
    revisions and the editor list them (rejected ones included)."""
    out: list[dict[str, Any]] = []
    for layer, collection in sorted(layers.items()):
        features = collection.get("features") or []
        out.extend({**feature, "id": feature_id} for feature_id, feature in
                   zip(layer_feature_ids(document_id, layer, features), features, strict=True))
    return out


def split_feature_id(feature_id: Any, doc_id: str, where: str) -> str:
    """Return the layer of a feature id ``<doc>.<layer>.<key>`` of this document."""
    parts = feature_id.split(".") if isinstance(feature_id, str) else []
    if len(parts) != 3 or parts[0] != doc_id or not _KEY.fullmatch(parts[2]):
        raise InputError(f"{where}.id: expected a feature id '{doc_id}.<layer>.<key>' as the "
                         f"document's features list them, got {str(feature_id)[:80]!r}")
    return parts[1]


def well_formed(feature_id: str) -> bool:
    """Whether ``feature_id`` has the shape ``<doc>.<layer>.<key>`` (for lookups' messages)."""
    parts = feature_id.split(".")
    return len(parts) == 3 and bool(_KEY.fullmatch(parts[2]))
