"""Data written at the first revision survives the upgrade to head, unchanged.

Rows go in with plain SQL against the tables as the first revision made them (the
models describe head, not that revision); after ``upgrade`` every row and value is
still there, and whatever later revisions derive from them is filled in.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.core.extensions import db
from tests.support.databases import empty_app

SCHEMA = "migration_data"
WHEN = datetime(2025, 10, 7, 9, 0)
ROWS = {
    "country": [{"code": "NO", "timezone": "Europe/Oslo"}],
    "region": [{"code": "NO-03", "country_code": "NO", "name": "Oslo", "type": "County",
                "is_leaf": True}],
    "pillar": [{"code": "collaboration", "position": 2},
               {"code": "models_for_other_schools", "position": 4}],
    "school": [{"id": 7, "name": "Oslo katedralskole", "city": "Oslo",
                "search_key": "oslo katedralskole oslo", "country_code": "NO",
                "region_code": "NO-03", "timezone": "Europe/Oslo", "status": "verified",
                "label_year": 2024, "created_at": WHEN, "updated_at": WHEN}],
    "activity": [{"id": 41, "school_id": 7, "country_code": "NO", "region_code": "NO-03",
                  "type": "open_day", "title": "Åpen dag", "description": "Velkommen",
                  "starts_at": WHEN, "ends_at": WHEN.replace(hour=12),
                  "timezone": "Europe/Oslo", "mode": "in_person", "location": "Aulaen",
                  "online_url": "", "audience": ["teachers"], "visibility": "public",
                  "status": "held", "participants_teachers": 12, "version": 3,
                  "created_at": WHEN, "updated_at": WHEN}],
    "activity_pillar": [{"activity_id": 41, "pillar_code": "collaboration"},
                        {"activity_id": 41, "pillar_code": "models_for_other_schools"}],
    "activity_language": [{"activity_id": 41, "language": "nb"}],
}  # fmt: skip


@pytest.fixture
def migration_app(database_url, tmp_path):
    with empty_app(database_url, tmp_path, SCHEMA) as app:
        yield app


def _first_revision(app) -> str:
    scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    return next(r.revision for r in scripts.walk_revisions() if r.down_revision is None)


def _rows(table: str) -> list[dict]:
    reflected = sa.Table(table, sa.MetaData(), autoload_with=db.engine)
    with db.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.select(reflected))]


def test_rows_written_at_the_first_revision_survive_the_upgrade(migration_app):
    upgrade(revision=_first_revision(migration_app))
    with db.engine.begin() as connection:
        for table, rows in ROWS.items():
            reflected = sa.Table(table, sa.MetaData(), autoload_with=connection)
            connection.execute(sa.insert(reflected), rows)

    upgrade()
    _assert_kept()
    # The label year typed into the profile is carried over as a verified award.
    assert [
        (row["school_id"], row["award_year"], row["status"], row["source"], row["decided_by_id"])
        for row in _rows("label_award")
    ] == [(7, 2024, "verified", "carried_over", None)]
    # Norway's school year starts in mid-August.
    assert [row["school_year_start"] for row in _rows("country")] == ["08-15"]
    # Norway gets the counties of 2024 that were not in the database.
    assert sorted(row["code"] for row in _rows("region")) == [
        "NO-03", "NO-31", "NO-32", "NO-33", "NO-39", "NO-40", "NO-55", "NO-56",
    ]  # fmt: skip
    # Back to the first revision and up again: no step drops the rows of another table
    # (a copied and dropped activity table would cascade to its links on SQLite).
    downgrade(revision=_first_revision(migration_app))
    _assert_kept()
    upgrade()
    _assert_kept()


def _assert_kept() -> None:
    for table, rows in ROWS.items():
        # Rows a later revision adds (Norway's counties of 2024) are not the ones written.
        written = {row.get("code") for row in rows}
        stored = [row for row in _rows(table) if table != "region" or row["code"] in written]
        assert len(stored) == len(rows), table
        for expected, row in zip(rows, sorted(stored, key=lambda r: tuple(map(str, r.values()))),
                                 strict=True):  # fmt: skip
            assert {name: row[name] for name in expected} == expected, table
