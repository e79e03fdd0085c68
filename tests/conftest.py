"""Shared fixtures: one schema per session, every test inside a transaction rolled back.

The database is SQLite (a temporary file) unless ``TEST_DATABASE_URL`` names another,
which is how ``make test`` runs the same suite on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.core.config import TestConfig
from app.core.extensions import cache, db
from app.core.mail import memory_outbox
from app.geography.regions import load_regions
from app.mission.loading import load_pillars
from tests import factories
from tests.support import spreadsheets

DEMO_COUNTRIES = ["TR", "RO", "NO", "NL", "BE"]


def pytest_report_header(config) -> str:
    return f"database: {_database_url_label()}"


def _database_url_label() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return url.split("@")[-1] if url else "SQLite (temporary file)"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    )


@pytest.fixture(scope="session")
def _app(database_url):
    """The application with its schema and reference data, built once per session."""
    app = create_app(type("SuiteConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url}))
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_pillars()
        load_regions(DEMO_COUNTRIES)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The app, its session bound to a connection whose transaction is rolled back.

    Code under test commits as usual: each commit releases a SAVEPOINT inside the
    outer transaction. No application context stays pushed, so every request gets
    a fresh one, as in production (``g``, the current user and the locale are not
    carried over between requests).
    """
    with _app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    try:
        yield _app
    finally:
        db.session.remove()
        db.session = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def app_ctx(app):
    """An application context, for tests that call domain code directly."""
    with app.app_context():
        yield app


@pytest.fixture
def db_session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox():
    """The mail "sent" by the test (``MAIL_BACKEND = "memory"``), empty at its start."""
    memory_outbox.clear()
    yield memory_outbox
    memory_outbox.clear()


@pytest.fixture
def make(db_session):
    """Factories bound to the test session: ``make.school(country="TR")``."""
    return factories.Factories(db_session)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> spreadsheets.LibreOffice:
    """LibreOffice headless, one profile for the session (made on the first conversion)."""
    return spreadsheets.libreoffice(tmp_path_factory.mktemp("libreoffice-profile"))


# A shared cache for the tests of kept listings, feeds and searches (the suite's default
# keeps nothing, so that every other test sees every write at once).
@pytest.fixture
def caching_app(app):
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    yield app
    cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
