"""Writing activities through the API: only one's own school, a create that round-trips,
edits with versions, cancelling, and reporting participants once the activity started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.schools.models import School
from tests.api.helpers import NEXT_YEAR, body, error, event_payload, invalid


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Activity))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_member_cannot_record_an_activity_for_another_school(api, member, db_session):
    before = _count(db_session)
    payload = event_payload(member.other_school_id)
    error(api("POST", "events", token=member.token, json=payload), 403, "forbidden")
    error(api("POST", "events", token=member.token, json=event_payload(999999)), 404)
    assert _count(db_session) == before


def test_a_member_cannot_change_or_cancel_another_schools_activity(api, member, db_session):
    url = f"events/{member.other_activity_id}"
    version = body(api("GET", url, token=member.token))["version"]
    change = {"title": "Taken over", "version": version}
    error(api("PATCH", url, token=member.token, json=change), 403, "forbidden")
    error(api("PATCH", url, token=member.token, json={"status": "cancelled"}), 403, "forbidden")
    error(api("DELETE", url, token=member.token), 403, "forbidden")
    activity = db_session.get(Activity, member.other_activity_id)
    assert (activity.title, activity.status, activity.version) == (
        "Zi deschisă",
        ActivityStatus.PLANNED,
        version,
    )


def test_a_member_cannot_change_another_school(api, member, db_session):
    url = f"schools/{member.other_school_id}"
    error(api("PATCH", url, token=member.token, json={"city": "Iași"}), 403, "forbidden")
    error(api("PATCH", url, json={"city": "Iași"}), 401, "unauthorized")
    school = db_session.get(School, member.other_school_id)
    assert (school.name, school.city) == ("Liceul Teoretic Cluj", "")


def test_a_valid_create_answers_201_with_the_activity(api, member, db_session):
    payload = event_payload(member.school_id, starts_at=f"{NEXT_YEAR}-05-04T08:00:00+01:00")
    response = api("POST", "events", token=member.token, json=payload)
    created = body(response, 201)
    assert response.headers["Location"] == f"http://localhost/api/v1/events/{created['id']}"
    assert body(api("GET", response.headers["Location"])) == created
    school = db_session.get(School, member.school_id)
    expected = {
        **{name: value for name, value in payload.items() if name not in ("starts_at", "ends_at")},
        "country": "TR",
        "region": school.region_code,
        "timezone": "Europe/Istanbul",
        "status": "planned",
        "participants": None,
        "reached_school_ids": [],
        "reached_names": [],
    }
    assert {name: created[name] for name in expected} == expected
    assert _instant(created["starts_at"]) == datetime(NEXT_YEAR, 5, 4, 7, 0, tzinfo=UTC)
    assert _instant(created["ends_at"]) == datetime(NEXT_YEAR, 5, 4, 9, 30, tzinfo=UTC)
    stored = db_session.get(Activity, created["id"])
    assert (stored.title, stored.school_id, stored.version) == (
        payload["title"],
        member.school_id,
        created["version"],
    )
    assert stored.starts_at.replace(tzinfo=UTC) == datetime(NEXT_YEAR, 5, 4, 7, 0, tzinfo=UTC)


@pytest.fixture
def planned(api, member) -> dict:
    return body(
        api("POST", "events", token=member.token, json=event_payload(member.school_id)), 201
    )


def test_an_edit_with_the_current_version_saves_and_a_stale_one_is_409(
    api, member, planned, db_session
):
    url = f"events/{planned['id']}"
    edit = {"title": "Leadership open day", "version": planned["version"]}
    edited = body(api("PATCH", url, token=member.token, json=edit))
    assert (edited["title"], edited["version"]) == ("Leadership open day", planned["version"] + 1)
    assert edited["pillars"] == planned["pillars"]  # fields not sent are kept
    stale = {"title": "Someone else's title", "version": planned["version"]}
    error(api("PATCH", url, token=member.token, json=stale), 409, "conflict")
    assert db_session.get(Activity, planned["id"]).title == "Leadership open day"


def test_cancelling_by_patch_keeps_the_activity(api, member, planned, db_session):
    url = f"events/{planned['id']}"
    cancelled = body(api("PATCH", url, token=member.token, json={"status": "cancelled"}))
    assert cancelled["status"] == "cancelled"
    assert db_session.get(Activity, planned["id"]).status is ActivityStatus.CANCELLED
    late_edit = {"title": "Too late", "version": cancelled["version"]}
    error(api("PATCH", url, token=member.token, json=late_edit), 409, "conflict")
    error(api("PATCH", url, token=member.token, json={"status": "planned"}), 409, "conflict")


@pytest.mark.parametrize("status", [{}, [], 3, None, True, "postponed"])
def test_a_status_that_is_not_a_status_is_a_422(api, member, planned, db_session, status):
    url = f"events/{planned['id']}"
    assert "status" in invalid(api("PATCH", url, token=member.token, json={"status": status}))
    assert db_session.get(Activity, planned["id"]).status is ActivityStatus.PLANNED


def test_delete_cancels_and_the_row_stays(api, member, planned, db_session):
    url = f"events/{planned['id']}"
    assert body(api("DELETE", url, token=member.token))["status"] == "cancelled"
    stored = db_session.get(Activity, planned["id"])
    assert (stored.status, stored.title) == (ActivityStatus.CANCELLED, planned["title"])
    assert body(api("GET", url))["status"] == "cancelled"
    error(api("DELETE", url, token=member.token), 409, "conflict")


REPORT = {
    "status": "held",
    "participants": {"teachers": 12, "leaders": 2, "students": 40, "parents": 5},
}


def test_participants_before_the_start_are_409(api, member, planned, db_session):
    url = f"events/{planned['id']}"
    error(api("PATCH", url, token=member.token, json=REPORT), 409, "conflict")
    stored = db_session.get(Activity, planned["id"])
    assert (stored.status, stored.participants_teachers) == (ActivityStatus.PLANNED, None)


def test_participants_after_the_start_are_stored(api, member, make, db_session):
    school = db_session.get(School, member.school_id)
    activity_id = make.activity(school, starts_at=datetime.now(UTC) - timedelta(hours=3)).id
    report = {**REPORT, "reached_school_ids": [member.neighbour_id]}
    held = body(api("PATCH", f"events/{activity_id}", token=member.token, json=report))
    assert (held["status"], held["participants"]) == ("held", REPORT["participants"])
    assert held["reached_school_ids"] == [member.neighbour_id]
    stored = db_session.get(Activity, activity_id)
    counts = (
        stored.participants_teachers,
        stored.participants_leaders,
        stored.participants_students,
        stored.participants_parents,
    )
    assert (stored.status, counts) == (ActivityStatus.HELD, (12, 2, 40, 5))
    assert [row.school_id for row in stored.reached] == [member.neighbour_id]


def test_participants_must_be_counts_and_reached_schools_real(api, member, make, db_session):
    school = db_session.get(School, member.school_id)
    activity_id = make.activity(school, starts_at=datetime.now(UTC) - timedelta(hours=3)).id
    url = f"events/{activity_id}"
    negative = api(
        "PATCH",
        url,
        token=member.token,
        headers={"Accept-Language": "en"},
        json={"status": "held", "participants": {"teachers": 4, "parents": -1}},
    )
    assert invalid(negative) == {"participants": ["Number must be between 0 and 100000. (parents)"]}
    for report, field in [
        ({"status": "held", "participants": {"teachers": "many"}}, "participants"),
        ({"status": "held", "participants": {"robots": 3}}, "participants"),
        ({"status": "held", "participants": [3, 4]}, "participants"),
        ({"status": "held", "reached_school_ids": [member.other_school_id]}, "reached_school_ids"),
        ({"status": "finished"}, "status"),
    ]:
        problem = error(api("PATCH", url, token=member.token, json=report), 422, "invalid")
        assert set(problem["fields"]) == {field}, report
    assert db_session.get(Activity, activity_id).status is ActivityStatus.PLANNED
