"""Registrations in the JSON API: anyone registers where the activity allows it; the
organisers list them and record the attendance; the registrant's token changes or
cancels. The same operations as the pages."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _

from app.activities.loaders import load_activity
from app.core.api import bp
from app.core.api.shell import (
    Invalid,
    an_id,
    bind,
    created,
    iso,
    json_body,
    refuse_unknown,
    signed_in,
)
from app.core.api.spec import AN_ID, form_schema, operation, schema
from app.core.api.spec import listing as list_schema
from app.core.extensions import db
from app.core.i18n import current_locale
from app.registrations import operations as registrations
from app.registrations import queries
from app.registrations.attendance import (
    NotOnTheDay,
    WalkIn,
    add_walk_in,
    attendance,
    can_check_in,
    mark_present,
)
from app.registrations.enums import RegistrationStatus
from app.registrations.forms import ChangeForm, RegisterForm, WalkInForm
from app.registrations.loaders import load_by_token, load_organised, signed_in_as
from app.registrations.models import Registration
from app.registrations.operations import Closed
from app.registrations.places import is_open, position
from app.schools.enums import SchoolStatus
from app.schools.models import School

REGION = {
    "type": ["string", "null"],
    "pattern": "^([A-Z]{2}-[A-Z0-9]{1,3})?$",
    "description": "ISO 3166-2 code of the school's region; needed for a school not registered "
    "(empty or null otherwise)",
}
PLACE = schema(
    "RegistrationPlace",
    {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": [status.value for status in RegistrationStatus]},
        "position": {
            "type": ["integer", "null"],
            "description": "The place on the waiting list, from 1; null when not on it",
        },
        "people": {"type": "integer"},
    },
)
REGISTRATION = schema(
    "Registration",
    {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": [status.value for status in RegistrationStatus]},
        "position": {"type": ["integer", "null"]},
        "name": {"type": "string", "description": "Empty once anonymised"},
        "email": {"type": "string", "description": "Empty once anonymised, and for walk-ins"},
        "school_id": {"type": ["integer", "null"]},
        "school_name": {"type": ["string", "null"], "description": "A school not registered"},
        "region": {"type": ["string", "null"]},
        "people": {"type": "integer"},
        "attended": {
            "type": ["integer", "null"],
            "description": "People present at the check-in; null until it is recorded",
        },
        "walk_in": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
    },
)
ATTENDANCE = schema(
    "Attendance",
    {
        "people": {"type": "integer", "description": "People present"},
        "school_ids": {"type": "array", "items": {"type": "integer"}},
        "school_names": {"type": "array", "items": {"type": "string"}},
    },
)


def _place(registration: Registration) -> dict:
    return {
        "id": registration.id,
        "status": registration.status.value,
        "position": position(registration),
        "people": registration.people,
    }


def _row(registration: Registration, position: int | None) -> dict:
    return {
        "id": registration.id,
        "status": registration.status.value,
        "position": position,
        "name": registration.name,
        "email": registration.email,
        "school_id": registration.school_id,
        "school_name": registration.school_name,
        "region": registration.region_code,
        "people": registration.people,
        "attended": registration.attended,
        "walk_in": registration.walk_in,
        "created_at": iso(registration.created_at),
    }


def _school(payload: dict) -> School | None:
    """The registered school a body names by id (422 when there is no such school)."""
    if payload.get("school_id") is None:
        return None
    school = db.session.get(School, an_id(payload, "school_id"))
    if school is None or school.status is not SchoolStatus.VERIFIED:
        raise Invalid({"school_id": [_("Give the id of a registered school.")]})
    return school


def _register_body() -> dict:
    form = RegisterForm(formdata=None, meta={"csrf": False}, activity=None)
    return form_schema(
        form,
        ["name", "email", "people"],
        extra={
            "school_id": {**AN_ID, "description": "A registered school (or give school_name)"},
            "school_name": {
                "type": "string",
                "maxLength": 200,
                "description": "A school by its name: the registered one of that name, or one "
                "not registered yet (then give its region)",
            },
            "region": REGION,
        },
        required=["name", "email"],
    )


@bp.post("/events/<int:activity_id>/registrations")
@operation(
    "/events/<int:activity_id>/registrations",
    "post",
    "Register to come to an activity (no token needed): the place counts once the address is "
    "confirmed by the link mailed to it, at once for a signed-in user's confirmed address",
    "Registrations",
    PLACE,
    status=201,
    body=_register_body,
    errors=(404, 409),
)
def register(activity_id: int):
    activity = load_activity(activity_id)
    if not is_open(activity):
        raise Closed
    payload = json_body()
    refuse_unknown(payload, {"name", "email", "people", "school_id", "school_name", "region"})
    school = _school(payload)
    if school is None and not payload.get("school_name"):
        raise Invalid({"school_name": [_("Give school_id or school_name.")]})
    values = {name: payload.get(name) for name in ("name", "email", "people", "region")}
    values["people"] = values["people"] if values["people"] is not None else 1
    # A name sent beside school_id is checked like any other (the id decides the school).
    values["school_name"] = payload.get("school_name") or (school.name if school else None)
    form = bind(RegisterForm, values, sent=payload, activity=activity, school=school)
    verified = signed_in_as(form.email.data)
    registration = registrations.register(
        activity, form.to_data(), current_locale(), verified=verified
    )
    location = url_for("api.list_registrations", activity_id=activity.id, _external=True)
    return created(_place(registration), location)


@bp.get("/events/<int:activity_id>/registrations")
@operation(
    "/events/<int:activity_id>/registrations",
    "get",
    "The registrations of an activity, places first, then the waiting list in its order "
    "(the organising school's staff and its coordinators only)",
    "Registrations",
    list_schema(REGISTRATION, paged=False),
    errors=(403, 404),
    auth=True,
)
def list_registrations(activity_id: int):
    signed_in()
    activity = load_organised(activity_id)
    items, waiting = [], 0
    for row in queries.for_activity(activity.id):
        waiting += row.status is RegistrationStatus.WAITLISTED
        position = waiting if row.status is RegistrationStatus.WAITLISTED else None
        items.append(_row(row, position))
    return jsonify({"items": items, "next": None})


@bp.patch("/registrations/<token>")
@operation(
    "/registrations/<token>",
    "patch",
    "Change the number of people, by the token of the registrant's mails",
    "Registrations",
    PLACE,
    body=lambda: form_schema(ChangeForm(formdata=None, meta={"csrf": False}), ["people"]),
    errors=(404, 409),
)
def change_registration(token: str):
    registration = load_by_token(token)
    payload = json_body()
    refuse_unknown(payload, {"people"})
    form = bind(ChangeForm, payload)
    registrations.change_people(registration, form.people.data)
    return jsonify(_place(registration))


@bp.post("/registrations/<token>/cancel")
@operation(
    "/registrations/<token>/cancel",
    "post",
    "Cancel, by the token of the registrant's mails: the place goes to the waiting list",
    "Registrations",
    PLACE,
    errors=(404,),
)
def cancel_registration(token: str):
    registration = load_by_token(token)
    registrations.cancel(registration)
    return jsonify(_place(registration))


WALK_IN = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
        "people": {"type": "integer", "minimum": 1, "maximum": 50},
        "school_id": AN_ID,
        "school_name": {"type": "string", "maxLength": 200},
        "region": REGION,
    },
    "required": ["name"],
    "additionalProperties": False,
}


@bp.post("/events/<int:activity_id>/attendance")
@operation(
    "/events/<int:activity_id>/attendance",
    "post",
    "Record who came (from the activity's day until it is reported): the registrations "
    "present, the others absent, and walk-ins added; the report then takes its participants "
    "and schools reached from it",
    "Registrations",
    ATTENDANCE,
    body={
        "type": "object",
        "properties": {
            "present": {"type": "array", "items": AN_ID, "maxItems": 1000},
            "walk_ins": {"type": "array", "items": WALK_IN, "maxItems": 200},
        },
        "required": [],
        "additionalProperties": False,
    },
    errors=(403, 404, 409),
    auth=True,
)
def record_attendance(activity_id: int):
    signed_in()
    activity = load_organised(activity_id)
    if not can_check_in(activity):
        raise NotOnTheDay
    payload = json_body()
    refuse_unknown(payload, {"present", "walk_ins"})
    present, walk_ins = payload.get("present", []), payload.get("walk_ins", [])
    if not isinstance(present, list) or not isinstance(walk_ins, list):
        raise Invalid(
            {"present" if not isinstance(present, list) else "walk_ins": [_("Give a list.")]}
        )
    ids = {an_id({"present": value}, "present") for value in present}
    people = [_walk_in(activity, value) for value in walk_ins]
    if "present" in payload:
        mark_present(activity, ids)
    for walk_in in people:
        add_walk_in(activity, walk_in)
    result = attendance(activity.id)
    return jsonify(
        {
            "people": result.people if result else 0,
            "school_ids": result.school_ids if result else [],
            "school_names": result.school_names if result else [],
        }
    )


def _walk_in(activity, value) -> WalkIn:
    if not isinstance(value, dict):
        raise Invalid({"walk_ins": [_("Give a list of objects.")]})
    refuse_unknown(value, {"name", "people", "school_id", "school_name", "region"})
    school = _school(value)
    values = {
        "name": value.get("name"),
        "people": value.get("people") if value.get("people") is not None else 1,
        "school_name": value.get("school_name") or (school.name if school else None),
        "region": value.get("region"),
    }
    form = bind(WalkInForm, values, sent=value, activity=activity, school=school)
    return WalkIn(name=form.name.data, people=form.people.data, **form.school_data())
