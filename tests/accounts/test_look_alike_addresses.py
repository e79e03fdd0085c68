"""Addresses that only look different are one account: ``admın@`` (dotless ı), ``ａdmin@``
(full width) and ``ADMİN@`` (dotted capital İ) belong to ``admin@``; a local part that mixes
scripts is refused; existing addresses get their comparison key from a migration."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic import command
from flask_migrate import upgrade
from sqlalchemy import func, select

from app.accounts.addresses import email_key, mixes_scripts
from app.accounts.models import User
from app.accounts.operations import AccountError, create_user
from app.core.extensions import db
from tests.factories import PASSWORD
from tests.support.databases import empty_app

LOOK_ALIKES = ["admın@example.org", "ａdmin@example.org", "ADMİN@example.org",
               "ａｄｍｉｎ@example.org", "Admin@Example.ORG", "ADMIN@EXAMPLE.ORG"]  # fmt: skip
MIXED = ["аdmin@example.org", "admin\u0456@example.org", "pαul@example.org"]  # Cyrillic, Greek
NEW_PASSWORD = "a long sentence nobody else would think of"


def _register(client, email: str):
    data = {"name": "Ada", "email": email, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post("/register", data=data)


def _users(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_a_look_alike_address_is_the_existing_account(client, make, db_session, outbox, address):
    make.user("admin@example.org")
    before = _users(db_session)

    response = _register(client, address)

    assert response.status_code == 200  # the same page as for a new address
    assert _users(db_session) == before
    [message] = outbox
    assert message["To"] == "admin@example.org"  # the owner is told, not the look-alike
    assert message["Subject"] == "Someone tried to register with your address"


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_a_look_alike_address_signs_in_to_and_resets_the_existing_account(
    client, make, outbox, address
):
    make.user("admin@example.org")

    signed_in = client.post("/login", data={"email": address, "password": PASSWORD})
    client.post("/logout")
    client.post("/reset", data={"email": address})

    assert signed_in.status_code == 302
    assert [message["To"] for message in outbox] == ["admin@example.org"]


@pytest.mark.parametrize("address", MIXED)
def test_an_address_mixing_scripts_before_the_at_is_refused(client, db_session, address):
    before = _users(db_session)

    response = _register(client, address)

    assert response.status_code == 422
    assert "Use the letters of one alphabet before the @." in response.get_data(as_text=True)
    assert _users(db_session) == before


@pytest.mark.parametrize("address", ["şule.yılmaz@example.org", "ιωάννης@example.gr",
                                     "алёна@example.ru", "田中はなこ@example.jp"])  # fmt: skip
def test_addresses_in_one_script_are_welcome(client, db_session, address):
    assert _register(client, address).status_code == 200
    assert db_session.scalar(select(User).where(User.email_key == email_key(address)))


def test_commands_refuse_a_look_alike_too(app_ctx, make):
    make.user("root@example.org", role="admin")
    with pytest.raises(AccountError, match="exists already"):
        create_user("ROOT@example.org", "Other", PASSWORD)
    with pytest.raises(AccountError, match="scripts"):
        create_user("r\u043e\u043et@example.org", "Other", PASSWORD)  # two Cyrillic o


def test_the_key_and_the_script_check():
    assert {email_key(address) for address in LOOK_ALIKES} == {"admin@example.org"}
    assert email_key("Straße@example.de") == "strasse@example.de"
    assert email_key("i\u0307@example.org") == "i@example.org"
    assert [mixes_scripts(address) for address in MIXED] == [True, True, True]
    assert not mixes_scripts("ana-maria.popescu+eTwinning2026@example.ro")
    assert not mixes_scripts("ａdmin@example.org")  # full width is Latin once normalised


def test_the_database_keeps_one_account_per_key(app_ctx, make, db_session):
    make.user("unique.key@example.org")
    db_session.add(User(email="other@example.org", email_key="unique.key@example.org",
                        name="Copy"))  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        db_session.flush()
    db_session.rollback()


# The migration ----------------------------------------------------------------------------

SCHEMA = "email_keys"
BEFORE = "94140c90a8ae"
WHEN = datetime(2026, 1, 5, 9, 0)


@pytest.fixture
def migration_app(database_url, tmp_path):
    with empty_app(database_url, tmp_path, SCHEMA) as app:
        yield app


def _add_users(*emails: str) -> None:
    names = ("email", "name", "is_admin", "active", "session_version", "created_at", "updated_at")
    stub = sa.table("user", *(sa.column(name) for name in names))
    with db.engine.begin() as connection:
        for email in emails:
            connection.execute(sa.insert(stub).values(
                email=email, name=email, is_admin=False, active=True, session_version=1,
                created_at=WHEN, updated_at=WHEN))  # fmt: skip


def test_the_migration_gives_every_stored_address_its_key(migration_app):
    upgrade(revision=BEFORE)
    dotted = "ADM\u0130N@example.org".lower()  # "admi\u0307n@…", as stored before
    _add_users("elif.sahin@example.org", dotted, "ayşe@example.org")

    upgrade()

    with db.engine.connect() as connection:
        rows = dict(connection.execute(sa.text('SELECT email, email_key FROM "user"')).all())
    assert rows == {
        "elif.sahin@example.org": "elif.sahin@example.org",
        dotted: "admin@example.org",
        "ayşe@example.org": "ayşe@example.org",
    }


def test_the_migration_stops_on_addresses_that_only_look_different(migration_app):
    upgrade(revision=BEFORE)
    _add_users("admin@example.org", "admın@example.org", "someone@example.org")
    config = migration_app.extensions["migrate"].migrate.get_config()

    with pytest.raises(RuntimeError, match=r"one group per address\): \[\[1, 2\]\]"):
        command.upgrade(config, "head")  # Alembic itself: Flask-Migrate would exit
    columns = {column["name"] for column in sa.inspect(db.engine).get_columns("user")}
    assert "email_key" not in columns  # nothing changed: fix the accounts, upgrade again
