"""SQLAlchemy 2 tables behind :mod:`webapp.store`.

Use :class:`webapp.store.Store` rather than these classes: the store returns
plain frozen records and owns the transactions. Layers are kept as GeoJSON
text, one row per (document, layer), so a document page or an OGC items
request reads exactly the rows it needs and no geometry type is required
from the database (SQLite and PostgreSQL behave the same).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    true,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every Kharita table."""


class DocumentRow(Base):
    """A stored text with its metadata and parse result (mentions)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    published: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    lang: Mapped[str] = mapped_column(String(8), default="")
    mentions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, DESIGN contract
    created: Mapped[datetime] = mapped_column(DateTime, index=True)
    map_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # its own map
    public: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Number of the last saved correction (0: the machine reading); the ETag of edits.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=sql_text("0"))
    # The revision readers who may not see drafts get (webapp.store.pinned); None: the
    # live one (things published at creation, before accounts existed).
    published_revision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # When and by whom it was last published (None: before Kharita recorded it).
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    layers: Mapped[list[LayerRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="LayerRow.layer"
    )


class LayerRow(Base):
    """One layer of one document, as a GeoJSON FeatureCollection text."""

    __tablename__ = "layers"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    layer: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    geojson: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=0)
    bbox: Mapped[list[float] | None] = mapped_column(JSON, nullable=True)
    document: Mapped[DocumentRow] = relationship(back_populates="layers")


class FeatureRow(Base):
    """One served feature of one document's layer, with its bounding box: what bbox queries read.

    Written beside the :class:`LayerRow` it comes from (:mod:`webapp.store.spatial`),
    as the read path serves it (tagged, states closed within the document;
    rejected features left out). ``n`` is its index in the layer, the last part
    of its stable id. On PostgreSQL with PostGIS the table also has a
    ``geom geometry(Geometry,4326)`` column with a GiST index, added outside the
    model (:func:`webapp.schema.create_schema`) so SQLite needs no geometry type.
    """

    __tablename__ = "features"
    __table_args__ = (Index("ix_features_layer_box", "layer", "minx", "maxx"),)

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    layer: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # the feature as GeoJSON text, as served
    minx: Mapped[float | None] = mapped_column(Float, nullable=True)
    miny: Mapped[float | None] = mapped_column(Float, nullable=True)
    maxx: Mapped[float | None] = mapped_column(Float, nullable=True)
    maxy: Mapped[float | None] = mapped_column(Float, nullable=True)


class RevisionRow(Base):
    """One saved state of a document's mentions and layers: who changed what, and when.

    A full snapshot rather than a diff: any revision is read or restored
    without replaying the others (a seed-sized document is ~150 kB).
    """

    __tablename__ = "revisions"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    author: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, index=True)
    mentions: Mapped[str] = mapped_column(Text)  # JSON list, as DocumentRow.mentions
    layers: Mapped[str] = mapped_column(Text)  # JSON {layer: FeatureCollection}


class MapRow(Base):
    """A named map combining documents and chosen layers."""

    __tablename__ = "maps"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    layers: Mapped[list[str]] = mapped_column(JSON, default=list)  # [] = every layer
    view: Mapped[dict] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(default=True, server_default=true())
    created: Mapped[datetime] = mapped_column(DateTime, index=True)
    documents: Mapped[list[MapDocumentRow]] = relationship(
        cascade="all, delete-orphan", order_by="MapDocumentRow.position"
    )


class MapDocumentRow(Base):
    """Membership of a document in a map, in display order."""

    __tablename__ = "map_documents"

    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    document: Mapped[DocumentRow] = relationship(viewonly=True)


class JobRow(Base):
    """A submitted text waiting to be parsed, being parsed, or done (with its document)."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued|running|done|failed
    text: Mapped[str] = mapped_column(Text)  # emptied once done: the document holds it
    title: Mapped[str] = mapped_column(String(500), default="")
    source_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    public: Mapped[bool] = mapped_column(default=True, server_default=true())
    document_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A report of an API batch goes onto this map (no map of its own); its text's digest
    # keeps one text from being queued twice for the map (webapp.store.feeds.seen_digest).
    map_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
    updated: Mapped[datetime] = mapped_column(DateTime, index=True)


class IdempotencyRow(Base):
    """The first answer to an API write sent with an ``Idempotency-Key`` (24 hours)."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(64), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: in progress
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    location: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime, index=True)
