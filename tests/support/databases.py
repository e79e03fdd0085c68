"""A database of a test's own, for tests that commit for real (migrations, concurrency,
backups): a SQLite file, or a PostgreSQL schema dropped afterwards. Nothing reaches the
schema the rest of the suite shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask


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


@contextmanager
def own_app(
    database_url: str, folder: Path, name: str, countries: tuple[str, ...] = ("TR",), **settings
) -> Iterator[Flask]:
    """The app (test settings, changed by ``settings``) on a database of its own, with the
    schema, the pillars and the regions of ``countries``; dropped afterwards."""
    from app import create_app
    from app.core.config import TestConfig
    from app.core.extensions import db
    from app.geography.regions import load_regions
    from app.mission.loading import load_pillars

    with own_database(database_url, folder, name) as url:
        config = type("OwnConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **settings})
        app = create_app(config)
        with app.app_context():
            db.create_all()
            load_pillars()
            load_regions(list(countries))
            db.session.commit()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


def istanbul_school():
    """A verified school in İstanbul, for tests that build their world by hand."""
    from app.schools.models import School

    return School(
        name="Atatürk Anadolu Lisesi",
        search_key="ataturk anadolu lisesi",
        country_code="TR",
        region_code="TR-34",
        timezone="Europe/Istanbul",
        status="verified",
    )


@contextmanager
def empty_app(database_url: str, folder: Path, name: str) -> Iterator[Flask]:
    """The app (test settings) on an empty database of its own, inside an application
    context: for the migration tests, which build the schema themselves."""
    from app import create_app
    from app.core.config import TestConfig
    from app.core.extensions import db

    with own_database(database_url, folder, name) as url:
        app = create_app(type("MigrationConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
