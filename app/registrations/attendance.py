"""Who came: check-in on the day (registrants marked present, walk-ins added), and what
the report of the activity takes from it.

Once an activity with a check-in is reported as held, its participants (the people
present, as teachers) and the schools it reached come from the attendance, so the
dashboards count what happened at the door.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.database import utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.timezones import to_local
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration


class NotOnTheDay(Refused):
    reason = _l("Attendance can be recorded from the day of the activity until it is reported.")


@dataclass
class WalkIn:
    name: str
    people: int = 1
    school_id: int | None = None
    school_name: str | None = None
    country_code: str | None = None
    region_code: str | None = None


@dataclass
class Attendance:
    """What the check-in says: people present, and the schools they came from."""

    people: int = 0
    school_ids: list[int] = field(default_factory=list)
    school_names: list[str] = field(default_factory=list)


def can_check_in(activity: Activity, now: datetime | None = None) -> bool:
    """From the activity's first day (in its own time zone) until it is reported."""
    if activity.status is not ActivityStatus.PLANNED:
        return False
    today = to_local(now or utcnow(), activity.timezone).date()
    return today >= to_local(activity.starts_at, activity.timezone).date()


def _require_day(activity: Activity) -> None:
    if not can_check_in(activity):
        raise NotOnTheDay


def mark_present(activity: Activity, present: set[int]) -> None:
    """Mark the registrants with a place who came (the others did not come).

    ``present`` holds registration ids; one that is not this activity's registration with
    a place is refused before anything is written."""
    _require_day(activity)
    rows = db.session.scalars(
        select(Registration).where(
            Registration.activity_id == activity.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.walk_in.is_(False),
        )
    ).all()
    if present - {row.id for row in rows}:
        raise Refused(_l("Only registrations with a place can be marked present."))
    for row in rows:
        row.attended = row.people if row.id in present else 0
    db.session.flush()


def add_walk_in(activity: Activity, walk_in: WalkIn) -> Registration:
    """Someone who came without registering: present, taking no place."""
    _require_day(activity)
    row = Registration(
        activity_id=activity.id,
        status=RegistrationStatus.CONFIRMED,
        walk_in=True,
        name=walk_in.name.strip(),
        email="",
        locale="",
        school_id=walk_in.school_id,
        school_name=None if walk_in.school_id else (walk_in.school_name or "").strip() or None,
        country_code=walk_in.country_code,
        region_code=walk_in.region_code,
        people=walk_in.people,
        attended=walk_in.people,
        secret="",
        queued_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def attendance(activity_id: int) -> Attendance | None:
    """The check-in's result, or None when nobody has been checked in (the report is then
    typed by hand, as for activities run without registration)."""
    rows = db.session.execute(
        select(Registration.attended, Registration.school_id, Registration.school_name).where(
            Registration.activity_id == activity_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.attended.is_not(None),
        )
    ).all()
    if not rows:
        return None
    result = Attendance()
    for attended, school_id, school_name in rows:
        result.people += attended
        if not attended:
            continue
        if school_id is not None and school_id not in result.school_ids:
            result.school_ids.append(school_id)
        elif school_id is None and school_name and school_name not in result.school_names:
            result.school_names.append(school_name)
    return result
