"""Operations on activities: record, edit (with conflict detection), cancel, report.

Every change goes to the audit log with the fields it changed, which is also how
a conflicting edit can tell the second editor what the first one changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from app.activities.enums import ActivityStatus, ActivityType, RegistrationMode, Visibility
from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.core import audit
from app.core.enums import Mode
from app.core.errors import Refused
from app.core.extensions import db
from app.core.models import AuditEntry
from app.core.text import search_key
from app.mentoring import operations as mentoring
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match
from app.registrations import operations as registrations
from app.registrations.attendance import attendance
from app.schools.enums import SchoolStatus
from app.schools.models import School

#: Pillars a new activity of each type starts with (the user can change them).
DEFAULT_PILLARS = {
    ActivityType.OPEN_DAY: ["models_for_other_schools"],
    ActivityType.INFO_SESSION: ["models_for_other_schools"],
    ActivityType.MENTORING_SESSION: ["models_for_other_schools"],
    ActivityType.PROFESSIONAL_DEVELOPMENT: ["models_for_other_schools", "collaboration"],
    ActivityType.OTHER: [],
}

PARTICIPANT_FIELDS = ("teachers", "leaders", "students", "parents")


class ActivityConflict(Exception):
    """Someone else saved the activity since the editor loaded it."""

    def __init__(self, changes: list[tuple[str, object, object]]):
        super().__init__("conflicting edit")
        self.changes = changes


class NotStartedYet(Refused):
    reason = _l("Participants can be recorded once the activity has started.")


class NotPlanned(Refused):
    reason = _l("Only planned activities can be cancelled.")


class NotHeld(Refused):
    reason = _l("Only the report of a held activity can be retracted.")


@dataclass
class ActivityData:
    type: ActivityType
    title: str
    starts_at: datetime
    ends_at: datetime
    mode: Mode
    description: str = ""
    location: str = ""
    online_url: str = ""
    languages: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    visibility: Visibility = Visibility.PUBLIC
    pillars: list[str] = field(default_factory=list)
    registration: RegistrationMode = RegistrationMode.OFF
    capacity: int | None = None
    registration_closes_at: datetime | None = None


def snapshot(activity: Activity) -> dict[str, object]:
    """The fields a person edits, as plain values (the audit log's and the API's view)."""
    return {
        "type": activity.type.value,
        "title": activity.title,
        "description": activity.description,
        "starts_at": activity.starts_at.isoformat(),
        "ends_at": activity.ends_at.isoformat(),
        "mode": activity.mode.value,
        "location": activity.location,
        "online_url": activity.online_url,
        "languages": sorted(link.language for link in activity.languages),
        "audience": sorted(activity.audience or []),
        "visibility": activity.visibility.value,
        "pillars": sorted(activity.pillar_codes),
        "registration": activity.registration.value,
        "capacity": activity.capacity,
        "registration_closes_at": (
            activity.registration_closes_at.isoformat() if activity.registration_closes_at else None
        ),
    }


def _apply(activity: Activity, data: ActivityData) -> None:
    activity.type = data.type
    activity.title = data.title.strip()
    activity.description = data.description.strip()
    activity.starts_at = data.starts_at
    activity.ends_at = data.ends_at
    activity.mode = data.mode
    activity.location = data.location.strip() if data.mode is not Mode.ONLINE else ""
    activity.online_url = data.online_url.strip() if data.mode is not Mode.IN_PERSON else ""
    activity.audience = sorted(set(data.audience))
    activity.visibility = data.visibility
    activity.registration = data.registration
    activity.capacity = data.capacity
    activity.registration_closes_at = data.registration_closes_at
    if set(data.pillars) != {link.pillar_code for link in activity.pillars}:
        activity.pillars = [ActivityPillar(pillar_code=code) for code in sorted(set(data.pillars))]
    if set(data.languages) != {link.language for link in activity.languages}:
        activity.languages = [
            ActivityLanguage(language=code) for code in sorted(set(data.languages))
        ]


def create_activity(
    school: School, data: ActivityData, actor, match: Match | None = None
) -> Activity:
    """Record a planned activity; the first session of an accepted mentoring starts it."""
    activity = Activity(
        match_id=match.id if match is not None else None,
        school_id=school.id,
        country_code=school.country_code,
        region_code=school.region_code,
        timezone=school.timezone,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        status=ActivityStatus.PLANNED,
    )
    _apply(activity, data)
    db.session.add(activity)
    db.session.flush()
    _record("activity.create", activity, actor)
    if match is not None and match.status is MatchStatus.ACCEPTED:
        mentoring.start(match, actor)
    return activity


def update_activity(activity: Activity, data: ActivityData, actor, expected_version: int) -> None:
    """Save ``data`` unless the activity changed since version ``expected_version``.

    Every saved edit is a new version, also one that changes only the pillars or the
    languages (app.activities.versioning), so that of two simultaneous edits of the same
    version exactly one is saved and the other is a conflict."""
    if activity.version != expected_version or lock(activity) != expected_version:
        raise ActivityConflict(changes_since(activity, expected_version))
    places_change = data.capacity != activity.capacity
    if places_change:
        registrations.capacity_changed(activity, data.capacity)  # never below those placed
    before = snapshot(activity)
    try:
        with db.session.begin_nested():
            # Replacing the link rows must not flush the half-updated activity first.
            with db.session.no_autoflush:
                _apply(activity, data)
            activity.updated_by_id = actor.id
            after = snapshot(activity)
            changed = {n: [before[n], after[n]] for n in before if before[n] != after[n]}
            if not changed:
                return
            db.session.flush()  # the version check runs here, against a concurrent save
    except StaleDataError:
        raise ActivityConflict(changes_since(activity, expected_version)) from None
    _record("activity.update", activity, actor, changes=changed)
    if places_change:
        registrations.settle(activity)  # more places: the waiting list moves up


def lock(activity: Activity) -> int:
    """Lock the activity's row until the transaction ends; its version in the database.

    A writer that changes an activity's links takes the lock first, so a concurrent one
    waits here, then sees the new version (PostgreSQL). SQLite has no row locks: its
    writers queue for the database's write lock before they read (begin_write)."""
    return db.session.scalar(
        select(Activity.version).where(Activity.id == activity.id).with_for_update()
    )


