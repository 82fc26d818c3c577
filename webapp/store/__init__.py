"""Storage of documents, their parse results (mentions, layers) and maps.

CONTRACT (the JSON API and OGC API are written against this; keep it stable)
---------------------------------------------------------------------------
Reach the store of the running app with :func:`get_store` (like flaskr's
``get_db``); :func:`init_app` creates it once per app from the
``DATABASE_URL`` setting (default: SQLite file ``kharita.sqlite3`` in the
instance folder; ``KHARITA_DATABASE_URL=postgresql+psycopg://...`` selects
PostgreSQL). Outside Flask, ``Store("sqlite:///path.db")`` works the same.

Every method returns frozen records (never ORM objects) and every write is
one transaction: nothing is stored half-way. Both backends behave the same:
a text field holding U+0000 (which PostgreSQL cannot store) raises
:class:`UnstorableTextError` (a ``geo.errors.InputError``, so a 400) on
SQLite too, and an id holding it is simply unknown.

Ids are stable strings: documents ``d`` + 10 hex chars, maps ``m`` + 10
hex chars. A layer feature id is ``"<document_id>.<layer>.<n>"`` (n = index
of the feature in that document's layer), stable for the stored document.

Records::

    DocumentRecord(id, title, text, source_url, published: date | None,
                   lang, created: datetime, layer_counts: dict[str, int],
                   map_id: str | None,  # the document's own one-document map
                   public: bool, revision: int,  # last correction, 0: machine
                   published_revision: int | None)  # pinned by publishing (store.pinned)
    MapRecord(id, title, description, document_ids: tuple[str, ...],
              layers: tuple[str, ...]  # () = every layer of its documents
              view: dict  # optional "center" [lat, lon], "zoom" int
              public: bool, created: datetime)
    MapRecord.version -> str  # changes whenever what the map shows changes
        # (its record, e.g. when one of its documents is deleted, or the
        # revision of one of its documents): a cache key part

Visibility: documents and maps are public or private. Every read takes
``private=False``: by default a private document or map is simply not there
(``None``, left out of lists and counts, its features left out of every map
and collection); ``private=True`` reads everything. The web layer decides who
passes ``True`` (:mod:`webapp.access`); this is the one place the rule is applied.

Documents and results::

    store.add_document(*, text, title, lang, mentions, layers,
                       source_url=None, published=None,
                       map_title=None, public=True) -> DocumentRecord
        # mentions: list of DESIGN "Mention" dicts; layers: {layer_id:
        # GeoJSON FeatureCollection dict}. Empty layers are not stored.
        # map_title given: also creates the document's own map (same
        # transaction) and sets record.map_id.
        # Usually called through webapp.ingest.ingest(store, Submission(...)),
        # which validates the text and runs geo (raises geo.errors.InputError).
    store.get_document(doc_id, *, private=False) -> DocumentRecord | None
    store.list_documents(*, limit=20, offset=0, private=False) -> list[DocumentRecord]
        # newest first
    store.count_documents(*, private=False) -> int
    store.document_sources(doc_ids, *, private=False) -> dict[str, DocumentSource]
        # DocumentSource(id, title, source_url) of the known (visible) ids,
        # one query: what downloads add beside each feature's "document"
    store.get_mentions(doc_id, *, private=False) -> list[dict]   # [] if unknown
    store.get_layers(doc_id, layers=None, *, private=False) -> dict[str, dict]
        # {layer_id: FeatureCollection}, features carry "id" and the
        # properties "document" (doc id) and "published" (ISO date or None)
    store.delete_document(doc_id) -> bool

Maps::

    store.create_map(*, title, document_ids, layers=(), view=None,
                     description="", public=True) -> MapRecord
        # raises UnknownDocumentError (a LookupError) for an unknown doc id
    store.get_map(map_id, *, private=False) -> MapRecord | None
    store.list_maps(*, limit=20, offset=0, private=False) -> list[MapRecord]
    store.count_maps(*, private=False) -> int
    store.map_layers(map_record, layers=None, *, private=False) -> dict[str, dict]
        # the map's chosen layers (or ``layers`` if given, intersected with
        # them) merged across its (visible) documents, one FeatureCollection
        # per layer
    store.map_documents(map_record, *, private=False) -> list[DocumentRecord]
    store.map_document_page(map_record, *, limit, offset=0, search="", private=False)
        -> DocumentPage(entries, total)   # DocumentEntry(id, title, lang, published)
        # one page in the map's order, titles holding ``search`` only; what its page lists
    store.map_drafts_ahead(map_record) -> list[DocumentRecord]
        # its public documents with corrections after the published revision

Publishing (drafts are documents and maps with ``public`` off)::

    store.set_document_public(doc_id, public, by=None) -> DocumentRecord | None
        # the document and its own map together
    store.set_map_public(map_id, public, by=None) -> MapRecord | None
        # publishing a map also publishes its documents

Accounts (:mod:`webapp.store.users`)::

    store.add_user(name, password, role) -> UserRecord   # AccountError (400) if bad
    store.authenticate(name, password) -> UserRecord | None   # active users only
    store.add_token(user_id, scope, label="") -> (token, TokenRecord)  # token shown once
    store.find_token(token) -> TokenRecord | None   # active users' tokens only

Corrections (:mod:`webapp.store.revisions`; every save is one transaction)::

    store.document_state(doc_id, *, private=False) -> DocumentState | None
        # record, mentions and raw layers (rejected features included)
    store.save_revision(doc_id, *, expected, author, summary, mentions, layers)
        -> RevisionRecord   # raises RevisionConflictError unless at ``expected``
    store.list_revisions(doc_id, *, private=False) -> list[RevisionRecord]
    store.corrected_documents(*, since=None) -> list[str]  # for export-gold
    store.get_revision(doc_id, number, *, private=False)
        -> (RevisionRecord, DocumentState) | None

Across documents (OGC collections)::

    store.layer_ids(*, private=False) -> list[str]   # every layer id with features
    store.has_layer(layer, *, private=False) -> bool  # one lookup: layer in layer_ids()
    store.features(layer, *, document_ids=None, private=False) -> list[dict]
        # every feature of that layer (ids and properties as above), in
        # (document created, n) order; filter bbox/datetime on top of it
    store.layer_index(layer=None, *, document_ids=None, private=False)
        -> dict[str, list[LayerEntry]]
        # (document, created, published, bbox, revision) per stored layer, without
        # reading any GeoJSON: what OGC collections and extents need
    store.features_in_bbox(layer, bbox, *, document_ids=None, private=False)
        -> list[FoundFeatures]   # (document_id, created, published, texts); .features
        # parses the stored GeoJSON texts, which OGC pages send on unparsed
        # per document in (created, id) order, its features of that layer meeting bbox
        # (minlon, minlat, maxlon, maxlat; minlon > maxlon crosses the antimeridian), in
        # n order, read from the feature rows (webapp.store.spatial) of documents read
        # live; exact on PostGIS, box overlap (candidates to test exactly) elsewhere.
        # Published revisions behind the live one are not there: get_layers reads them.
    store.answer_bbox(layer, bbox, *, private=False) -> BoxAnswer(live, pinned)
        # features_in_bbox over every document, and the LayerEntry of each published
        # revision behind its live one (to read whole): one statement, on store.reader
        # (PostgreSQL: no BEGIN/ROLLBACK round trips; single reads only)
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from geo.merge import MergeRule
from webapp.schema import create_schema
from webapp.store.documents import DocumentStore
from webapp.store.feeds import FeedRecord, FeedStore
from webapp.store.jobs import JobStore
from webapp.store.layers import LayerStore
from webapp.store.maps import MapStore, MergedCache, add_text_functions
from webapp.store.publishing import PublishingStore
from webapp.store.records import (
    DocumentEntry,
    DocumentPage,
    DocumentRecord,
    DocumentSource,
    IdempotencyRecord,
    JobRecord,
    LayerEntry,
    MapRecord,
    UnknownDocumentError,
    UnstorableTextError,
    feature_collection,
    new_id,
    storable,
)
from webapp.store.revisions import (
    DocumentState,
    RevisionConflictError,
    RevisionRecord,
    RevisionStore,
)
from webapp.store.spatial import add_geometry_column, fill_features, has_postgis
from webapp.store.users import UserStore

__all__ = [
    "DocumentEntry", "DocumentPage", "DocumentRecord", "DocumentSource", "DocumentState",
    "FeedRecord", "IdempotencyRecord",
    "JobRecord", "LayerEntry", "MapRecord", "RevisionConflictError", "RevisionRecord", "Store",
    "UnknownDocumentError", "UnstorableTextError", "feature_collection", "get_store", "init_app",
    "new_id", "storable",
]
EXTENSION = "kharita.store"
#: Looks at the schema before a race with another starting process counts as an error.
SCHEMA_ATTEMPTS = 3


class Store(DocumentStore, MapStore, LayerStore, JobStore, PublishingStore, UserStore,
            RevisionStore, FeedStore):
    """Documents, layers, maps, jobs, accounts, revisions and feeds in one SQL database
    through SQLAlchemy 2.

    Each concern lives in its own module (``documents``, ``maps``, ``layers``,
    ``jobs``, ``feeds``); this class puts them on one engine. Layers are GeoJSON text per
    (document, layer): the same schema runs on SQLite and PostgreSQL, and pages read
    whole layers anyway. Beside them, one row per feature with its box (and a PostGIS
    geometry when the database has the extension, :mod:`webapp.store.spatial`) lets a
    bbox query across many documents run in the database. The price is every feature
    stored twice.
    """

    def __init__(self, url: str, *, engine_options: Mapping[str, Any] | None = None,
                 merge_rule: MergeRule | None = None) -> None:
        self.engine: Engine = create_engine(url, **dict(engine_options or {}))
        add_text_functions(self.engine)
        self.reader: Engine = read_only_engine(self.engine)
        self.merge_rule = merge_rule or MergeRule()
        self._create_tables()
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self._merged_cache = MergedCache()

    def _create_tables(self) -> None:
        """Create missing tables and columns (:mod:`webapp.schema`).

        Processes starting on a new SQLite file at once (``make run`` starts the server and
        the feed worker) take turns through a lock file beside the database, so none finds
        a table half made; PostgreSQL serialises this with a lock of its own. A race that
        still slips through (a database shared over a file system without locks) counts as
        an error only once the tables have been looked at again.
        """
        with schema_lock(self.engine):
            for attempt in range(SCHEMA_ATTEMPTS):
                try:
                    with self.engine.begin() as connection:
                        create_schema(connection)
                        self.postgis = has_postgis(connection)
                        if self.postgis:
                            add_geometry_column(connection)
                        fill_features(connection, postgis=self.postgis)
                    return
                except OperationalError as error:
                    if not raced(error) or attempt == SCHEMA_ATTEMPTS - 1:
                        raise

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def raced(error: OperationalError) -> bool:
    """Whether ``error`` is another process creating the same schema at the same time."""
    message = str(error)
    return any(sign in message for sign in ("already exists", "duplicate column", "locked"))


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold ``<database>.lock`` exclusively while the block runs, for a SQLite file.

    The lock is a separate file: closing any handle on the database itself would drop
    the locks SQLite holds on it in this process.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    try:
        handle = open(f"{database}.lock", "a")  # noqa: SIM115 - held across the yield
    except OSError:  # a read-only folder: SQLite reports what it can and cannot do
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_only_engine(engine: Engine) -> Engine:
    """``engine`` for single reads: on PostgreSQL without BEGIN and ROLLBACK around each
    statement (three round trips become one), sharing the engine's pool; SQLite's driver
    starts no transaction for a read anyway."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def default_url(app: Flask) -> str:
    """Return the SQLite URL of ``kharita.sqlite3`` in the instance folder."""
    return f"sqlite:///{Path(app.instance_path) / 'kharita.sqlite3'}"


def init_app(app: Flask) -> None:
    """Create the app's store once, from the ``DATABASE_*`` and ``MERGE_*`` settings."""
    url = app.config.get("DATABASE_URL") or default_url(app)
    rule = MergeRule(distance_km=float(app.config["MERGE_DISTANCE_KM"]),
                     window_days=app.config["MERGE_WINDOW_DAYS"])
    options = ({"pool_size": app.config["DATABASE_POOL_SIZE"]}
               if url.startswith("postgresql") else {})
    app.extensions[EXTENSION] = Store(url, engine_options=options, merge_rule=rule)


def get_store() -> Store:
    """Return the store of the current app."""
    return current_app.extensions[EXTENSION]
