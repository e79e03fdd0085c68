"""SQLite: the online backup API, so that a backup runs while the application keeps writing.

The backup holds one read transaction for the whole copy: in WAL mode writers go
on, and the checksums and the copied pages come from the same snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.backup import BackupError
from app.backup.checksums import SqliteReader, TableSum, alembic_revision, checksums, holds_data
from app.backup.manifest import Manifest, compare

#: Pages copied per step of the backup API (4 MiB with the default page size).
PAGES_PER_STEP = 1024

Say = Callable[[str], None]


def _page_progress(say: Say, verb: str):
    shown = {"tenth": -1}

    def progress(status: int, remaining: int, total: int) -> None:
        tenth = (total - remaining) * 10 // max(total, 1)
        if tenth > shown["tenth"]:
            shown["tenth"] = tenth
            say(f"{verb} {total - remaining:,} of {total:,} pages ({tenth * 10}%)")

    return progress


def _table_progress(say: Say):
    return lambda name, rows: say(f"  {name}: {rows:,} rows")


def open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def file_checksums(path: Path, say: Say) -> dict[str, TableSum]:
    connection = open_read_only(path)
    try:
        return checksums(SqliteReader(connection), _table_progress(say))
    finally:
        connection.close()


def backup(engine, destination: Path, say: Say) -> Manifest:
    """Copy the database to ``destination`` and return the manifest of what it holds."""
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    pooled = engine.raw_connection()
    try:
        source = pooled.driver_connection
        source.execute("BEGIN")
        try:
            reader = SqliteReader(source)
            say("Reading the tables (one snapshot for the checksums and the copy)…")
            sums = checksums(reader, _table_progress(say))
            revision = alembic_revision(reader)
            target = sqlite3.connect(partial)
            try:
                source.backup(target, pages=PAGES_PER_STEP, progress=_page_progress(say, "Copied"))
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                target.close()
        finally:
            source.execute("ROLLBACK")
    finally:
        pooled.close()
    say("Checking the copy…")
    copied = file_checksums(partial, say)
    checks = compare(sums, copied)
    if not all(check.ok for check in checks):
        partial.unlink()
        raise BackupError("The copy does not match the database; nothing was kept.", checks)
    partial.replace(destination)
    return Manifest(dialect="sqlite", revision=revision, tables=copied)


def target_holds_data(engine) -> bool:
    pooled = engine.raw_connection()
    try:
        return holds_data(SqliteReader(pooled.driver_connection))
    finally:
        pooled.close()


def restore(source: Path, manifest: Manifest, engine, say: Say) -> dict[str, TableSum]:
    """Replace the database with the backup ``source`` and return the restored checksums."""
    say("Checking the backup file against its manifest…")
    checks = compare(manifest.tables, file_checksums(source, say))
    if not all(check.ok for check in checks):
        raise BackupError("The backup file does not match its manifest; nothing restored.", checks)
    backup_file = open_read_only(source)
    pooled = engine.raw_connection()
    try:
        backup_file.backup(
            pooled.driver_connection,
            pages=PAGES_PER_STEP,
            progress=_page_progress(say, "Restored"),
        )
    finally:
        pooled.close()
        backup_file.close()
    engine.dispose()  # pooled connections may have cached the old schema
    say("Checking the restored database…")
    pooled = engine.raw_connection()
    try:
        return checksums(SqliteReader(pooled.driver_connection), _table_progress(say))
    finally:
        pooled.close()
