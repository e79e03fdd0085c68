"""Activities ("events" in the API): the calendar, recording, editing, cancelling."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.activities import operations as activities
from app.activities import queries as activity_queries
from app.activities.api.reports import PARTICIPANT_COUNTS, PARTICIPANTS, report
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.forms import ActivityForm, RetractForm
from app.activities.loaders import load_activity, load_session_match
from app.activities.models import Activity
from app.activities.operations import ActivityConflict
from app.core.api import bp
from app.core.api.shell import (
    Invalid,
    an_id,
    bind,
    created,
    cursor,
    json_body,
    listing,
    per_page,
    refuse_unknown,
    signed_in,
)
from app.core.api.spec import form_schema, operation, query, schema
from app.core.api.spec import listing as list_schema
from app.core.extensions import db
from app.core.safety import MAX_ID, query_choice
from app.core.timezones import to_local
from app.geography.models import Country, Region
from app.mission.models import PILLAR_CODES
from app.schools.loaders import load_school

TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
FORM_FIELDS = ["type", "title", "description", "starts_at", "ends_at", "mode", "location",
               "online_url", "languages", "audience", "visibility", "pillars"]  # fmt: skip
REPORT_FIELDS = {"status", "participants", "reached_school_ids", "reached_names"}
READ_ONLY = {"id", "country", "region", "timezone", "created_at", "updated_at"}
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


# The calendar -----------------------------------------------------------------------


def _day(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        abort(400, description=_("Give dates as YYYY-MM-DD between 2000 and 2100."))
    return day


def _filters() -> activity_queries.ActivityFilters:
    country = query_choice("country", set(db.session.scalars(select(Country.code))))
    region = request.args.get("region") or None
    region_row = db.session.get(Region, region) if region else None
    if region and (region_row is None or country not in (None, region_row.country_code)):
        abort(400, description=_("That filter value is not available."))  # or not in `country`
    school = request.args.get("school") or None
    if school is not None and not (school.isdigit() and int(school) <= MAX_ID):
        abort(400, description=_("That filter value is not available."))
    zone_country = country or (region_row.country_code if region_row else None)
    zone = db.session.get(Country, zone_country).timezone if zone_country else "UTC"
    return activity_queries.ActivityFilters(
        country=country,
        region=region,
        school_id=int(school) if school else None,
        type=query_choice("type", {kind.value for kind in ActivityType}),
        pillar=query_choice("pillar", set(PILLAR_CODES)),
        status=query_choice("status", {status.value for status in ActivityStatus}),
        date_from=_day("from"),
        date_to=_day("to"),
        include_network=policy.in_network(current_user),
        timezone=zone,
    )


@bp.get("/events")
@operation(
    "/events",
    "get",
    "Activities in date order: public ones, and network-only ones for signed-in members",
    "Events",
    list_schema(EVENT),
    params=[
        query("country", "Country code, e.g. TR"),
        query("region", "Region code, e.g. TR-34"),
        query("school", "School id", pattern="^[0-9]+$"),
        query("type", "Type of activity", enum=[kind.value for kind in ActivityType]),
        query("pillar", "Pillar code", enum=list(PILLAR_CODES)),
        query("status", "Status", enum=[status.value for status in ActivityStatus]),
        query("from", "First day (local to the country)", format="date"),
        query("to", "Last day (local to the country)", format="date"),
        query("after", "Cursor from the previous page's `next`"),
        query("limit", "Page size", type="integer", minimum=1, maximum=100),
    ],
)
def list_events():
    filters = _filters()
    page = activity_queries.page(filters, cursor(), per_page())
    return jsonify(listing(page, render))


@bp.get("/events/<int:activity_id>")
@operation("/events/<int:activity_id>", "get", "One activity", "Events", EVENT)
def get_event(activity_id: int):
    return jsonify(render(load_activity(activity_id)))


# Writes ------------------------------------------------------------------------------


def _local(value, zone: str, name: str) -> str:
    """An ISO 8601 instant with offset, as the form's local time in the school's zone."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid(
            {name: [_("Give a date and time with its offset, e.g. 2026-05-04T10:00:00+03:00.")]}
        )
    if moment.second or moment.microsecond:
        raise Invalid({name: [_("Times are kept to the minute: leave out the seconds.")]})
    return to_local(moment.astimezone(UTC), zone).strftime("%Y-%m-%dT%H:%M")


def _activity_form(values: dict, zone: str) -> ActivityForm:
    values = dict(values)
    for name in ("starts_at", "ends_at"):
        if values.get(name) is not None:
            values[name] = _local(values[name], zone, name)
    return bind(ActivityForm, values, timezone=zone)


def _body_schema(required: bool):
    def build() -> dict:
        form = ActivityForm(formdata=None, meta={"csrf": False}, timezone="UTC")
        extra = {
            "version": {"type": "integer", "description": "The version you edited"},
            "status": {"type": "string", "enum": [status.value for status in ActivityStatus]},
            "participants": PARTICIPANT_COUNTS,
            "reached_school_ids": {"type": "array", "items": {"type": "integer"}},
            "reached_names": {
                "type": "array",
                "items": {"type": "string", "maxLength": 200},
                "maxItems": 200,
                "description": "Schools reached, by name; a name that is one registered school "
                "of the country is linked to it, as on the report page",
            },
        }
        if required:
            extra = {
                "school_id": {"type": "integer"},
                "status": {"type": "string", "enum": ["planned"]},
                "match_id": {
                    "type": "integer",
                    "description": "A session of this accepted or running mentoring (its type "
                    "is then mentoring_session); the first one starts the mentoring",
                },
            }
        overrides = {"starts_at": INSTANT, "ends_at": INSTANT}
        needed = ["school_id", "type", "title", "starts_at", "ends_at", "pillars"]
        return form_schema(
            form, FORM_FIELDS, overrides=overrides, extra=extra, required=needed if required else []
        )

    return build


