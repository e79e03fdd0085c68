"""Reporting a held activity through the API: its participants and the schools it reached."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_login import current_user

from app.activities import operations as activities
from app.activities.forms import ReportForm
from app.activities.models import Activity
from app.core.api.shell import Invalid, bind
from app.core.safety import MAX_ID

PARTICIPANTS = {"teachers": "participants_teachers", "leaders": "participants_leaders",
                "students": "participants_students", "parents": "participants_parents"}  # fmt: skip
COUNT = {"type": "integer", "minimum": 0, "maximum": 100000}
PARTICIPANT_COUNTS = {
    "type": "object",
    "properties": dict.fromkeys(PARTICIPANTS, COUNT),
    "additionalProperties": False,
}


def report(activity: Activity, payload: dict) -> None:
    """Report ``activity`` held with the participants and schools reached of ``payload``."""
    counts = payload.get("participants") or {}
    if not isinstance(counts, dict):
        raise Invalid({"participants": [_("Give the numbers of participants as an object.")]})
    unknown = set(counts) - set(PARTICIPANTS)
    if unknown:
        raise Invalid(
            {"participants": [_("This field is not known.") + f" ({', '.join(sorted(unknown))})"]}
        )
    try:
        form = bind(ReportForm, {PARTICIPANTS[name]: value for name, value in counts.items()})
    except Invalid as problem:  # named as the API calls it, not by the form's columns
        named = {column: name for name, column in PARTICIPANTS.items()}
        found = problem.fields.items()
        messages = [f"{text} ({named[column]})" for column, texts in found for text in texts]
        raise Invalid({"participants": messages}) from None
    ids = _reached(activity, payload.get("reached_school_ids", []))
    participants = {name: form[column].data for name, column in PARTICIPANTS.items()}
    names = _reached_names(activity, payload)
    activities.report_activity(activity, participants, ids, names, current_user, datetime.now(UTC))


def _reached_names(activity: Activity, payload: dict) -> list[str]:
    if "reached_names" not in payload:
        return [row.school_name for row in activity.reached if row.school_name]
    names = payload["reached_names"]
    if not isinstance(names, list) or not all(
        isinstance(name, str) and len(name) <= 200 for name in names
    ):
        raise Invalid({"reached_names": [_("Give a list of school names.")]})
    if len(names) > 200:
        raise Invalid({"reached_names": [_("At most 200 schools.")]})
    return names


def _reached(activity: Activity, ids) -> list[int]:
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID for i in ids
    ):
        raise Invalid({"reached_school_ids": [_("Give a list of school ids.")]})
    if len(ids) > 200:
        raise Invalid({"reached_school_ids": [_("At most 200 schools.")]})
    found, missing = activities.reachable_schools(activity, ids)
    if missing:
        raise Invalid(
            {
                "reached_school_ids": [
                    _(
                        "These are not other verified schools of the country: %(ids)s",
                        ids=", ".join(map(str, missing)),
                    )
                ]
            }
        )
    return found
