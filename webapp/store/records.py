"""The store's frozen records, and the helpers its queries share (ids, visibility, checks).

Nothing here opens a session: :mod:`webapp.store` does.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import selectinload

from geo.errors import InputError
from geo.timeline import stamp
from webapp.errors import NotFoundError
from webapp.feature_ids import layer_feature_ids
from webapp.models import DocumentRow, JobRow, MapDocumentRow, MapRow


class UnknownDocumentError(NotFoundError):
    """A map names a document id that is not stored."""


class UnstorableTextError(InputError):
    """A text field holds U+0000: PostgreSQL refuses it, so the store refuses it everywhere."""


def storable(value: str) -> bool:
    """Whether ``value`` can be stored or looked up (no U+0000) on every backend."""
    return "\x00" not in value


def _check_storable(**fields: str | None) -> None:
    for name, value in fields.items():
        if value and not storable(value):
            raise UnstorableTextError(
                f"{name}: contains a NUL character (U+0000), which cannot be stored; remove it"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRecord:
    """A stored document (text and metadata) with its layer feature counts."""

    id: str
    title: str
    text: str
    source_url: str | None
    published: date | None
    lang: str
    created: datetime
    layer_counts: Mapping[str, int] = field(default_factory=dict)
    map_id: str | None = None
    public: bool = True
    revision: int = 0
    published_revision: int | None = None  # what the public reads (None: the live one)
    published_at: datetime | None = None  # when, and by whom, it was last published
    published_by: str | None = None

    @property
    def draft_ahead(self) -> bool:
        """Whether editors saved corrections after the revision the public reads."""
        return (self.public and self.published_revision is not None
                and self.revision != self.published_revision)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentEntry:
    """A line of a map's list of documents: no text, mentions or layers to read."""

    id: str
    title: str
    lang: str
    published: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentPage:
    """One page of a map's documents, and how many match in all."""

    entries: tuple[DocumentEntry, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentSource:
    """Where a document comes from: what downloads name beside each feature's document id."""

    id: str
    title: str
    source_url: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRecord:
    """A parse job: ``queued``, ``running``, ``done`` (with its document) or ``failed``."""

    id: str
    status: str
    title: str
    document_id: str | None
    error: str | None
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class IdempotencyRecord:
    """What an earlier request with the same ``Idempotency-Key`` sent and got."""

    body_hash: str
    status: int | None  # None while that request is still running
    response: str | None
    location: str | None


def _job_record(row: JobRow) -> JobRecord:
    return JobRecord(id=row.id, status=row.status, title=row.title,
                     document_id=row.document_id, error=row.error, created=row.created,
                     updated=row.updated)


@dataclass(frozen=True, slots=True)
class LayerEntry:
    """One stored (document, layer), without its GeoJSON: what indexes and extents need."""

    document_id: str
    created: datetime
    published: date | None
    bbox: tuple[float, ...] | None
    revision: int = 0  # the document's: its features change with it
    pinned: bool = False  # read from a published revision behind the live one


@dataclass(frozen=True, slots=True, kw_only=True)
class MapRecord:
    """A stored map: documents, chosen layers (empty = all) and view settings."""

    id: str
    title: str
    description: str
    document_ids: tuple[str, ...]
    layers: tuple[str, ...]
    view: Mapping[str, Any]
    public: bool
    created: datetime
    revisions: tuple[int, ...] = ()  # of its documents: a correction changes the map

    @property
    def version(self) -> str:
        """A digest of every field: what the map shows changes only with one of them."""
        fields = [self.id, self.title, self.description, self.document_ids, self.layers,
                  self.view, self.public, self.created.isoformat(), self.revisions]
        raw = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.blake2b(raw.encode("utf-8"), digest_size=8).hexdigest()


def new_id(prefix: str) -> str:
    """Return a fresh stable id such as ``d3f9a0c21b7``."""
    return prefix + secrets.token_hex(5)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _bbox(collection: Mapping[str, Any]) -> list[float] | None:
    box = collection.get("bbox")
    return [float(v) for v in box] if box else None


def _document_record(row: DocumentRow) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        title=row.title,
        text=row.text,
        source_url=row.source_url,
        published=row.published,
        lang=row.lang,
        created=row.created,
        layer_counts={layer.layer: layer.count for layer in row.layers},
        map_id=row.map_id,
        public=row.public,
        revision=row.revision or 0,
        published_revision=row.published_revision,
        published_at=row.published_at,
        published_by=row.published_by,
    )