@bp.post("/events")
@operation(
    "/events",
    "post",
    "Record a planned activity of a school",
    "Events",
    EVENT,
    status=201,
    body=_body_schema(required=True),
    errors=(404,),
    auth=True,
)
def create_event():
    signed_in()
    payload = json_body()
    refuse_unknown(
        payload, {*FORM_FIELDS, "school_id", "status", "match_id"}, READ_ONLY | REPORT_FIELDS
    )
    if payload.get("status", "planned") != "planned":
        raise Invalid({"status": [_("A new activity is planned; report it once it has started.")]})
    school = load_school(an_id(payload, "school_id"))
    policy.require(policy.can_log_activity(current_user, school))
    match = load_session_match(
        school, an_id(payload, "match_id") if "match_id" in payload else None
    )
    values = {name: payload[name] for name in FORM_FIELDS if name in payload}
    if match is not None:
        values["type"] = ActivityType.MENTORING_SESSION.value  # a session of this mentoring
    form = _activity_form(values, school.timezone)
    activity = activities.create_activity(school, form.to_data(), current_user, match)
    location = url_for("api.get_event", activity_id=activity.id, _external=True)
    return created(render(activity), location)


@bp.patch("/events/<int:activity_id>")
@operation(
    "/events/<int:activity_id>",
    "patch",
    "Change a planned activity, cancel it, or report it held with its participants",
    "Events",
    EVENT,
    body=_body_schema(required=False),
    errors=(409,),
    auth=True,
)
def edit_event(activity_id: int):
    signed_in()
    activity = load_activity(activity_id)
    policy.require(policy.can_edit_activity(current_user, activity))
    payload = json_body()
    refuse_unknown(payload, {*FORM_FIELDS, "version", *REPORT_FIELDS}, READ_ONLY | {"school_id"})
    changes = {name: payload[name] for name in FORM_FIELDS if name in payload}
    status = payload.get("status", activity.status.value)
    if not isinstance(status, str) or status not in {s.value for s in ActivityStatus}:
        raise Invalid({"status": [_("Not a valid choice.")]})
    if changes:
        _update(activity, changes, payload.get("version", activity.version))
    if status == "cancelled" and activity.status is not ActivityStatus.CANCELLED:
        _cancel(activity)
    elif status == "held" or (REPORT_FIELDS - {"status"}) & set(payload):
        report(activity, payload)
    elif status != activity.status.value:
        abort(409, description=_("To take back the report of a held activity, retract it."))
    return jsonify(render(activity))


def _update(activity: Activity, changes: dict, version) -> None:
    if activity.status is not ActivityStatus.PLANNED:
        abort(409, description=_("Held and cancelled activities can no longer be edited."))
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid({"version": [_("Give the version you edited, a whole number.")]})
    current = {
        name: value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, datetime) else value
        for name, value in ActivityForm.values_of(activity).items()
        if name in FORM_FIELDS
    }
    for name in ("starts_at", "ends_at"):
        if name in changes and changes[name] is not None:
            changes[name] = _local(changes[name], activity.timezone, name)
    form = bind(ActivityForm, {**current, **changes}, timezone=activity.timezone)
    try:
        activities.update_activity(activity, form.to_data(), current_user, version)
    except ActivityConflict:
        abort(
            409, description=_("Someone else changed this activity since version %(v)s.", v=version)
        )


def _cancel(activity: Activity) -> None:
    activities.cancel_activity(activity, current_user)


@bp.delete("/events/<int:activity_id>")
@operation(
    "/events/<int:activity_id>",
    "delete",
    "Cancel a planned activity (activities are kept, shown as cancelled)",
    "Events",
    EVENT,
    errors=(409,),
    auth=True,
)
def cancel_event(activity_id: int):
    signed_in()
    activity = load_activity(activity_id)
    policy.require(policy.can_edit_activity(current_user, activity))
    _cancel(activity)
    return jsonify(render(activity))


@bp.post("/events/<int:activity_id>/retract")
@operation(
    "/events/<int:activity_id>/retract",
    "post",
    "Retract the report of a held activity reported by mistake: it is planned again, its "
    "participants and schools reached are cleared and it no longer counts on dashboards",
    "Events",
    EVENT,
    body=lambda: form_schema(
        RetractForm(formdata=None, meta={"csrf": False}), ["reason"], required=["reason"]
    ),
    errors=(409,),
    auth=True,
)
def retract_event(activity_id: int):
    signed_in()
    activity = load_activity(activity_id)
    policy.require(policy.can_retract_report(current_user, activity))
    payload = json_body()
    refuse_unknown(payload, {"reason"})
    form = bind(RetractForm, payload)
    activities.retract_report(activity, form.reason.data, current_user)
    return jsonify(render(activity))
