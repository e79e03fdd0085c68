"""Declarative base, naming convention and engine tuning shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware.

    SQLite has no time zone type; storing UTC everywhere and attaching the zone
    on the way out gives both databases the same behaviour.
    """

    impl = DateTime
    cache_ok = True

    @property
    def python_type(self) -> type:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def personal(**info) -> dict:
    """Column ``info`` marking a column that holds personal data (privacy export)."""
    return {"personal": True, **info}


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__ == "sqlite3"


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record) -> None:
    """Foreign keys, WAL and a busy timeout for every SQLite connection.

    The driver's own implicit transactions are switched off so that SQLAlchemy
    emits BEGIN itself (below): SAVEPOINTs and transactional DDL then work.
    """
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session) -> None:
    """Start a transaction that is going to write what it reads.

    On SQLite it begins with BEGIN IMMEDIATE: the write lock is taken first, so
    concurrent writers queue on the busy timeout instead of failing when they
    upgrade a read. PostgreSQL needs nothing: conditional UPDATEs lock their rows.
    """
    session.commit()
    session.connection(execution_options={"sqlite_immediate": True})


#: Requests that never write: everything else may, and takes the write lock first on SQLite.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def lock_before_writing() -> None:
    """``before_request``: on SQLite, a request that may write begins with BEGIN IMMEDIATE.

    A deferred transaction that has read and then writes fails at once with
    "database is locked" when another connection committed in between: its snapshot
    is stale, so the busy timeout cannot help. Taking the write lock first makes
    concurrent writers (threads or gunicorn workers) queue on the busy timeout.
    """
    from flask import request

    from app.core.extensions import db

    if request.method in READ_ONLY_METHODS or db.engine.dialect.name != "sqlite":
        return
    begin_write(db.session)
