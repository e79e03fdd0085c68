"""Ten activities of one school and day reported at the same moment: the summaries add up.

Every report adds to the same summary rows; upserts that add (not a read and a write
back) keep all ten. Real threads on a database of their own (see
tests/test_mentoring_concurrency.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.models import Activity
from app.activities.operations import report_activity
from app.core.database import begin_write
from app.core.enums import Mode
from app.core.extensions import db
from app.dashboards.models import HeldSummary, ReachSummary
from tests.mentoring.test_mentoring_concurrency import isolated_app  # noqa: F401 - the fixture
from tests.support.databases import istanbul_school
from tests.support.threads import at_once

REPORTS = 10
START = datetime(2025, 11, 10, 9, tzinfo=UTC)


def _planned(app) -> tuple[int, list[int]]:
    with app.app_context():
        school = istanbul_school()
        user = User(email="admin@example.org", name="Admin", is_admin=True)
        db.session.add_all([school, user])
        db.session.flush()
        activities = [
            Activity(
                school_id=school.id,
                country_code="TR",
                region_code="TR-34",
                type=ActivityType.OPEN_DAY,
                title=f"Open day {n}",
                starts_at=START + timedelta(minutes=n),
                ends_at=START + timedelta(hours=2),
                timezone="Europe/Istanbul",
                mode=Mode.IN_PERSON,
                status=ActivityStatus.PLANNED,
            )
            for n in range(REPORTS)
        ]
        db.session.add_all(activities)
        db.session.commit()
        ids = [activity.id for activity in activities]
        user_id = user.id
        db.session.remove()
        return user_id, ids


def test_simultaneous_reports_all_count(isolated_app):  # noqa: F811 - the fixture
    user_id, activity_ids = _planned(isolated_app)

    def report(activity_id: int) -> None:
        with isolated_app.app_context():
            begin_write(db.session)  # SQLite: writers queue; PostgreSQL: nothing
            actor = db.session.get(User, user_id)
            activity = db.session.get(Activity, activity_id)
            now = START + timedelta(days=1)
            report_activity(activity, {"teachers": 2}, [], ["Köy Okulu"], actor, now)
            db.session.commit()
            db.session.remove()

    at_once([lambda ident=ident: report(ident) for ident in activity_ids])
    with isolated_app.app_context():
        held = db.session.execute(
            sa.select(HeldSummary.span, HeldSummary.activities, HeldSummary.participants)
        ).all()
        assert sorted(held) == [("day", REPORTS, 2 * REPORTS), ("month", REPORTS, 2 * REPORTS)]
        reached = db.session.execute(sa.select(ReachSummary.activities)).scalars().all()
        assert reached == [REPORTS] * 6  # day, month, school year; region and whole country
        db.session.remove()
