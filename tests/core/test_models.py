"""The database itself enforces the rules of the data model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, StatementError

from app.activities.enums import ActivityStatus
from app.activities.models import ActivityReach
from app.core.extensions import db
from app.mentoring.models import MentorProfile


@pytest.fixture
def school(make):
    return make.school("RO", name="Școala Gimnazială nr. 5", city="Cluj-Napoca")


def _violates(session, statement: str, **params) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(db.text(statement), params)


def _insert_fails(session, row) -> None:
    savepoint = session.begin_nested()
    session.add(row)
    with pytest.raises(IntegrityError):
        session.flush()
    savepoint.rollback()


def test_an_activity_cannot_end_before_it_starts(db_session, make, school):
    start = datetime(2030, 5, 1, 9, tzinfo=UTC)
    with pytest.raises(IntegrityError), db_session.begin_nested():
        make.activity(school, starts_at=start, ends_at=start - timedelta(minutes=1))


def test_participants_only_once_held(db_session, make, school):
    activity = make.activity(school)
    _violates(
        db_session,
        "UPDATE activity SET participants_teachers = 5 WHERE id = :id",
        id=activity.id,
    )
    db_session.execute(
        db.text(
            "UPDATE activity SET status = 'held', participants_teachers = 5, version = 2"
            " WHERE id = :id"
        ),
        {"id": activity.id},
    )


def test_negative_participants_are_refused(db_session, make, school):
    activity = make.activity(school, status=ActivityStatus.HELD)
    _violates(
        db_session, "UPDATE activity SET participants_students = -1 WHERE id = :id", id=activity.id
    )


def test_unknown_enum_values_are_refused_by_the_database(db_session, make, school):
    activity = make.activity(school)
    _violates(db_session, "UPDATE activity SET type = 'party' WHERE id = :id", id=activity.id)
    activity.type = "party"
    with pytest.raises(StatementError):
        db_session.flush()
    db_session.rollback()


def test_a_mentor_load_never_exceeds_capacity(db_session, make, school):
    user = make.user()
    mentor = MentorProfile(
        user_id=user.id,
        school_id=school.id,
        country_code="RO",
        region_code=school.region_code,
        capacity=2,
    )
    db_session.add(mentor)
    db_session.commit()
    _violates(db_session, "UPDATE mentor_profile SET load = 3 WHERE id = :id", id=mentor.id)
    _violates(db_session, "UPDATE mentor_profile SET capacity = 11 WHERE id = :id", id=mentor.id)


def test_a_reached_school_is_either_registered_or_named(db_session, make, school):
    activity = make.activity(school)
    _insert_fails(db_session, ActivityReach(activity_id=activity.id))
    _insert_fails(
        db_session, ActivityReach(activity_id=activity.id, school_id=school.id, school_name="X")
    )


def test_deleting_a_region_in_use_is_refused(db_session, school):
    _violates(db_session, "DELETE FROM region WHERE code = :code", code=school.region_code)


def test_timestamps_come_back_in_utc(db_session, make, school):
    activity = make.activity(school, starts_at=datetime(2031, 1, 2, 3, 4, tzinfo=UTC))
    db_session.expire_all()
    assert db_session.get(type(activity), activity.id).starts_at.tzinfo is UTC


def test_every_constraint_is_named_by_the_convention():
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"{table.name}: unnamed {type(constraint).__name__}"


def test_personal_data_columns_are_marked():
    personal = {
        f"{mapper.class_.__name__}.{column.key}"
        for mapper in db.Model.registry.mappers
        for column in inspect(mapper.class_).columns
        if column.info.get("personal")
    }
    assert {"User.email", "User.name", "School.contact_email", "AuditEntry.ip"} <= personal
