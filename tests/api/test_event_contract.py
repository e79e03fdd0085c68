"""What the OpenAPI document says of an activity's body is what the server does: RFC 3339
times with seconds and fractions (kept to the minute), ``status`` and ``timezone`` on
create, the minimal body the document allows, and the conditional rules of the mode."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.activities.models import Activity
from tests.api.helpers import NEXT_YEAR, body, event_payload, invalid

jsonschema = pytest.importorskip("jsonschema")
EN = {"Accept-Language": "en"}
DAY = f"{NEXT_YEAR}-05-04"
ABSENT = object()  # a property left out of the body


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Activity))


def _stored(session, activity_id: int) -> Activity:
    session.expire_all()
    return session.get(Activity, activity_id)


@pytest.fixture
def create_schema(api) -> dict:
    document = body(api("GET", "openapi.json"))
    operation = document["paths"]["/events"]["post"]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def _accepts(schema: dict, instance: dict) -> bool:
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return checker.is_valid(instance)


# Times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        f"{DAY}T07:30:00Z",
        f"{DAY}T07:30:00.000Z",
        f"{DAY}T10:30:00+03:00",
        f"{DAY}t07:30:00z",  # RFC 3339 allows lower case
        f"{DAY}T09:30:00.123456+02:00",
    ],
)
def test_rfc_3339_times_are_accepted_and_read_back_equal(
    api, member, db_session, create_schema, written
):
    payload = event_payload(member.school_id, starts_at=written, ends_at=f"{DAY}T12:00:00Z")
    assert _accepts(create_schema, payload)
    created = body(api("POST", "events", token=member.token, json=payload), 201)
    expected = datetime(NEXT_YEAR, 5, 4, 7, 30, tzinfo=UTC)
    assert datetime.fromisoformat(created["starts_at"]) == expected
    read = body(api("GET", f"events/{created['id']}", token=member.token))
    assert datetime.fromisoformat(read["starts_at"]) == expected
    stored = _stored(db_session, created["id"]).starts_at
    assert stored.replace(tzinfo=stored.tzinfo or UTC) == expected


def test_seconds_and_fractions_are_dropped_to_the_minute(api, member, db_session):
    payload = event_payload(
        member.school_id, starts_at=f"{DAY}T07:30:59.999Z", ends_at=f"{DAY}T09:00:60Z"
    )
    created = body(api("POST", "events", token=member.token, json=payload), 201)
    assert created["starts_at"] == f"{DAY}T07:30:00+00:00"
    assert created["ends_at"] == f"{DAY}T09:00:00+00:00"  # a leap second stays in its minute
    patched = body(
        api(
            "PATCH",
            f"events/{created['id']}",
            token=member.token,
            json={"starts_at": f"{DAY}T11:15:42.5+03:00", "version": created["version"]},
        )
    )
    assert patched["starts_at"] == f"{DAY}T08:15:00+00:00"
    stored = _stored(db_session, created["id"])
    assert (stored.starts_at.minute, stored.starts_at.second) == (15, 0)


@pytest.mark.parametrize(
    "written",
    [
        f"{DAY}T10:00+03:00",  # no seconds: ISO 8601, not RFC 3339
        f"{DAY}T10:00:00",  # no offset
        f"{DAY} 10:00:00+03:00",
        f"{NEXT_YEAR}0504T100000Z",
        f"{DAY}T24:00:00Z",
        f"{DAY}T10:00:00+25:00",
        "0001-01-01T00:00:00+05:00",  # before the year 1 in UTC
        "9999-12-31T23:59:59-05:00",  # after the year 9999 in UTC
        "9999-12-31T23:59:59Z",  # after the year 9999 in Istanbul
        "",
    ],
)
def test_other_time_forms_are_refused_naming_the_field(api, member, db_session, written):
    before = _count(db_session)
    payload = event_payload(member.school_id, starts_at=written)
    fields = invalid(api("POST", "events", token=member.token, json=payload, headers=EN))
    assert set(fields) == {"starts_at"}
    assert _count(db_session) == before


# status and timezone on create ---------------------------------------------------------


def test_a_new_activity_may_say_it_is_planned_and_in_its_schools_zone(api, member, db_session):
    payload = event_payload(member.school_id, status="planned", timezone="Europe/Istanbul")
    created = body(api("POST", "events", token=member.token, json=payload), 201)
    assert (created["status"], created["timezone"]) == ("planned", "Europe/Istanbul")
    stored = _stored(db_session, created["id"])
    assert (stored.status.value, stored.timezone) == ("planned", "Europe/Istanbul")
    # What was read can be sent back as it is.
    again = {key: created[key] for key in ("title", "timezone", "version")}
    body(api("PATCH", f"events/{created['id']}", token=member.token, json=again))


@pytest.mark.parametrize("zone", ["Europe/Oslo", "UTC", "Mars/Olympus", 3])
def test_another_time_zone_is_refused(api, member, db_session, zone):
    before = _count(db_session)
    payload = event_payload(member.school_id, timezone=zone)
    fields = invalid(api("POST", "events", token=member.token, json=payload, headers=EN))
    assert fields == {"timezone": ["An activity is in its school's time zone, Europe/Istanbul."]}
    assert _count(db_session) == before


# The body the document allows ----------------------------------------------------------


def _example(schema: dict, school_id: int):
    """A value of ``schema``: the first choice, the smallest list, a plain text."""
    if "enum" in schema:
        return schema["enum"][0]
    kinds = schema.get("type", "string")
    kind = kinds[0] if isinstance(kinds, list) else kinds
    if schema.get("format") == "date-time":
        return f"{DAY}T10:00:00+03:00"
    if kind == "integer":
        return school_id
    if kind == "array":
        return [_example(schema["items"], school_id)] * schema.get("minItems", 0)
    return "Open day"


def _minimal(schema: dict, school_id: int) -> dict:
    """The required properties, then whatever the document's conditions still require."""
    instance = {
        name: _example(schema["properties"][name], school_id) for name in schema["required"]
    }
    checker = jsonschema.Draft202012Validator(schema)
    for _round in range(5):
        missing = [e for e in checker.iter_errors(instance) if e.validator == "required"]
        if not missing:
            break
        for problem in missing:
            name = problem.message.split("'")[1]
            instance[name] = _example(schema["properties"][name], school_id)
    return instance


