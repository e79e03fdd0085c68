"""The migration to one open proposal per request, expired proposals and facts behind a fit
keeps every row: duplicates of open proposals expire (the engaged match or the newest
proposal stays), sessions keep their match although SQLite copies the match table, and
points per criterion become a fit and its facts."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.core.extensions import db
from tests.support.databases import empty_app

SCHEMA = "matching_migration"
BEFORE = "3f6a1c9d2b84"
AFTER = "3f6a9c1d2b84"
WHEN = datetime(2026, 3, 2, 9, 0)
OLD_POINTS = {"same_region": 3000, "level_match": 2000, "pillar_overlap": 1000,
              "mentor_load": 500, "waiting_time": 333}  # fmt: skip


@pytest.fixture
def migration_app(database_url, tmp_path):
    with empty_app(database_url, tmp_path, SCHEMA) as app:
        yield app


def _insert(connection, table: str, **values) -> None:
    json_columns = {"languages", "levels", "pillars", "regions", "modes", "explanation",
                    "audience"}  # fmt: skip
    typed = {name: sa.JSON() for name in values if name in json_columns}
    typed |= {name: sa.DateTime() for name in values if name.endswith("_at")}
    stub = sa.table(table, *(sa.column(name, typed.get(name)) for name in values))
    connection.execute(sa.insert(stub).values(**values))


def _world(connection) -> None:
    stamps = {"created_at": WHEN, "updated_at": WHEN}
    _insert(connection, "country", code="TR", timezone="Europe/Istanbul")
    for code in ("TR-01", "TR-06"):
        _insert(connection, "region", code=code, country_code="TR", name=code, type="Province",
                is_leaf=True)  # fmt: skip
    for ident, code in ((1, "TR-01"), (2, "TR-01"), (3, "TR-06")):
        _insert(connection, "school", id=ident, name=f"School {ident}", city="",
                search_key=f"school {ident}", country_code="TR", region_code=code,
                timezone="Europe/Istanbul", status="verified", **stamps)  # fmt: skip
    _insert(connection, "user", id=1, email="m@example.org", name="Mentor", is_admin=False,
            active=True, session_version=1, **stamps)  # fmt: skip
    _insert(connection, "mentor_profile", id=1, user_id=1, school_id=1, country_code="TR",
            region_code="TR-01", capacity=3, load=1, languages=["tr"], levels=["primary"],
            pillars=["collaboration"], regions=[], modes=["online"], bio="", paused=False,
            **stamps)  # fmt: skip
    for ident in (1, 2, 3):
        _insert(connection, "mentoring_request", id=ident, school_id=ident, country_code="TR",
                region_code="TR-01", pillars=["collaboration", "shared_leadership"],
                languages=["tr"], levels=["primary"], mode="hybrid", message="",
                status="open", created_at=datetime(2026, 2, 1), updated_at=WHEN)  # fmt: skip
    _insert(connection, "match_run", id=1, country_code="TR", created_at=WHEN,
            total_score=99.9, proposals=2)  # fmt: skip
    matches = [  # id, request, status, created
        (1, 1, "accepted", WHEN),
        (2, 1, "proposed", datetime(2026, 3, 5)),  # beside an accepted match: expires
        (3, 2, "proposed", datetime(2026, 3, 3)),  # the older of two proposals: expires
        (4, 2, "proposed", datetime(2026, 3, 4)),
        (5, 3, "declined", WHEN),
        (6, 3, "proposed", WHEN),
    ]
    for ident, request, status, created in matches:
        _insert(connection, "match", id=ident, request_id=request, mentor_id=1,
                run_id=1 if ident in (3, 4) else None, status=status, score=6.833,
                explanation=OLD_POINTS, decline_reason="", feedback_school="",
                feedback_mentor="", created_at=created, updated_at=created)  # fmt: skip
    _insert(connection, "activity", id=1, school_id=1, country_code="TR", region_code="TR-01",
            type="mentoring_session", title="Session", description="", starts_at=WHEN,
            ends_at=WHEN, timezone="Europe/Istanbul", mode="online", location="", online_url="",
            audience=[], visibility="network", status="planned", version=1, match_id=1,
            pillar_mask=0, language_mask=0, **stamps)  # fmt: skip


def _statuses() -> dict[int, str]:
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, status FROM match ORDER BY id"))
        return dict(rows.all())


def test_open_proposals_become_one_per_request_and_points_become_facts(migration_app):
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _world(connection)

    upgrade(revision=AFTER)

    assert _statuses() == {1: "accepted", 2: "expired", 3: "expired", 4: "proposed",
                           5: "declined", 6: "proposed"}  # fmt: skip
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT match_id FROM activity")).scalar() == 1
        match = sa.table("match", sa.column("id"), sa.column("score"),
                         sa.column("explanation", sa.JSON()))  # fmt: skip
        score, facts = connection.execute(
            sa.select(match.c.score, match.c.explanation).where(match.c.id == 4)
        ).one()
        total = connection.execute(sa.text("SELECT total_score FROM match_run")).scalar()
    assert facts == {
        "fit": 30 + 30 + 20,
        "parts": {"region": 30, "level": 30, "pillars": 20},
        "region": "same",
        "levels": ["primary"],
        "levels_wanted": 1,
        "pillars": ["collaboration"],
        "pillars_wanted": 2,
        "languages": ["tr"],
        "waiting_days": 31,
    }
    assert score == 80
    assert total == 160  # the fits of the run's two matches
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE match SET status = 'proposed' WHERE id = 3"))

    downgrade(revision=BEFORE)
    assert _statuses()[2] == "declined"
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT match_id FROM activity")).scalar() == 1
    upgrade()
    assert _statuses()[4] == "proposed"