def _record(action: str, activity: Activity, actor, **details) -> None:
    """The audit entry of a change to ``activity``, with the version it made."""
    audit.record(
        action,
        actor=actor,
        object_type="activity",
        object_id=activity.id,
        country_code=activity.country_code,
        version=activity.version,
        **details,
    )


def changes_since(activity: Activity, version: int) -> list[tuple[str, object, object]]:
    """The fields changed after ``version``, oldest value first, from the audit log."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "activity",
            AuditEntry.object_id == str(activity.id),
            AuditEntry.action == "activity.update",
        )
        .order_by(AuditEntry.id)
    )
    merged: dict[str, list] = {}
    for entry in entries:
        if entry.details.get("version", 0) <= version:
            continue
        for name, (old, new) in entry.details.get("changes", {}).items():
            merged.setdefault(name, [old, new])[1] = new
    return [(name, old, new) for name, (old, new) in merged.items()]


def _fresh(activity: Activity) -> None:
    """Lock the activity, and read it again when someone saved it since it was loaded."""
    if lock(activity) != activity.version:
        db.session.refresh(activity)


def cancel_activity(activity: Activity, actor) -> None:
    _fresh(activity)
    if activity.status is not ActivityStatus.PLANNED:
        raise NotPlanned
    activity.status = ActivityStatus.CANCELLED
    activity.updated_by_id = actor.id
    db.session.flush()
    _record("activity.cancel", activity, actor)
    registrations.activity_cancelled(activity)


def report_activity(
    activity: Activity,
    participants: dict[str, int | None],
    reached_ids: list[int],
    reached_names: list[str],
    actor,
    now: datetime,
) -> None:
    """Mark the activity held with its participants and the schools it reached: registered
    schools by id, others by name (a name that is one registered school is linked to it)."""
    _fresh(activity)
    if activity.status is ActivityStatus.CANCELLED or activity.starts_at > now:
        raise NotStartedYet
    checked_in = attendance(activity.id)
    if checked_in is not None:  # the door's count, not a typed one
        participants = {**participants, "teachers": checked_in.people}
        reached_ids, reached_names = checked_in.school_ids, checked_in.school_names
    with db.session.no_autoflush:  # one write of the activity: one new version
        activity.status = ActivityStatus.HELD
        for name in PARTICIPANT_FIELDS:
            setattr(activity, f"participants_{name}", participants.get(name))  # None: unknown
        linked, unlinked = link_reached_names(activity, reached_names)
        reached = [ActivityReach(school_id=i) for i in sorted({*reached_ids, *linked})]
        reached += [ActivityReach(school_name=name) for name in dict.fromkeys(unlinked)]
        activity.reached = reached
        activity.updated_by_id = actor.id
    db.session.flush()
    _record("activity.report", activity, actor)


def retract_report(activity: Activity, reason: str, actor) -> None:
    """Take back the report of a held activity reported by mistake: it is planned again,
    without participants or schools reached, and no longer counts on the dashboards.

    Planned again rather than a status of its own: a retracted report says the report was
    wrong, not what really happened; the school reports it again as it went, or cancels it,
    through the transitions that exist. The audit entry keeps the reason and what the
    retracted report said."""
    _fresh(activity)
    if activity.status is not ActivityStatus.HELD:
        raise NotHeld
    retracted = {name: getattr(activity, f"participants_{name}") for name in PARTICIPANT_FIELDS}
    reached = len(activity.reached)
    with db.session.no_autoflush:
        activity.status = ActivityStatus.PLANNED
        for name in PARTICIPANT_FIELDS:
            setattr(activity, f"participants_{name}", None)
        activity.reached = []
        activity.updated_by_id = actor.id
    db.session.flush()
    _record(
        "activity.retract",
        activity,
        actor,
        reason=reason.strip(),
        participants=retracted,
        reached=reached,
    )


def reachable_schools(activity: Activity, ids: list[int]) -> tuple[list[int], list[int]]:
    """Of ``ids``, the other verified schools of the activity's country, and the rest."""
    found = set(
        db.session.scalars(
            select(School.id).where(
                School.id.in_(ids),
                School.country_code == activity.country_code,
                School.status == SchoolStatus.VERIFIED,
                School.id != activity.school_id,
            )
        )
    )
    return sorted(found), sorted(set(ids) - found)


