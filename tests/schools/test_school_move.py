"""Moving a school to another region brings along what is still to come, and leaves its
history where it happened: one operation (app.schools.operations.move_school) behind the
form, the API and the CSV import.

Moved: planned activities (with the school's time zone), open mentoring requests (so that
matching reads the new region) and its mentors' profiles. Stay: held and cancelled
activities, matched requests. The dashboard summaries stay equal to a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.activities.operations import report_activity
from app.core.models import AuditEntry
from app.dashboards import rebuild as summary_rebuild
from app.geography.models import Region
from app.mentoring.enums import RequestStatus
from app.mentoring.models import MentoringRequest, MentorProfile
from app.schools.models import School
from tests.api.helpers import body, call
from tests.dashboards.test_activity_facts import expected, stored
from tests.schools.test_school_import import csv_bytes, run
from tests.support.mentoring import add_mentor, add_request, login

NOW = datetime.now(UTC)


@dataclass
class Place:
    school: int
    planned: int
    held: int
    cancelled: int
    open_request: int
    matched_request: int
    mentor: int
    other_mentor: int  # of another school, in the same region


@pytest.fixture
def place(make, db_session) -> Place:
    """A school of İstanbul (TR-34) with its history and what it has still to come."""
    istanbul = db_session.get(Region, "TR-34")
    school = make.school("TR", name="Taşınan Lise", region=istanbul, external_id="TR-9001")
    neighbour = make.school("TR", region=istanbul)
    admin = make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    planned = make.activity(school, starts_at=NOW + timedelta(days=10))
    held = make.activity(school, starts_at=NOW - timedelta(days=10))
    report_activity(held, {"teachers": 6}, [neighbour.id], ["Köy Okulu"], admin, NOW)
    cancelled = make.activity(
        school, starts_at=NOW + timedelta(days=3), status=ActivityStatus.CANCELLED
    )
    open_request = add_request(db_session, school)
    matched = add_request(db_session, school, status=RequestStatus.MATCHED)
    mentor = add_mentor(make, db_session, school, regions=["TR-34", "TR-41"])
    other = add_mentor(make, db_session, neighbour)
    db_session.commit()
    return Place(
        school.id, planned.id, held.id, cancelled.id, open_request.id, matched.id, mentor.id,
        other.id,
    )  # fmt: skip


def _where(session, model, ident: int) -> tuple[str, str]:
    row = session.get(model, ident)
    return row.country_code, row.region_code


def assert_moved(session, place: Place, country: str, region: str, before=("TR", "TR-34")):
    session.expire_all()
    assert _where(session, School, place.school) == (country, region)
    assert _where(session, Activity, place.planned) == (country, region)
    assert _where(session, MentoringRequest, place.open_request) == (country, region)
    assert _where(session, MentorProfile, place.mentor) == (country, region)
    # History stays where it happened; other schools do not move.
    assert _where(session, Activity, place.held) == before
    assert _where(session, Activity, place.cancelled) == before
    assert _where(session, MentoringRequest, place.matched_request) == before
    assert _where(session, MentorProfile, place.other_mentor) == before
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "school.move")).all()
    assert entry.object_id == str(place.school)
    assert entry.details == {
        "from_region": before[1],
        "to_region": region,
        "activities": 1,
        "requests": 1,
        "mentors": 1,
    }
    held = stored(session)
    assert held == expected(session)
    summary_rebuild.rebuild(session.connection())
    assert stored(session) == held  # summaries equal a rebuild
    assert {key[3] for key in held["held"]} == {before[1]}


def test_the_form_moves_the_school_with_what_is_to_come(app, make, db_session, place):
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    school = db_session.get(School, place.school)
    form = {"name": school.name, "region": "TR-06", "city": school.city}

    response = login(app, "coord.tr@example.org").post(f"/schools/{place.school}/edit", data=form)

    assert response.status_code == 302
    assert_moved(db_session, place, "TR", "TR-06")
    assert db_session.get(MentorProfile, place.mentor).regions == ["TR-34", "TR-41"]


def test_the_api_moves_the_school_with_what_is_to_come(app, client, db_session, place):
    user = db_session.scalar(select(User).where(User.email == "admin@example.org"))
    token = issue_token(user, "tests")
    db_session.commit()

    response = call(
        client, "PATCH", f"schools/{place.school}", token=token, json={"region": "TR-06"}
    )

    assert body(response)["region"] == "TR-06"
    assert_moved(db_session, place, "TR", "TR-06")


def test_the_import_moves_the_school_with_what_is_to_come(app_ctx, make, db_session, place):
    coordinator = make.user(role="coordinator", countries=("TR",))
    row = "TR-9001;Taşınan Lise;TR;TR-06;;;;;"

    report = run(csv_bytes(row), allowed={"TR"}, importer_id=coordinator.id)

    assert (report.ok, report.updated) == (True, 1)
    assert_moved(db_session, place, "TR", "TR-06")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "school.move"))
    assert entry.actor_id == coordinator.id


def test_a_move_to_another_country_brings_the_time_zone_and_resets_regions_served(
    app, make, db_session, place
):
    make.user("coord.both@example.org", role="coordinator", countries=("TR", "RO"))
    school = db_session.get(School, place.school)
    form = {"name": school.name, "region": "RO-CJ", "city": school.city}

    response = login(app, "coord.both@example.org").post(f"/schools/{place.school}/edit", data=form)

    assert response.status_code == 302
    assert_moved(db_session, place, "RO", "RO-CJ")
    assert db_session.get(Activity, place.planned).timezone == "Europe/Bucharest"
    assert db_session.get(Activity, place.held).timezone == "Europe/Istanbul"
    assert db_session.get(MentorProfile, place.mentor).regions == []  # served TR regions


def test_saving_without_a_new_region_moves_nothing(app, make, db_session, place):
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    school = db_session.get(School, place.school)
    form = {"name": "Yeni Ad", "region": "TR-34", "city": school.city}

    response = login(app, "coord.tr@example.org").post(f"/schools/{place.school}/edit", data=form)

    assert response.status_code == 302
    assert (
        db_session.scalars(select(AuditEntry).where(AuditEntry.action == "school.move")).all() == []
    )
