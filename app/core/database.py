"""Declarative base, naming convention and engine tuning shared by every model."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, MetaData, event, text
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    registry,
    scoped_session,
)
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
    # Deleted rows are overwritten with zeros, not merely unlinked: erased personal data
    # does not linger in free pages or free space (see checkpoint_after_commit for the log).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    options = connection.get_execution_options()
    if connection.dialect.name == "sqlite" and options.get("isolation_level") != "AUTOCOMMIT":
        immediate = options.get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session) -> None:
    """Make the session's transaction one that is going to write what it reads.

    On SQLite it begins with BEGIN IMMEDIATE: the write lock is taken first, so
    concurrent writers queue on the busy timeout instead of failing when they
    upgrade a read. A read-only transaction already under way is ended first (it
    wrote nothing, so nothing is lost); one that has written is a programming error.
    PostgreSQL needs nothing: conditional UPDATEs lock their rows.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.info.get(_WRITING):
        return
    if session.get_bind().dialect.name != "sqlite":
        session.info[_WRITING] = True
        return
    if session.in_transaction():
        if has_writes(session):
            raise RuntimeError("begin_write() must come before the first write or mail")
        session.rollback()
    session.connection(execution_options={"sqlite_immediate": True})
    session.info[_WRITING] = True


def serialise(session, name: str) -> None:
    """Make the transactions that call this with the same ``name`` run one after another.

    PostgreSQL: a transaction-scoped advisory lock on ``name``, taken before anything is
    read, so a transaction that waited sees what the one before it committed. SQLite:
    the database's write lock (:func:`begin_write`), which serialises every writer; a
    transaction that has written holds it already (its reads were current, or its first
    write would have failed), so it only writes out what is pending.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name == "sqlite" and has_writes(session):
        session.flush()
        return
    begin_write(session)
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


_WRITING = "write_lock"
_FLUSHED = "flushed"


def has_writes(session: Session) -> bool:
    """Whether the session's transaction has written, or is about to write, anything."""
    return bool(
        session.info.get(_FLUSHED)
        or session.info.get(_WRITING)
        or session.info.get("outbox")
        or session.new
        or session.dirty
        or session.deleted
    )


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context) -> None:
    session.info[_FLUSHED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_transaction(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WRITING, None)
        session.info.pop(_FLUSHED, None)


#: Requests that never write: everything else may, and takes the write lock first on SQLite.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def writes(view):
    """Mark a view that writes although it answers GET (an audit entry of a download):
    it takes the write lock first, as every POST does."""
    view.writes = True
    return view


def lock_before_writing() -> None:
    """``before_request``: on SQLite, a request that may write begins with BEGIN IMMEDIATE.

    A deferred transaction that has read and then writes fails at once with
    "database is locked" when another connection committed in between: its snapshot
    is stale, so the busy timeout cannot help. Taking the write lock first makes
    concurrent writers (threads or gunicorn workers) queue on the busy timeout.
    """
    from flask import current_app, request

    from app.core.extensions import db

    if db.engine.dialect.name != "sqlite":
        return
    if request.method in READ_ONLY_METHODS:
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "writes", False):
            return
    begin_write(db.session)


_CHECKPOINT = "checkpoint_after_commit"


def checkpoint_after_commit(session) -> None:
    """Once this transaction commits, copy SQLite's write-ahead log into the database and
    empty it (``wal_checkpoint(TRUNCATE)``).

    For erasure: ``secure_delete`` zeroes what a transaction deletes in the pages it
    writes, but the log still holds the earlier versions of those pages, names and
    addresses included, until a checkpoint. PostgreSQL needs nothing here (its dead rows
    are vacuumed; see docs/security.md).
    """
    if isinstance(session, scoped_session):
        session = session()
    session.info[_CHECKPOINT] = True


@event.listens_for(Session, "after_commit")
def _checkpoint(session) -> None:
    if not session.info.pop(_CHECKPOINT, False):
        return
    bind = session.get_bind()
    # A session bound to a connection of its own (the tests' outer transaction, rolled back
    # afterwards) has committed nothing to the file yet: there is nothing to checkpoint.
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return
    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@event.listens_for(Session, "after_rollback")
def _no_checkpoint(session) -> None:
    session.info.pop(_CHECKPOINT, None)