def test_the_minimal_body_the_document_allows_is_accepted(api, member, db_session, create_schema):
    payload = _minimal(create_schema, member.school_id)
    assert _accepts(create_schema, payload)
    assert set(payload) == {"school_id", "type", "title", "starts_at", "ends_at", "pillars",
                            "location"}  # fmt: skip
    created = body(api("POST", "events", token=member.token, json=payload), 201)
    stored = _stored(db_session, created["id"])
    assert (stored.title, stored.mode.value, stored.location) == ("Open day", "in_person",
                                                                  "Open day")  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"location": ABSENT}, "location"),  # in person (the default mode) without a place
        ({"mode": "hybrid", "location": "  "}, "location"),
        ({"mode": "online", "location": ABSENT}, "online_url"),
        ({"mode": "hybrid", "online_url": ""}, "online_url"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "ftp://meet.example/x"}, "online_url"),
        ({"title": "   "}, "title"),
        ({"title": 42}, "title"),
        ({"pillars": []}, "pillars"),
        ({"pillars": "collaboration"}, "pillars"),
        ({"languages": [7]}, "languages"),
        ({"description": "x" * 5001}, "description"),
        ({"school_id": 0}, "school_id"),
        ({"match_id": "1"}, "match_id"),
        ({"status": "held"}, "status"),
        ({"visibility": None}, "visibility"),
    ],
)
def test_a_body_the_document_refuses_is_refused_naming_the_field(
    api, member, db_session, create_schema, changes, field
):
    payload = {**_minimal(create_schema, member.school_id), **changes}
    payload = {name: value for name, value in payload.items() if value is not ABSENT}
    assert not _accepts(create_schema, payload)
    before = _count(db_session)
    fields = invalid(api("POST", "events", token=member.token, json=payload, headers=EN))
    assert field in fields
    assert _count(db_session) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"mode": "online", "online_url": "https://meet.example/x"},
        {"description": None, "languages": None, "audience": []},
        {"online_url": "   "},
        {"online_url": "meet.example/x"},  # taken as https://meet.example/x
        {"pillars": ["collaboration", "collaboration"]},
    ],
)
def test_a_body_the_document_allows_is_accepted(api, member, db_session, create_schema, changes):
    payload = {**copy.deepcopy(_minimal(create_schema, member.school_id)), **changes}
    if changes.get("mode") == "online":
        del payload["location"]
    assert _accepts(create_schema, payload)
    created = body(api("POST", "events", token=member.token, json=payload), 201)
    assert _stored(db_session, created["id"]) is not None
