"""``python -m bench.data``: full-scale data for the page benchmarks, made once per database.

The design's scale from ``flask demo`` (deterministic, seed 2026): 300,000 schools,
2,000,000 activities, 1,200,000 users and 50,000 mentoring matches, then
``VACUUM (ANALYZE)`` on PostgreSQL. A database that already holds that many schools
and users is left as it is.
"""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import sqlalchemy as sa

SCHOOLS, EVENTS, USERS, MATCHES = 300_000, 2_000_000, 1_200_000, 50_000
DEFAULTS = {
    "BENCH_SQLITE_URL": "sqlite:///instance/bench.sqlite",
    "BENCH_POSTGRES_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/bench",
}


def _rows(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            query = sa.select(sa.func.count()).select_from(sa.table(table))
            return connection.execute(query).scalar_one()
    except sa.exc.SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def _ensure_postgres_database(url: str) -> None:
    address = sa.engine.make_url(url)
    admin = address.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (address.database,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{address.database}"')


def prepare(url: str) -> None:
    if url.startswith("postgresql"):
        _ensure_postgres_database(url)
    if _rows(url, "school") >= SCHOOLS and _rows(url, "user") >= USERS:
        print(f"{url}: full-scale data present", file=sys.stderr)
        return
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url}
    demo = ["demo", "--seed", "2026", "--force", "--schools", str(SCHOOLS), "--events", str(EVENTS)]
    demo += ["--users", str(USERS), "--matches", str(MATCHES)]
    for args in (
        ["db", "upgrade"],
        ["pillars", "load"],
        ["regions", "load", "TR", "RO", "NO", "NL", "BE"],
        demo,
    ):
        subprocess.run([*flask, *args], env=env, check=True)  # noqa: S603
    vacuum(url)


def vacuum(url: str) -> None:
    """After the bulk load, as a DBA would: on PostgreSQL, mark the new pages all-visible
    (so index-only scans need not visit the tables) and refresh the statistics, which
    autovacuum would otherwise do at some later point of the measurements."""
    if not url.startswith("postgresql"):
        return  # flask demo has run ANALYZE; SQLite keeps no visibility map
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def main() -> int:
    for variable, default in DEFAULTS.items():
        prepare(os.environ.get(variable) or default)
    return 0


if __name__ == "__main__":
    sys.exit(main())
