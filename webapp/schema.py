"""The store's schema: tables created, and columns added to tables an older Kharita made.

``Base.metadata.create_all`` creates missing tables but never changes existing
ones. Every column added to a table after its first release is nullable or has
a server default, so bringing an older database up to date is one
``ALTER TABLE ... ADD COLUMN`` per missing column, the same statement on SQLite
and PostgreSQL. Renamed or retyped columns are out of scope: they would need a
migration tool (Alembic); the store has had none so far.
"""

from __future__ import annotations

import warnings

from sqlalchemy import inspect
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SAWarning
from sqlalchemy.schema import CreateColumn

from webapp.models import Base

LOCK_KEY = 0x6B686172  # "khar": advisory lock id of the schema creation on PostgreSQL


def create_schema(connection: Connection) -> list[str]:
    """Create missing tables and add missing columns; return the columns added.

    On PostgreSQL this runs under a transaction-level advisory lock, as several
    server workers may start at once.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    Base.metadata.create_all(connection)
    return add_missing_columns(connection)


def add_missing_columns(connection: Connection) -> list[str]:
    """Add every model column an existing table lacks; return ``table.column`` names."""
    inspector = inspect(connection)
    added = []
    for table in Base.metadata.sorted_tables:
        with warnings.catch_warnings():
            # features.geom (PostGIS, webapp.store.spatial) has a type SQLAlchemy does not
            # know; only the names are read here
            warnings.filterwarnings("ignore", "Did not recognize type 'geometry'", SAWarning)
            present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            ddl = CreateColumn(column).compile(dialect=connection.dialect)
            connection.execute(sql_text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
            added.append(f"{table.name}.{column.name}")
    return added
