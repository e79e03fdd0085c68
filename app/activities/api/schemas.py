"""What the events API reads and writes: the Event schema, how an activity is rendered, and
the bodies of POST and PATCH (every rule the server enforces, stated in the document)."""

from __future__ import annotations

import re

from app.activities import operations as activities
from app.activities.api.reports import COUNT, PARTICIPANT_COUNTS, PARTICIPANTS
from app.activities.enums import ActivityStatus, ActivityType, RegistrationMode
from app.activities.forms import ActivityForm
from app.activities.models import Activity
from app.core.api.spec import (
    AN_ID,
    NOT_BLANK,
    URL_OR_BLANK,
    at_least_one,
    field_schema,
    form_schema,
    schema,
)

TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
FORM_FIELDS = ["type", "title", "description", "starts_at", "ends_at", "mode", "location",
               "online_url", "languages", "audience", "visibility", "pillars", "registration",
               "capacity", "registration_closes_at"]  # fmt: skip
#: The instants of a body, sent in RFC 3339 and kept as the school's local time.
INSTANTS = ("starts_at", "ends_at", "registration_closes_at")
REPORT_FIELDS = {"status", "participants", "reached_school_ids", "reached_names"}
READ_ONLY = {"id", "country", "region", "created_at", "updated_at"}
#: RFC 3339 date-time: seconds required, fractions allowed, Z or an offset.
RFC_3339 = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?P<clock>[0-2][0-9]:[0-5][0-9])"
    r":(?:[0-5][0-9]|60)(?:\.[0-9]+)?(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
INSTANT = {"type": "string", "format": "date-time", "description": "ISO 8601 with offset"}
EVENT = schema(
    "Event",
    {
        "id": {"type": "integer"},
        "school_id": {"type": "integer"},
        "country": TEXT,
        "region": TEXT,
        "type": {"type": "string", "enum": [kind.value for kind in ActivityType]},
        "title": TEXT,
        "description": TEXT,
        "starts_at": INSTANT,
        "ends_at": INSTANT,
        "timezone": {**TEXT, "description": "The school's time zone"},
        "mode": TEXT,
        "location": TEXT,
        "online_url": TEXT,
        "languages": TEXTS,
        "audience": TEXTS,
        "visibility": TEXT,
        "status": {"type": "string", "enum": [status.value for status in ActivityStatus]},
        "pillars": TEXTS,
        "registration": {
            "type": "string",
            "enum": [mode.value for mode in RegistrationMode],
            "description": "Who may register to come: nobody, everyone, registered schools",
        },
        "capacity": {"type": ["integer", "null"], "description": "Places (people); null: no limit"},
        "registration_closes_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "null: registration closes when the activity starts",
        },
        "participants": {
            "oneOf": [{"type": "null"}, {**PARTICIPANT_COUNTS, "required": list(PARTICIPANTS)}]
        },
        "reached_school_ids": {"type": "array", "items": {"type": "integer"}},
        "reached_names": TEXTS,
        "version": {"type": "integer", "description": "Send it back with PATCH to detect edits"},
    },
)


def render(activity: Activity) -> dict:
    held = activity.status is ActivityStatus.HELD
    return {
        "id": activity.id,
        "school_id": activity.school_id,
        "country": activity.country_code,
        "region": activity.region_code,
        **activities.snapshot(activity),
        "timezone": activity.timezone,
        "status": activity.status.value,
        "participants": (
            {name: getattr(activity, column) or 0 for name, column in PARTICIPANTS.items()}
            if held
            else None
        ),
        "reached_school_ids": sorted(row.school_id for row in activity.reached if row.school_id),
        "reached_names": [row.school_name for row in activity.reached if row.school_name],
        "version": activity.version,
    }


SENT_INSTANT = {
    "type": "string",
    "format": "date-time",
    "description": "RFC 3339 with Z or an offset, e.g. 2026-05-04T10:30:00+03:00, in the years "
    "2000 to five years ahead. Activities are planned to the minute: seconds and fractions are "
    "accepted and dropped (07:30:59.999Z is kept as 07:30:00Z).",
}
SENT_TIMEZONE = {
    "type": "string",
    "description": "The school's IANA time zone, as read (e.g. Europe/Istanbul): an activity is "
    "always in its school's zone, so any other value is refused",
}
SENT_COUNTS = {
    **PARTICIPANT_COUNTS,
    "properties": {name: {**COUNT, "type": ["integer", "null"]} for name in PARTICIPANTS},
}
NOT_BLANK_TEXT = {"type": "string", **NOT_BLANK}
#: The rules of the mode (mode itself defaults to in_person on create).
IN_PERSON_NEEDS_A_PLACE = {
    "if": {"properties": {"mode": {"const": "online"}}, "required": ["mode"]},
    "else": {"required": ["location"], "properties": {"location": NOT_BLANK_TEXT}},
}
ONLINE_NEEDS_A_LINK = {
    "if": {"properties": {"mode": {"enum": ["online", "hybrid"]}}, "required": ["mode"]},
    "then": {"required": ["online_url"], "properties": {"online_url": NOT_BLANK_TEXT}},
}
#: On PATCH the other values are the stored ones; these hold when mode and the field are sent.
SENT_PLACE = {
    "if": {"properties": {"mode": {"enum": ["in_person", "hybrid"]}}, "required": ["mode"]},
    "then": {"properties": {"location": NOT_BLANK_TEXT}},
}
SENT_LINK = {
    "if": {"properties": {"mode": {"enum": ["online", "hybrid"]}}, "required": ["mode"]},
    "then": {"properties": {"online_url": NOT_BLANK_TEXT}},
}


def body_schema(required: bool):
    def build() -> dict:
        form = ActivityForm(formdata=None, meta={"csrf": False}, timezone="UTC")
        overrides = {
            "starts_at": SENT_INSTANT,
            "ends_at": {
                **SENT_INSTANT,
                "description": "Not before starts_at. " + SENT_INSTANT["description"],
            },
            "pillars": at_least_one(form.pillars),
            "registration_closes_at": {
                **SENT_INSTANT,
                "type": ["string", "null"],
                "description": "Not after starts_at; null closes registration at the start. "
                + SENT_INSTANT["description"],
            },
            "online_url": {**field_schema(form.online_url), "pattern": URL_OR_BLANK},
        }
        extra = {
            "timezone": SENT_TIMEZONE,
            "version": {"type": "integer", "description": "The version you edited"},
            "status": {"type": "string", "enum": [status.value for status in ActivityStatus]},
            "participants": SENT_COUNTS,
            "reached_school_ids": {"type": "array", "items": AN_ID, "maxItems": 200},
            "reached_names": {
                "type": "array",
                "items": {"type": "string", "maxLength": 200},
                "maxItems": 200,
                "description": "Schools reached, by name; a name that is one registered school "
                "of the country is linked to it, as on the report page",
            },
        }
        rules = [SENT_PLACE, SENT_LINK]
        if required:
            extra = {
                "timezone": SENT_TIMEZONE,
                "school_id": AN_ID,
                "status": {"type": "string", "enum": ["planned"]},
                "match_id": {
                    **AN_ID,
                    "description": "A session of this accepted or running mentoring (its type "
                    "is then mentoring_session); the first one starts the mentoring",
                },
            }
            rules = [IN_PERSON_NEEDS_A_PLACE, ONLINE_NEEDS_A_LINK]
        needed = ["school_id", "type", "title", "starts_at", "ends_at", "pillars"]
        body = form_schema(
            form,
            FORM_FIELDS,
            overrides=overrides,
            extra=extra,
            required=needed if required else [],
        )
        return {**body, "allOf": rules}

    return build
