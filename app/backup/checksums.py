"""Row counts and a SHA-256 per table, computed the same way on a database and on its copy.

Rows are read in primary-key order on a plain DB-API connection (``sqlite3`` or
``psycopg``), each value turned into text, each row into one line of JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

#: Rows fetched at a time: memory stays flat on millions of rows.
BATCH = 5000
#: Alembic's bookkeeping: restored with the rest, but not "data" that restore would overwrite.
ALEMBIC_TABLE = "alembic_version"

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class Table:
    name: str
    #: The schema-qualified, quoted name to put in SQL.
    sql_name: str
    #: Primary-key columns, or every column for a table without one.
    order_by: tuple[str, ...]


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class SqliteReader:
    def __init__(self, connection) -> None:
        self.connection = connection

    def cursor(self):
        return self.connection.cursor()

    def tables(self) -> list[Table]:
        cursor = self.connection.cursor()
        names = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        ]
        tables = []
        for name in names:
            # (cid, name, type, notnull, default, pk position)
            columns = cursor.execute(f"PRAGMA table_info({quote(name)})").fetchall()
            key = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
            tables.append(Table(name, quote(name), tuple(key or [c[1] for c in columns])))
        cursor.close()
        return tables


class PostgresReader:
    """Reads the tables of the connection's current schema (``search_path``)."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self._cursors = 0

    def cursor(self):
        # A named (server-side) cursor streams the rows instead of loading the table.
        self._cursors += 1
        return self.connection.cursor(name=f"checksum_{self._cursors}")

    def schema(self) -> str:
        return self.connection.execute("SELECT current_schema()").fetchone()[0]

    def tables(self) -> list[Table]:
        schema = self.schema()
        rows = self.connection.execute(
            "SELECT c.oid, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            (schema,),
        ).fetchall()
        tables = []
        for oid, name in rows:
            key = self._column_names(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s AND i.indisprimary "
                "ORDER BY array_position(i.indkey::int2[], a.attnum)",
                oid,
            ) or self._column_names(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                oid,
            )
            tables.append(Table(name, f"{quote(schema)}.{quote(name)}", tuple(key)))
        return tables

    def _column_names(self, sql: str, oid: int) -> list[str]:
        return [row[0] for row in self.connection.execute(sql, (oid,))]


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _line(row: Iterable) -> bytes:
    return (json.dumps([_text(value) for value in row]) + "\n").encode()


def table_sum(reader, table: Table) -> TableSum:
    digest = hashlib.sha256()
    count = 0
    keys = ", ".join(quote(column) for column in table.order_by)
    cursor = reader.cursor()
    try:
        # Names come from the database's own catalogue, quoted.
        cursor.execute(f"SELECT * FROM {table.sql_name} ORDER BY {keys}")  # noqa: S608
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                digest.update(_line(row))
            count += len(rows)
    finally:
        cursor.close()
    return TableSum(count, digest.hexdigest())


def checksums(reader, progress: Progress | None = None) -> dict[str, TableSum]:
    sums = {}
    for table in reader.tables():
        sums[table.name] = table_sum(reader, table)
        if progress is not None:
            progress(table.name, sums[table.name].rows)
    return sums


def alembic_revision(reader) -> str | None:
    if ALEMBIC_TABLE not in {table.name for table in reader.tables()}:
        return None
    cursor = reader.cursor()
    try:
        cursor.execute(f"SELECT version_num FROM {ALEMBIC_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row[0] if row else None


def holds_data(reader) -> bool:
    """Whether any table but Alembic's has a row: what a restore would overwrite."""
    for table in reader.tables():
        if table.name == ALEMBIC_TABLE:
            continue
        cursor = reader.cursor()
        try:
            cursor.execute(f"SELECT 1 FROM {table.sql_name} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                return True
        finally:
            cursor.close()
    return False