def waiting_for_report(school_id: int, now: datetime, limit: int = 20) -> list[Activity]:
    """Planned activities that have ended: the school still has to say how they went."""
    query = (
        select(Activity)
        .where(
            Activity.school_id == school_id,
            Activity.status == ActivityStatus.PLANNED,
            Activity.ends_at < now,
        )
        .order_by(Activity.ends_at.desc(), Activity.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def link_reached_names(activity: Activity, names: list[str]) -> tuple[list[int], list[str]]:
    """Link each name to the one registered school of that name in the country, if any:
    (the linked school ids, the names left as typed)."""
    names = [name.strip() for name in names if name.strip()][:200]
    keys = {search_key(name): name for name in names}
    matches: dict[str, set[int]] = {}
    if keys:
        prefixes = [
            School.search_key.like(key.replace("%", "").replace("_", "") + "%") for key in keys
        ]
        rows = db.session.execute(
            select(School.id, School.name).where(
                School.country_code == activity.country_code,
                School.status == SchoolStatus.VERIFIED,
                School.id != activity.school_id,
                or_(*prefixes),
            )
        )
        for school_id, name in rows:
            if search_key(name) in keys:
                matches.setdefault(search_key(name), set()).add(school_id)
    ids, unmatched = [], []
    for key, name in keys.items():
        found = matches.get(key, set())
        if len(found) == 1:
            ids.append(found.pop())
        else:
            unmatched.append(name)
    return ids, unmatched
