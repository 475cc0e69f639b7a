"""Declarative base, naming convention and column types shared by every domain's models."""

from datetime import UTC

from sqlalchemy import JSON, DateTime, Engine, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic batch migrations on SQLite and plain ALTERs on PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class for all models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def sql_in(column: str, values) -> str:
    """SQL for a CHECK constraint that keeps a column within a closed vocabulary."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend; SQLite stores it naive, we re-attach UTC on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not accepted; pass a timezone-aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys, use WAL and wait on locks instead of failing, for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


# Methods whose requests write. Their SQLite transactions take the write lock at BEGIN.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def begin_immediate_for_writes(engine: Engine) -> None:
    """On SQLite, begin every transaction of a writing request with BEGIN IMMEDIATE; others stay deferred.

    A deferred transaction that has read and then writes cannot wait for the write lock: once another
    connection has committed, its snapshot is stale and SQLite answers "database is locked" at once,
    whatever busy_timeout says. BEGIN IMMEDIATE takes the lock first, so the wait is at BEGIN, where
    busy_timeout applies. For those transactions pysqlite's own BEGIN (emitted only before DML) is turned
    off with isolation_level=None and this "begin" event emits ours (SQLAlchemy's pysqlite docs,
    "Serializable isolation / Savepoints / Transactional DDL"). Every other transaction keeps pysqlite's
    deferred BEGIN before its first write, so reads outside writing requests still see the newest commit
    (an explicit deferred BEGIN would pin a snapshot for the whole transaction). A no-op on other databases.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        # No DBAPI transaction is open when SQLAlchemy begins one, so switching the mode commits nothing.
        dbapi_connection = connection.connection.driver_connection
        if _request_writes():
            dbapi_connection.isolation_level = None
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            dbapi_connection.isolation_level = ""  # pysqlite's default: a deferred BEGIN before DML


def _request_writes() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method in WRITE_METHODS