@dataclass(frozen=True, slots=True)
class MapLink:
    """What a map record reads of one of its documents."""

    document_id: str
    public: bool
    revision: int | None
    published_revision: int | None


#: The columns of :class:`MapLink`, for a query joining a map's documents.
MAP_LINK_COLUMNS = (MapDocumentRow.document_id, DocumentRow.public, DocumentRow.revision,
                    DocumentRow.published_revision)


def _map_record(row: MapRow, private: bool, links: list[MapLink] | None = None) -> MapRecord:
    """The record of a map row; without ``private``, private documents are left out.

    ``links``: its documents in order, when read apart (by default from ``row.documents``).
    """
    if links is None:
        links = [MapLink(link.document_id, link.document.public, link.document.revision,
                         link.document.published_revision) for link in row.documents]
    shown = links if private else [link for link in links if link.public]
    return MapRecord(
        id=row.id,
        title=row.title,
        description=row.description,
        document_ids=tuple(link.document_id for link in shown),
        layers=tuple(row.layers or ()),
        view=dict(row.view or {}),
        public=row.public,
        created=row.created,
        revisions=tuple(_read_revision(link, private) for link in shown),
    )


def _read_revision(link: MapLink, private: bool) -> int:
    """The revision of a document a caller reads: the published one for the public
    (:mod:`webapp.store.pinned`), else the live one."""
    if private or link.published_revision is None:
        return link.revision or 0
    return link.published_revision


class StoredLayer(Protocol):
    """What features are read from: a layer row, or a published revision's layer."""

    @property
    def document_id(self) -> str: ...
    @property
    def layer(self) -> str: ...
    @property
    def geojson(self) -> str: ...
    @property
    def bbox(self) -> list[float] | None: ...
    @property
    def document(self) -> DocumentRow: ...


def _tagged_features(row: StoredLayer) -> list[dict[str, Any]]:
    """Features of one stored layer with their stable ids, document tags, review state and time.

    Ids name what a feature reports (:mod:`webapp.feature_ids`), so they
    survive rebuilds. Features an editor rejected are left out, so no map,
    download or collection shows them; ``review`` is ``machine`` until
    an editor touches the feature (:mod:`webapp.corrections`). ``reported`` is the
    document's publication day, else the day it was stored; states get
    ``valid_from``/``valid_to`` (:func:`geo.timeline.stamp`).
    """
    return tag_features(json.loads(row.geojson).get("features", []), document_id=row.document_id,
                        layer=row.layer, published=row.document.published,
                        created=row.document.created)


def tag_features(features: list[dict[str, Any]], *, document_id: str, layer: str,
                 published: date | None, created: datetime) -> list[dict[str, Any]]:
    """What :func:`_tagged_features` does, on a layer's parsed features (changed in place)."""
    published_day = published.isoformat() if published else None
    reported = published_day or created.date().isoformat()
    tagged = []
    for feature_id, feature in zip(layer_feature_ids(document_id, layer, features), features,
                                   strict=True):
        props = feature.setdefault("properties", {}) or {}
        if props.get("review") == "rejected":
            continue
        feature["id"] = feature_id
        props.setdefault("layer", layer)
        props.setdefault("review", "machine")
        props["document"] = document_id
        props["published"] = published_day
        feature["properties"] = stamp(props, layer=layer, reported=reported)
        tagged.append(feature)
    return tagged


# A map record needs each document's visibility and revision only: a map its feeds fill
# has thousands of documents, whose texts and mentions weigh hundreds of megabytes.
_MAP_DOCUMENTS = selectinload(MapRow.documents).selectinload(MapDocumentRow.document).load_only(
    DocumentRow.id, DocumentRow.public, DocumentRow.revision, DocumentRow.published_revision)


def _visible_documents(query: Any, private: bool) -> Any:
    """Restrict a query over documents to the public ones unless ``private``."""
    return query if private else query.where(DocumentRow.public.is_(True))


def _visible_maps(query: Any, private: bool) -> Any:
    """Restrict a query over maps to the public ones unless ``private``."""
    return query if private else query.where(MapRow.public.is_(True))


def feature_collection(features: list[Any], boxes: list[list[float]]) -> dict[str, Any]:
    """Wrap features in a FeatureCollection with the union of the layer bboxes."""
    out: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if boxes:
        out["bbox"] = [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
    return out
