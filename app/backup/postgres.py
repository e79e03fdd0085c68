"""PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists``.

The dump runs on a snapshot exported by our own REPEATABLE READ transaction, in
which the checksums are computed too: both describe the same moment while the
application keeps writing. Only the connection's current schema is dumped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote as quote_plain

import sqlalchemy as sa

from app.backup import BackupError
from app.backup.checksums import (
    PostgresReader,
    TableSum,
    alembic_revision,
    checksums,
    holds_data,
    quote,
)
from app.backup.manifest import Manifest

Say = Callable[[str], None]

_TABLE_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ")
#: The schema itself is created beforehand, never dropped: other objects may live in it.
_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA )")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client) in the version of the server or newer."
        )
    return path


def libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for ``url`` (a psycopg URL) and an environment with its password.

    The password goes in ``PGPASSWORD`` so that it does not show in the process list.
    """
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    user = f"{quote_plain(url.username, safe='')}@" if url.username else ""
    host = url.host or ""
    port = f":{url.port}" if url.port else ""
    database = quote_plain(url.database or "", safe="")
    query = "&".join(
        f"{quote_plain(name, safe='')}={quote_plain(value, safe='')}"
        for name, values in sorted(url.query.items())
        for value in ((values,) if isinstance(values, str) else values)
    )
    uri = f"postgresql://{user}{host}{port}/{database}"
    return (f"{uri}?{query}" if query else uri), environment


def _run(command: list[str], environment: dict[str, str], say: Say) -> None:
    """Run a client tool, passing on its per-table lines as progress."""
    errors = []
    with subprocess.Popen(  # noqa: S603 - a fixed tool with our own arguments
        command, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        for line in process.stderr:
            line = line.rstrip()
            if "processing data for table" in line or "dumping contents of table" in line:
                say("  " + line.split(": ", 1)[-1])
            elif "error" in line.lower() or "fatal" in line.lower():
                errors.append(line)
    if process.wait() != 0:
        detail = "\n".join(errors[-10:]) or f"exit status {process.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed:\n{detail}")


def _listing(archive: Path, environment: dict[str, str]) -> list[str]:
    result = subprocess.run(  # noqa: S603
        [tool("pg_restore"), "--list", str(archive)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore cannot read {archive}: {result.stderr.strip()}")
    return result.stdout.splitlines()


def backup(engine, destination: Path, say: Say) -> Manifest:
    pg_dump = tool("pg_dump")
    uri, environment = libpq(engine.url)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        connection.rollback()
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        reader = PostgresReader(connection)
        schema = reader.schema()
        say(f"Dumping schema {schema} with pg_dump…")
        command = [pg_dump, "--format=custom", "--verbose", f"--snapshot={snapshot}"]
        command += [f"--schema={schema}", f"--file={partial}", f"--dbname={uri}"]
        _run(command, environment, say)
        say("Reading the tables in the same snapshot…")
        sums = checksums(reader, lambda name, rows: say(f"  {name}: {rows:,} rows"))
        revision = alembic_revision(reader)
        connection.rollback()
    finally:
        pooled.close()
    say("Checking the archive's table of contents…")
    dumped = {
        m.group(2) for line in _listing(partial, environment) if (m := _TABLE_DATA.match(line))
    }
    missing = sorted(set(sums) - dumped)
    if missing:
        partial.unlink()
        raise BackupError(f"The archive lacks the data of: {', '.join(missing)}; nothing kept.")
    partial.replace(destination)
    return Manifest(dialect="postgresql", revision=revision, tables=sums, schema=schema)


def _reader_call(engine, function):
    pooled = engine.raw_connection()
    try:
        return function(PostgresReader(pooled.driver_connection))
    finally:
        pooled.driver_connection.rollback()
        pooled.close()


def target_holds_data(engine) -> bool:
    return _reader_call(engine, holds_data)


def restore(source: Path, manifest: Manifest, engine, say: Say) -> dict[str, TableSum]:
    pg_restore = tool("pg_restore")
    uri, environment = libpq(engine.url)
    schema = _reader_call(engine, lambda reader: reader.schema())
    if manifest.schema and manifest.schema != schema:
        raise BackupError(
            f"The backup holds schema {manifest.schema!r} but the target's current schema "
            f"is {schema!r}; pg_restore can only recreate the same schema."
        )
    entries = [line for line in _listing(source, environment) if not _SCHEMA_ENTRY.match(line)]
    engine.dispose()  # our own idle connections would hold locks on the tables
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as listing:
        listing.write("\n".join(entries) + "\n")
    try:
        say("Restoring with pg_restore (one transaction)…")
        command = [pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner"]
        command += ["--no-privileges", "--verbose", f"--use-list={listing.name}"]
        command += [f"--dbname={uri}", str(source)]
        _run(command, environment, say)
    finally:
        Path(listing.name).unlink()
    engine.dispose()
    say("Checking the restored database…")
    return _reader_call(
        engine, lambda reader: checksums(reader, lambda name, rows: say(f"  {name}: {rows:,} rows"))
    )
