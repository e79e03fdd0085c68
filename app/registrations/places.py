"""An activity's places and waiting list as they stand: what the pages, the API and the
operations read before they change anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.activities.enums import ActivityStatus, RegistrationMode
from app.activities.models import Activity
from app.core.database import utcnow
from app.core.extensions import db
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


@dataclass(frozen=True)
class Places:
    """An activity's places now: people confirmed, people and registrations waiting."""

    capacity: int | None
    taken: int
    waiting: int
    waiting_people: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


def closes_at(activity: Activity) -> datetime:
    """When registration closes: the time the school chose, at the latest the start."""
    chosen = activity.registration_closes_at
    return min(chosen, activity.starts_at) if chosen is not None else activity.starts_at


def is_open(activity: Activity, now: datetime | None = None) -> bool:
    return (
        activity.registration is not RegistrationMode.OFF
        and activity.status is ActivityStatus.PLANNED
        and (now or utcnow()) < closes_at(activity)
    )


def places(activity_id: int, capacity: int | None) -> Places:
    """Counted in the database (walk-ins take no place: they came on the day)."""
    rows = db.session.execute(
        select(
            Registration.status,
            func.count(Registration.id),
            func.coalesce(func.sum(Registration.people), 0),
        )
        .where(
            Registration.activity_id == activity_id,
            Registration.status.in_((CONFIRMED, WAITLISTED)),
            Registration.walk_in.is_(False),
        )
        .group_by(Registration.status)
    ).all()
    counted = {status: (count, people) for status, count, people in rows}
    waiting, waiting_people = counted.get(WAITLISTED, (0, 0))
    return Places(capacity, int(counted.get(CONFIRMED, (0, 0))[1]), waiting, int(waiting_people))


def has_registrations(activity_id: int) -> bool:
    return (
        db.session.scalar(
            select(Registration.id).where(Registration.activity_id == activity_id).limit(1)
        )
        is not None
    )


def waiting_list(activity_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.activity_id == activity_id, Registration.status == WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
        )
    )


def position(registration: Registration) -> int | None:
    """Its place on the waiting list, from 1; None when it is not on it."""
    if registration.status is not WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.activity_id == registration.activity_id,
            Registration.status == WAITLISTED,
            (Registration.queued_at < registration.queued_at)
            | (
                (Registration.queued_at == registration.queued_at)
                & (Registration.id < registration.id)
            ),
        )
    )
    return int(ahead) + 1


def changeable(registration: Registration) -> bool:
    """Whether the registrant can still change or cancel it: before the activity starts."""
    activity = registration.activity
    return (
        registration.status is not RegistrationStatus.CANCELLED
        and activity.status is ActivityStatus.PLANNED
        and utcnow() < activity.starts_at
    )
