"""One linear migration history: base → head → base → head, and no drift from the models.

Runs against a database of its own (a SQLite file, or a separate PostgreSQL schema)
so that it never touches the schema the rest of the suite uses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade

from app.core.database import UTCDateTime
from app.core.extensions import db
from app.mission.loading import load_pillars
from tests.dashboards.test_activity_facts import expected, linked_masks, masks, stored
from tests.support.databases import empty_app

SCHEMA = "migration_check"
BEFORE_SUMMARIES = "d6a425eed2d6"


@pytest.fixture
def migration_app(database_url, tmp_path):
    with empty_app(database_url, tmp_path, SCHEMA) as app:
        yield app


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


def test_upgrade_fills_masks_and_summaries_from_existing_rows(migration_app):
    """Rows written before the summaries existed are counted by the migration that adds them."""
    upgrade(revision=BEFORE_SUMMARIES)
    load_pillars()
    db.session.commit()
    with db.engine.begin() as connection:
        _old_rows(connection)
    upgrade()
    db.session.expire_all()
    assert stored(db.session) == expected(db.session)
    assert sum(n for key, n in stored(db.session)["held"].items() if key[1] == "day") == 4
    assert masks(db.session) == linked_masks(db.session)
    assert {mask for mask, _languages in masks(db.session).values()} == {0b11, 0b1010, 0b10}


def _old_rows(connection) -> None:
    def insert(table: str, **values) -> None:
        """A row through a table stub: the schema of that revision, not today's models."""
        typed = {name: UTCDateTime() for name in values if name.endswith("_at")}
        stub = sa.table(table, *(sa.column(name, typed.get(name)) for name in values))
        connection.execute(sa.insert(stub).values(**values))

    now = datetime(2025, 1, 1, tzinfo=UTC)
    # The countries and regions as that revision has them (today's models know more).
    for country, zone, region in (
        ("TR", "Europe/Istanbul", "TR-06"),
        ("RO", "Europe/Bucharest", "RO-CJ"),
    ):
        insert("country", code=country, timezone=zone)
        insert("region", code=region, country_code=country, name=region, type="", is_leaf=True)
    for ident, country, region in ((1, "TR", "TR-06"), (2, "RO", "RO-CJ")):
        insert(
            "school", id=ident, name=f"School {ident}", city="", search_key=f"school {ident}",
            country_code=country, region_code=region, timezone="UTC", status="verified",
            created_at=now, updated_at=now,
        )  # fmt: skip
    moments = {  # late evening UTC: already the next day in Istanbul and Bucharest
        1: (1, datetime(2025, 3, 31, 22, 30, tzinfo=UTC), "held"),
        2: (1, datetime(2025, 7, 15, 21, 30, tzinfo=UTC), "held"),
        3: (1, datetime(2025, 7, 15, 9, 0, tzinfo=UTC), "planned"),
        4: (2, datetime(2025, 10, 26, 22, 30, tzinfo=UTC), "held"),
        5: (2, datetime(2025, 10, 25, 21, 30, tzinfo=UTC), "held"),
    }
    for ident, (school, moment, status) in moments.items():
        country, region = ("TR", "TR-06") if school == 1 else ("RO", "RO-CJ")
        insert(
            "activity", id=ident, school_id=school, country_code=country, region_code=region,
            type="open_day", title="Open day", description="", starts_at=moment,
            ends_at=moment + timedelta(hours=1), timezone="UTC", mode="online", location="",
            online_url="", audience="[]", visibility="public", status=status,
            participants_teachers=ident if status == "held" else None, version=1,
            created_at=now, updated_at=now,
        )  # fmt: skip
        insert("activity_pillar", activity_id=ident, pillar_code="collaboration")
        insert("activity_language", activity_id=ident, language="tr")
    insert("activity_pillar", activity_id=1, pillar_code="shared_leadership")
    insert("activity_pillar", activity_id=2, pillar_code="models_for_other_schools")
    insert("activity_pillar", activity_id=4, pillar_code="models_for_other_schools")
    insert("activity_language", activity_id=4, language="en")
    insert("activity_reach", id=1, activity_id=1, school_id=2)
    insert("activity_reach", id=2, activity_id=1, school_name="Köy Okulu")
    insert("activity_reach", id=3, activity_id=4, school_name="Köy Okulu")
