"""Recording, editing, reporting and cancelling activities through the API."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.activities import operations as activities
from app.activities.api.reports import report
from app.activities.api.schemas import (
    EVENT,
    FORM_FIELDS,
    INSTANTS,
    READ_ONLY,
    REPORT_FIELDS,
    RFC_3339,
    body_schema,
    render,
)
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.forms import EARLIEST_YEAR, YEARS_AHEAD, ActivityForm, RetractForm
from app.activities.loaders import load_activity, load_session_match
from app.activities.models import Activity
from app.activities.operations import ActivityConflict
from app.core.api import bp
from app.core.api.shell import (
    Invalid,
    an_id,
    bind,
    created,
    json_body,
    refuse_unknown,
    signed_in,
)
from app.core.api.spec import form_schema, operation
from app.core.timezones import to_local
from app.schools.loaders import load_school

# Writes ------------------------------------------------------------------------------


def _local(value, zone: str, name: str) -> str:
    """An RFC 3339 instant, as the form's local time in the school's zone.

    Activities are planned to the minute, as on the page: seconds and fractions are
    accepted (clients such as JavaScript's ``toISOString`` always send them) and dropped,
    so ``07:30:59.999Z`` is kept as 07:30 UTC. What is kept is what reads back.
    """
    found = RFC_3339.fullmatch(value) if isinstance(value, str) else None
    moment = None
    if found:
        day, clock, offset = found.group("day", "clock", "offset")
        offset = "+00:00" if offset in ("Z", "z") else offset
        try:  # a leap second (:60) is within its minute like every other second
            moment = datetime.fromisoformat(f"{day}T{clock}:00{offset}").astimezone(UTC)
        except (ValueError, OverflowError):
            moment = None
    if moment is None:
        raise Invalid(
            {name: [_("Give a date and time with its offset, e.g. 2026-05-04T10:00:00+03:00.")]}
        )
    try:
        return to_local(moment, zone).strftime("%Y-%m-%dT%H:%M")
    except OverflowError:  # the year 1 or 9999 in the school's zone
        last = datetime.now(UTC).year + YEARS_AHEAD
        message = _("Choose a date between %(first)s and %(last)s.", first=EARLIEST_YEAR, last=last)
        raise Invalid({name: [message]}) from None


def _check_timezone(payload: dict, zone: str) -> None:
    """``timezone`` may be sent back as read, but an activity keeps its school's zone."""
    if "timezone" in payload and payload["timezone"] != zone:
        raise Invalid(
            {"timezone": [_("An activity is in its school's time zone, %(zone)s.", zone=zone)]}
        )


def _activity_form(values: dict, zone: str) -> ActivityForm:
    values = dict(values)
    for name in INSTANTS:
        if values.get(name) is not None:
            values[name] = _local(values[name], zone, name)
    return bind(ActivityForm, values, timezone=zone)


@bp.post("/events")
@operation(
    "/events",
    "post",
    "Record a planned activity of a school",
    "Events",
    EVENT,
    status=201,
    body=body_schema(required=True),
    errors=(404,),
    auth=True,
)
def create_event():
    signed_in()
    payload = json_body()
    refuse_unknown(
        payload,
        {*FORM_FIELDS, "school_id", "status", "match_id", "timezone"},
        READ_ONLY | (REPORT_FIELDS - {"status"}),  # a new activity may say it is planned
    )
    if payload.get("status", "planned") != "planned":
        raise Invalid({"status": [_("A new activity is planned; report it once it has started.")]})
    school = load_school(an_id(payload, "school_id"))
    policy.require(policy.can_log_activity(current_user, school))
    _check_timezone(payload, school.timezone)
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
    body=body_schema(required=False),
    errors=(409,),
    auth=True,
)
def edit_event(activity_id: int):
    signed_in()
    activity = load_activity(activity_id)
    policy.require(policy.can_edit_activity(current_user, activity))
    payload = json_body()
    refuse_unknown(
        payload, {*FORM_FIELDS, "version", "timezone", *REPORT_FIELDS}, READ_ONLY | {"school_id"}
    )
    _check_timezone(payload, activity.timezone)
    changes = {name: payload[name] for name in FORM_FIELDS if name in payload}
    status = payload.get("status", activity.status.value)
    if not isinstance(status, str) or status not in {s.value for s in ActivityStatus}:
        raise Invalid({"status": [_("Not a valid choice.")]})
    version = payload.get("version", activity.version)
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid({"version": [_("Give the version you edited, a whole number.")]})
    if changes:
        _update(activity, changes, version)
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
    current = {
        name: value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, datetime) else value
        for name, value in ActivityForm.values_of(activity).items()
        if name in FORM_FIELDS
    }
    for name in INSTANTS:
        if name in changes and changes[name] is not None:
            changes[name] = _local(changes[name], activity.timezone, name)
    form = bind(ActivityForm, {**current, **changes}, sent=changes, timezone=activity.timezone)
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
