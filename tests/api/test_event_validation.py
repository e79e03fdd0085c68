"""Activity writes are validated like the form: 422 naming the fields and nothing saved;
unknown and read-only fields are refused; a body that is not a JSON object is a 400."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.activities.models import Activity
from tests.api.helpers import NEXT_YEAR, body, error, event_payload, invalid

DAY = f"{NEXT_YEAR}-05-04"


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Activity))


def _without(payload: dict, name: str) -> dict:
    return {key: value for key, value in payload.items() if key != name}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", None),
        ({"ends_at": f"{DAY}T09:00:00+03:00"}, "ends_at", "The end must not be before the start."),
        ({"pillars": []}, "pillars", "Choose at least one pillar."),
        ({"pillars": ["world_peace"]}, "pillars", None),
        ({"type": "party"}, "type", None),
        ({"mode": "online", "online_url": ""}, "online_url", None),
        ({"online_url": "not a link"}, "online_url", None),
        (
            {"starts_at": "1990-05-04T10:00:00+03:00"},
            "starts_at",
            f"Choose a date between 2000 and {NEXT_YEAR + 4}.",
        ),
        ({"starts_at": f"{DAY}T10:00:00"}, "starts_at", None),  # no offset
        ({"starts_at": "next tuesday"}, "starts_at", None),
        ({"starts_at": f"{DAY}T10:00+03:00"}, "starts_at", None),  # RFC 3339 has seconds
        ({"ends_at": f"{DAY} 12:00:00+03:00"}, "ends_at", None),
        ({"status": "held"}, "status", None),
        ({"school_id": "1"}, "school_id", None),
        ({"title": {"en": "An object"}}, "title", "Give a text, a number or a list of them."),
        ({"colour": "blue"}, "colour", "This field is not known."),
        ({"country": "RO"}, "country", "This field cannot be changed."),
        ({"id": 5}, "id", "This field cannot be changed."),
        ({"participants": {"teachers": 3}}, "participants", "This field cannot be changed."),
    ],
)
def test_a_refused_create_names_the_field_and_saves_nothing(
    api, member, db_session, changes, field, message
):
    before = _count(db_session)
    payload = {**event_payload(member.school_id), **changes}
    fields = invalid(api("POST", "events", token=member.token, json=payload, headers=EN))
    assert set(fields) == {field}
    if message is not None:
        assert fields[field] == [message]
    assert _count(db_session) == before


EN = {"Accept-Language": "en"}


@pytest.mark.parametrize("missing", ["title", "starts_at", "ends_at", "pillars", "school_id"])
def test_a_required_field_left_out_is_named(api, member, db_session, missing):
    before = _count(db_session)
    payload = _without(event_payload(member.school_id), missing)
    assert set(invalid(api("POST", "events", token=member.token, json=payload))) == {missing}
    assert _count(db_session) == before


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("title=Open+day", "application/x-www-form-urlencoded"),
        ('{"title": "Open day",', "application/json"),
        ('["title", "Open day"]', "application/json"),
        ('"Open day"', "application/json"),
        ('{"title": "Open day"}', "text/plain"),
        ("", "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(api, member, db_session, data, content_type):
    before = _count(db_session)
    headers = {"Content-Type": content_type, **EN}
    response = api("POST", "events", token=member.token, data=data, headers=headers)
    problem = error(response, 400, "bad_request")
    assert problem["message"] == "Send a JSON object with Content-Type: application/json."
    assert _count(db_session) == before


@pytest.fixture
def planned_id(api, member) -> int:
    payload = event_payload(member.school_id)
    return body(api("POST", "events", token=member.token, json=payload), 201)["id"]


@pytest.mark.parametrize("name", ["school_id", "country", "id", "region"])
def test_read_only_fields_cannot_be_patched(api, member, planned_id, db_session, name):
    url = f"events/{planned_id}"
    before = body(api("GET", url, token=member.token))
    fields = invalid(api("PATCH", url, token=member.token, json={name: 1}, headers=EN))
    assert fields == {name: ["This field cannot be changed."]}
    assert body(api("GET", url, token=member.token)) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": f"{DAY}T08:00:00+03:00"}, "ends_at"),
        ({"starts_at": f"{DAY}T10:00+03:00"}, "starts_at"),
        ({"timezone": "Europe/Oslo"}, "timezone"),
        ({"title": 42}, "title"),
        ({"pillars": []}, "pillars"),
        ({"title": ""}, "title"),
        ({"title": "Fine", "version": "latest"}, "version"),
        ({"flavour": "vanilla"}, "flavour"),
    ],
)
def test_a_refused_patch_changes_nothing(api, member, planned_id, changes, field):
    url = f"events/{planned_id}"
    before = body(api("GET", url, token=member.token))
    assert set(invalid(api("PATCH", url, token=member.token, json=changes))) == {field}
    assert body(api("GET", url, token=member.token)) == before


def test_a_patch_body_must_be_a_json_object(api, member, planned_id):
    response = api("PATCH", f"events/{planned_id}", token=member.token, data="title=x")
    error(response, 400, "bad_request")


def test_writes_without_a_token_are_401_before_validation(api, member, db_session):
    error(api("POST", "events", json={"colour": "blue"}), 401, "unauthorized")
    error(api("POST", "events", data="nonsense"), 401, "unauthorized")


def _last_sunday(month: int) -> date:
    day = date(NEXT_YEAR, month, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def test_daylight_saving_changes_are_judged_in_the_schools_time(api, make, token_for, db_session):
    """The instant becomes the school's wall-clock time and the form decides, as on the page:
    02:30 on the night Oslo's clocks go back happens twice, so both instants that show it
    are refused. (The spring gap cannot be reached: every instant has a local time.)"""
    school = make.school("NO")
    token = token_for(make.member(school).id)
    autumn, spring = _last_sunday(10), _last_sunday(3)
    before = _count(db_session)
    for offset in ("+02:00", "+01:00"):  # 00:30 and 01:30 UTC
        payload = event_payload(
            school.id, starts_at=f"{autumn}T02:30:00{offset}", ends_at=f"{autumn}T05:00:00+01:00"
        )
        fields = invalid(api("POST", "events", token=token, json=payload, headers=EN))
        assert fields == {
            "starts_at": ["This time happens twice: the clocks go back then. Choose another time."]
        }
    assert _count(db_session) == before
    payload = event_payload(
        school.id, starts_at=f"{spring}T01:30:00+00:00", ends_at=f"{spring}T03:30:00+02:00"
    )
    created = body(api("POST", "events", token=token, json=payload), 201)
    assert datetime.fromisoformat(created["starts_at"]) == datetime(
        NEXT_YEAR, 3, spring.day, 1, 30, tzinfo=UTC
    )
    assert created["timezone"] == "Europe/Oslo"
