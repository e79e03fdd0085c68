"""A database of a test's own, for tests that commit for real (migrations, concurrency):
a SQLite file, or a PostgreSQL schema dropped afterwards. Nothing reaches the schema
the rest of the suite shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


@contextmanager
def own_database(database_url: str, folder: Path, name: str) -> Iterator[str]:
    """Yield a URL for an empty database called ``name``; it is removed afterwards."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{folder / f'{name}.sqlite'}"
        return
    engine = sa.create_engine(database_url)

    def reset(create: bool) -> None:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            if create:
                connection.execute(sa.text(f"CREATE SCHEMA {name}"))

    reset(create=True)
    try:
        yield f"{database_url}?options=-csearch_path%3D{name}"
    finally:
        reset(create=False)
        engine.dispose()


def istanbul_school():
    """A verified school in İstanbul, for tests that build their world by hand."""
    from app.models import School

    return School(
        name="Atatürk Anadolu Lisesi",
        search_key="ataturk anadolu lisesi",
        country_code="TR",
        region_code="TR-34",
        timezone="Europe/Istanbul",
        status="verified",
    )
