"""One linear migration history: base → head → base → head, and no drift from the models.

Runs against a database of its own (a SQLite file, or a separate PostgreSQL schema)
so that it never touches the schema the rest of the suite uses.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.support.databases import own_database

SCHEMA = "migration_check"


@pytest.fixture
def migration_app(database_url, tmp_path):
    with own_database(database_url, tmp_path, SCHEMA) as url:
        app = create_app(type("MigrationConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        with app.app_context():
            yield app
            db.engine.dispose()


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(migration_app):
    upgrade()
    head_tables = _tables()
    assert head_tables == set(db.metadata.tables)
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == head_tables


def test_models_and_migrations_agree(migration_app):
    upgrade()
    check()  # raises when autogenerate would find a difference


def test_history_is_linear_and_names_start_with_a_date(migration_app):
    scripts = ScriptDirectory.from_config(migration_app.extensions["migrate"].migrate.get_config())
    assert len(scripts.get_heads()) == 1
    for revision in scripts.walk_revisions():
        assert revision.path.rsplit("/", 1)[-1][:10].replace("_", "").isdigit()
