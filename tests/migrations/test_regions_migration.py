"""The migration to the regions of today: Norway's new counties are added, a school of a
split county stays there and is listed for its coordinator, a school of a region whose
land went to one region moves there with its planned work, territories are marked."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.core.extensions import db
from app.dashboards.figures import unplaced_schools
from tests.support.databases import empty_app

SCHEMA = "regions_migration"
BEFORE = "d5b2e7a41c90"
AFTER = "5e0b7a3c2d19"
WHEN = datetime(2026, 3, 2, 9, 0)
MIGRATION = next(Path("migrations/versions").glob(f"*_{AFTER}_*.py"))


@pytest.fixture
def migration_app(database_url, tmp_path):
    with empty_app(database_url, tmp_path, SCHEMA) as app:
        yield app


def _insert(connection, table: str, **values) -> None:
    typed = {name: sa.JSON() for name in values if name == "audience"}
    typed |= {name: sa.DateTime() for name in values if name.endswith("_at")}
    stub = sa.table(table, *(sa.column(name, typed.get(name)) for name in values))
    connection.execute(sa.insert(stub).values(**values))


def _school(connection, ident: int, region: str, country: str = "NO") -> None:
    _insert(connection, "school", id=ident, name=f"Skole {ident}", city="",
            search_key=f"skole {ident}", country_code=country, region_code=region,
            timezone="Europe/Oslo", status="verified", created_at=WHEN,
            updated_at=WHEN)  # fmt: skip


def _activity(connection, ident: int, school: int, region: str, status: str) -> None:
    _insert(connection, "activity", id=ident, school_id=school, country_code="NO",
            region_code=region, type="open_day", title="Open day", description="",
            starts_at=WHEN, ends_at=WHEN, timezone="Europe/Oslo", mode="online", location="",
            online_url="", audience=[], visibility="network", status=status, version=1,
            pillar_mask=0, language_mask=0,
            created_at=WHEN, updated_at=WHEN)  # fmt: skip


def _world(connection) -> None:
    _insert(connection, "country", code="NO", timezone="Europe/Oslo")
    for code, name, kind in (("NO-38", "Vestfold og Telemark", "County"),
                             ("NO-18", "Nordland", "County"),
                             ("NO-21", "Svalbard (Arctic Region)", "Arctic region")):  # fmt: skip
        _insert(connection, "region", code=code, country_code="NO", name=name, type=kind,
                is_leaf=True)  # fmt: skip
    _school(connection, 1, "NO-38")
    _school(connection, 2, "NO-18")


def _column(sql: str) -> dict:
    with db.engine.connect() as connection:
        return dict(connection.execute(sa.text(sql)).tuples().all())


def test_a_school_of_vestfold_og_telemark_stays_and_is_listed(migration_app):
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _world(connection)

    upgrade(revision=AFTER)

    statuses = _column("SELECT code, status FROM region")
    assert statuses["NO-38"] == "abolished"
    assert statuses["NO-21"] == "territory"
    assert statuses["NO-18"] == "current"
    assert {"NO-39", "NO-40", "NO-55", "NO-56", "NO-31", "NO-32", "NO-33"} <= set(statuses)
    assert _column("SELECT code, name FROM region")["NO-40"] == "Telemark"
    assert _column("SELECT id, region_code FROM school") == {1: "NO-38", 2: "NO-18"}
    listed = [(school.id, options) for school, options in unplaced_schools("NO")]
    db.session.rollback()  # no transaction left open on the tables the downgrade alters
    assert listed == [(1, ("NO-39", "NO-40"))]

    downgrade(revision=BEFORE)
    assert _column("SELECT id, region_code FROM school") == {1: "NO-38", 2: "NO-18"}


def test_a_school_whose_region_went_to_one_region_moves_with_its_planned_work(migration_app):
    """The migration's move, as it runs for a region whose land went to one region."""
    spec = importlib.util.spec_from_file_location("regions_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _world(connection)
    upgrade(revision=AFTER)
    with db.engine.begin() as connection:
        _activity(connection, 1, 1, "NO-38", "planned")
        _activity(connection, 2, 1, "NO-38", "held")
        migration.move(connection, "NO-38", "NO-39")
    assert _column("SELECT id, region_code FROM school") == {1: "NO-39", 2: "NO-18"}
    # Held activities stay in the region they were held in.
    assert _column("SELECT id, region_code FROM activity") == {1: "NO-39", 2: "NO-38"}
