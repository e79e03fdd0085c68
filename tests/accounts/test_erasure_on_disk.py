"""After an account is deleted, its name and address are gone from the SQLite files
themselves: not left in free space or free pages (``secure_delete``), nor in earlier
versions of the pages in the write-ahead log (a ``wal_checkpoint(TRUNCATE)`` after the
erasure commits). The test reads the raw bytes of the database and its log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.accounts.enums import MembershipRole
from app.accounts.models import User
from app.core.database import _tune_sqlite
from app.core.extensions import db
from app.core.models import AuditEntry
from tests.factories import PASSWORD, Factories
from tests.principals import sign_in
from tests.support.databases import own_app

NAME = "Gülşen Erasmus-Quillfeather"
EMAIL = "gulsen.erasmus.quillfeather@example.org"


@pytest.fixture
def file_app(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        pytest.skip("SQLite's files only: PostgreSQL's dead rows are its vacuum's (docs)")
    with own_app(database_url, tmp_path, "erasure_on_disk") as app:
        yield app


def _on_disk(app) -> bytes:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return b"".join(file.read_bytes() for file in (path, Path(f"{path}-wal")) if file.exists())


def _person(app) -> int:
    """A school admin with a record or two, written in several transactions (so the log
    holds several versions of their pages)."""
    with app.app_context():
        make = Factories(db.session)
        school = make.school("TR", name="Kadıköy Anadolu Lisesi")
        user = make.member(school, role=MembershipRole.ADMIN, email=EMAIL, name=NAME)
        school.contact_name, school.contact_email = NAME, EMAIL
        db.session.add(AuditEntry(actor_id=user.id, ip="203.0.113.9", action="account.login"))
        db.session.commit()
        user_id = user.id
        db.session.remove()
    return user_id


def test_the_deleted_name_and_address_are_not_in_the_database_files(file_app):
    user_id = _person(file_app)
    assert EMAIL.encode() in _on_disk(file_app)  # the scan sees them before
    assert NAME.encode() in _on_disk(file_app)
    client = file_app.test_client()
    with file_app.app_context():
        sign_in(client, db.session, user_id)
        db.session.remove()

    response = client.post("/account/delete", data={"current": PASSWORD})

    assert response.status_code == 302
    with file_app.app_context():
        assert db.session.get(User, user_id) is None
        db.session.remove()
    raw = _on_disk(file_app)
    assert EMAIL.encode() not in raw
    assert NAME.encode() not in raw


def test_every_sqlite_connection_overwrites_what_it_deletes_whatever_the_build(tmp_path):
    """Some builds of SQLite (Debian's) overwrite deleted content by default, others do
    not: the application turns it on itself."""
    connection = sqlite3.connect(tmp_path / "any.sqlite")
    connection.execute("PRAGMA secure_delete=OFF")  # as a build without the default
    _tune_sqlite(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()
