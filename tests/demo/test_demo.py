"""``flask demo``: deterministic, consistent demo data that never replaces real data."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Table, func, select

from app.accounts.models import CoordinatorCountry, Membership, User
from app.accounts.operations import create_user
from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.demo.generator import DemoRefused, check_replaceable, generate
from app.demo.world import DemoOptions
from app.geography.models import Region
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.registrations.models import Feedback, Registration
from app.schools.models import AmbassadorPeriod, School
from tests.support.registrations import Model

NOW = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
MIDNIGHT = datetime(2026, 3, 16, tzinfo=UTC)  # activities before it are past
OPTIONS = DemoOptions(schools=80, events=600, seed=11)
SHARING_TYPES = {"open_day", "info_session", "mentoring_session", "professional_development"}


@pytest.fixture
def demo(app_ctx, db_session):
    """The session after generating the demo data once (no argon2: a fixed hash)."""
    generate(db_session, OPTIONS, now=NOW, password_hash="not-a-real-hash")
    return db_session


def rows(session, table: Table) -> list:
    return session.execute(select(table).order_by(*table.primary_key.columns)).all()


def test_same_seed_and_day_give_identical_rows(demo):
    tables = [
        model.__table__
        for model in (School, AmbassadorPeriod, Activity, ActivityPillar, ActivityReach, Match)
    ]
    first = {table.name: rows(demo, table) for table in tables}
    generate(demo, OPTIONS, now=NOW, password_hash="not-a-real-hash")
    assert {table.name: rows(demo, table) for table in tables} == first
    assert len(first["school"]) == OPTIONS.schools
    assert len(first["activity"]) == OPTIONS.events


def test_another_seed_gives_other_schools(demo):
    names = demo.scalars(select(School.name).order_by(School.id)).all()
    generate(demo, DemoOptions(80, 600, seed=12), now=NOW, password_hash="not-a-real-hash")
    assert demo.scalars(select(School.name).order_by(School.id)).all() != names


def test_demo_data_is_recognisable_and_may_be_replaced(demo):
    assert all(e.startswith("demo-") for e in demo.scalars(select(School.external_id)))
    assert all(e.endswith("@example.org") for e in demo.scalars(select(User.email)))
    check_replaceable(demo)  # no DemoRefused: running again is allowed


def test_a_school_not_made_by_the_generator_is_protected(app_ctx, db_session, make):
    make.school(country="NL", external_id="brin-12AB")
    with pytest.raises(DemoRefused):
        check_replaceable(db_session)


def test_a_real_user_is_protected(app_ctx, db_session):
    create_user("teacher@school.example.com", "Teacher")
    with pytest.raises(DemoRefused):
        check_replaceable(db_session)


def test_cli_refuses_real_data_without_force(runner, make):
    make.school(country="TR")
    result = runner.invoke(args=["demo", "--schools", "10", "--events", "10"])
    assert result.exit_code != 0
    assert "--force" in result.output


def test_cli_if_empty_leaves_existing_schools_alone(runner, make, db_session):
    school_id = make.school(country="RO").id
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert db_session.scalars(select(School.id)).all() == [school_id]


def test_cli_generates_and_lists_the_demo_accounts(runner, db_session):
    result = runner.invoke(args=["demo", "--schools", "10", "--events", "20", "--seed", "3"])
    assert result.exit_code == 0, result.output
    for email in ("admin@example.org", "coordinator.be@example.org", "member.tr1@example.org"):
        assert email in result.output
    assert "demo-password" in result.output
    assert db_session.scalar(select(func.count()).select_from(School)) == 10


def test_demo_accounts_have_their_roles(demo):
    assert demo.scalar(select(User.is_admin).filter_by(email="admin@example.org"))
    coordinators = demo.execute(
        select(User.email, CoordinatorCountry.country_code, User.locale).join(CoordinatorCountry)
    ).all()
    assert sorted(coordinators) == [
        ("coordinator.be@example.org", "BE", "nl"),
        ("coordinator.nl@example.org", "NL", "nl"),
        ("coordinator.no@example.org", "NO", "nb"),
        ("coordinator.ro@example.org", "RO", "ro"),
        ("coordinator.tr@example.org", "TR", "tr"),
    ]


def test_schools_sit_in_leaf_regions_of_their_country(demo):
    query = select(School.country_code, Region.country_code, Region.is_leaf).join(
        Region, School.region_code == Region.code
    )
    for school_country, region_country, is_leaf in demo.execute(query):
        assert school_country == region_country
        assert is_leaf


def test_mentor_load_counts_accepted_and_active_matches_within_capacity(demo):
    occupied = Counter(
        demo.scalars(select(Match.mentor_id).where(Match.status.in_(["accepted", "active"])))
    )
    mentors = demo.scalars(select(MentorProfile)).all()
    assert mentors
    for mentor in mentors:
        assert mentor.load == occupied[mentor.id] <= mentor.capacity


def test_request_status_agrees_with_its_matches(demo):
    statuses: dict[int, list[str]] = {}
    for request_id, status in demo.execute(select(Match.request_id, Match.status)):
        statuses.setdefault(request_id, []).append(status)
    for request in demo.scalars(select(MentoringRequest)):
        matches = statuses.get(request.id, [])
        if request.status == "matched":
            assert sum(s in ("accepted", "active") for s in matches) == 1
        elif request.status == "closed":
            assert any(s in ("completed", "ended") for s in matches)
        else:
            assert set(matches) <= {"proposed", "declined"}


def test_every_activity_serves_a_pillar(demo):
    pillars: dict[int, set[str]] = {}
    links = select(ActivityPillar.activity_id, ActivityPillar.pillar_code)
    for activity_id, code in demo.execute(links):
        pillars.setdefault(activity_id, set()).add(code)
    for activity_id, kind in demo.execute(select(Activity.id, Activity.type)):
        assert pillars.get(activity_id)
        if kind in SHARING_TYPES:
            assert "models_for_other_schools" in pillars[activity_id]
    languages = demo.scalars(select(func.count(func.distinct(ActivityLanguage.activity_id))))
    assert languages.one() == OPTIONS.events


def test_participants_only_once_held_and_past_or_future_by_status(demo):
    for activity in demo.scalars(select(Activity)):
        counts = [
            activity.participants_teachers,
            activity.participants_leaders,
            activity.participants_students,
            activity.participants_parents,
        ]
        if activity.status == "held":
            assert any(count is not None for count in counts)
            assert activity.starts_at < MIDNIGHT
        else:
            assert counts == [None, None, None, None]
        if activity.status == "planned":
            assert activity.starts_at >= MIDNIGHT


def test_activities_happen_at_school_hours_where_the_school_is(demo):
    query = select(Activity, School).join(School, Activity.school_id == School.id)
    for activity, school in demo.execute(query):
        local = activity.starts_at.astimezone(ZoneInfo(activity.timezone))
        assert 8 <= local.hour <= 19
        assert activity.ends_at > activity.starts_at
        assert (activity.country_code, activity.region_code) == (
            school.country_code,
            school.region_code,
        )
        assert activity.timezone == school.timezone


def test_users_and_matches_reach_the_numbers_asked_for(app_ctx, db_session):
    options = DemoOptions(schools=200, events=100, seed=11, users=1_500, matches=50)
    generate(db_session, options, now=NOW, password_hash="not-a-real-hash")

    assert db_session.scalar(select(func.count()).select_from(User)) == 1_500
    per_country = Counter(
        db_session.scalars(
            select(School.country_code).join(Membership, Membership.school_id == School.id)
        )
    )
    assert set(per_country) == {"TR", "RO", "NO", "NL", "BE"}
    assert min(per_country.values()) > 200  # the members are shared among the countries
    matches = db_session.scalar(select(func.count()).select_from(Match))
    assert 50 <= matches < 60  # each country stops at its share, give or take a request
    requests = db_session.scalars(select(MentoringRequest.country_code)).all()
    assert set(requests) == {"TR", "RO", "NO", "NL", "BE"}


def test_the_larger_demo_keeps_mentors_within_capacity(app_ctx, db_session):
    options = DemoOptions(schools=120, events=50, seed=5, users=600, matches=150)
    generate(db_session, options, now=NOW, password_hash="not-a-real-hash")

    occupied = Counter(
        db_session.scalars(select(Match.mentor_id).where(Match.status.in_(["accepted", "active"])))
    )
    for mentor in db_session.scalars(select(MentorProfile)):
        assert mentor.load == occupied[mentor.id] <= mentor.capacity


def test_registrations_are_placed_as_the_operations_place_them(demo):
    """Near today, open days take registrations: the places never exceed the capacity,
    someone waits only behind a full house, and only those who came are asked about it."""
    activities = {
        a.id: a for a in demo.scalars(select(Activity).where(Activity.registration != "off"))
    }
    assert activities
    registrations = demo.scalars(
        select(Registration).order_by(Registration.queued_at, Registration.id)
    )
    by_activity: dict[int, list[Registration]] = {}
    for registration in registrations:
        by_activity.setdefault(registration.activity_id, []).append(registration)
    assert set(by_activity) <= set(activities)
    for activity_id, rows_ in by_activity.items():
        activity = activities[activity_id]
        model = Model(activity.capacity)
        for registration in rows_:
            model.register(registration.id, registration.people)
            model.confirm(registration.id)
        if activity.status.value == "planned":
            assert {r.id: r.status.value for r in rows_} == model.statuses()
        else:  # held: those without a place are gone, and attendance is known
            assert all(r.status.value == "confirmed" and r.attended is not None for r in rows_)
    answered = demo.scalars(select(Registration).join(Feedback)).all()
    assert answered
    assert all(r.attended for r in answered)
