"""Registering to come to an activity, confirming, changing, cancelling; the waiting list.

Places count people. Every change that can move a place serialises on its activity first
(an advisory lock on PostgreSQL, the write lock on SQLite) and only then reads the places
and the list, so two registrations at the same moment are placed one after the other and
the confirmed people never exceed the capacity.

The waiting list is first come, first served, in the order the addresses were confirmed:
a place that frees goes to the first registration on the list when it fits, and nobody
behind it passes it (a teacher coming alone does not overtake a school of three that has
waited longer). A registration made while anyone waits joins the end of the list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _n
from sqlalchemy import select

from app.activities.enums import ActivityStatus, RegistrationMode
from app.activities.models import Activity
from app.core import audit
from app.core.database import serialise, utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.registrations.enums import RegistrationStatus
from app.registrations.invitation import CANCEL, REQUEST
from app.registrations.links import mail_registrant
from app.registrations.models import Registration
from app.registrations.places import is_open, places, waiting_list

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


class Closed(Refused):
    reason = _l("Registration for this activity is closed.")


class AlreadyRegistered(Refused):
    reason = _l(
        "This address is already registered for this activity. The mail we sent to it has a"
        " link to change or cancel the registration."
    )


class SchoolsOnly(Refused):
    reason = _l("Only registered schools can register for this activity: choose your school.")


class NotEnoughPlaces(Refused):
    reason = _l("There are not enough free places for more people.")


class Cancelled(Refused):
    reason = _l("This registration has been cancelled.")


class CapacityTooSmall(Refused):
    reason = _l("More people than that already have a place.")


@dataclass
class RegistrationData:
    name: str
    email: str
    people: int = 1
    school_id: int | None = None
    school_name: str | None = None
    country_code: str | None = None
    region_code: str | None = None


def normal_address(address: str) -> str:
    """Addresses are kept in lower case: one registration per address, found by its index."""
    return address.strip().lower()


def registered_as(activity_id: int, address: str) -> Registration | None:
    """The registration of ``address`` for the activity that still stands, if any."""
    return db.session.scalar(
        select(Registration).where(
            Registration.activity_id == activity_id,
            Registration.email == normal_address(address),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )


# Changing ------------------------------------------------------------------------------


def lock(activity_id: int) -> None:
    """Serialise with every other change to the activity's places (see the module)."""
    serialise(db.session, f"registrations:{activity_id}")


def register(
    activity: Activity, data: RegistrationData, locale: str, *, verified: bool = False
) -> Registration:
    """Register ``data``'s people. The place counts once the address is confirmed, at
    once when the registrant signed in with it (``verified``)."""
    now = utcnow()
    if not is_open(activity, now):
        raise Closed
    if activity.registration is RegistrationMode.REGISTERED_SCHOOLS and data.school_id is None:
        raise SchoolsOnly
    lock(activity.id)
    email = normal_address(data.email)
    if registered_as(activity.id, email) is not None:
        raise AlreadyRegistered
    registration = Registration(
        activity=activity,
        status=RegistrationStatus.PENDING,
        name=data.name.strip(),
        email=email,
        locale=locale,
        school_id=data.school_id,
        school_name=None if data.school_id else (data.school_name or "").strip() or None,
        country_code=data.country_code,
        region_code=data.region_code,
        people=data.people,
        secret=secrets.token_hex(16),
    )
    db.session.add(registration)
    db.session.flush()
    if verified:
        _place(registration, now)
    else:
        mail_registrant(registration, "registration_confirm")
    return registration


def confirm(registration: Registration) -> Registration:
    """The registrant opened the mail's link and pressed the button: the place counts
    from now (or the registration joins the waiting list). Confirming twice is harmless."""
    lock(registration.activity_id)
    db.session.refresh(registration)
    if registration.status is RegistrationStatus.CANCELLED:
        raise Cancelled
    if registration.status is RegistrationStatus.PENDING:
        activity = registration.activity
        if activity.status is not ActivityStatus.PLANNED or utcnow() >= activity.starts_at:
            raise Closed
        _place(registration, utcnow())
    return registration


def _place(registration: Registration, now: datetime) -> None:
    activity = registration.activity
    now_free = places(activity.id, activity.capacity)
    registration.queued_at = now
    fits = activity.capacity is None or (
        now_free.waiting == 0 and now_free.taken + registration.people <= activity.capacity
    )
    registration.status = CONFIRMED if fits else WAITLISTED
    db.session.flush()
    if fits:
        mail_registrant(registration, "registration_confirmed", REQUEST)
    else:
        mail_registrant(registration, "registration_waitlisted")


def settle(activity: Activity) -> list[Registration]:
    """Give the free places to the waiting list, first come first served; the promoted.

    The caller holds the activity's lock (every operation here takes it)."""
    if activity.status is not ActivityStatus.PLANNED:
        return []
    free = places(activity.id, activity.capacity).free
    promoted = []
    for waiting in waiting_list(activity.id):
        if free is not None and waiting.people > free:
            break
        waiting.status = CONFIRMED
        free = None if free is None else free - waiting.people
        promoted.append(waiting)
    db.session.flush()
    for registration in promoted:
        mail_registrant(registration, "registration_promoted", REQUEST)
    return promoted


def cancel(registration: Registration) -> list[Registration]:
    """Cancel by the registrant's link (or by the organisers); those promoted in its place."""
    lock(registration.activity_id)
    db.session.refresh(registration)
    if registration.status is RegistrationStatus.CANCELLED:
        return []
    had_place = registration.status is CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    db.session.flush()
    mail_registrant(registration, "registration_cancelled", CANCEL if had_place else None)
    return settle(registration.activity)


def change_people(registration: Registration, people: int) -> list[Registration]:
    """Bring more or fewer people. More people with a place need free places (nobody on
    the waiting list is passed); fewer free places for the list."""
    lock(registration.activity_id)
    db.session.refresh(registration)
    activity = registration.activity
    if registration.status is RegistrationStatus.CANCELLED:
        raise Cancelled
    if activity.status is not ActivityStatus.PLANNED or utcnow() >= activity.starts_at:
        raise Closed
    extra = people - registration.people
    if registration.status is CONFIRMED and extra > 0 and activity.capacity is not None:
        now_free = places(activity.id, activity.capacity)
        if now_free.waiting:
            raise NotEnoughPlaces(
                _l("Others are waiting for a place: no more people can be added for now.")
            )
        if extra > (now_free.free or 0):
            raise NotEnoughPlaces(
                _n(
                    "Only %(num)s more person can have a place now.",
                    "Only %(num)s more people can have a place now.",
                    now_free.free or 0,
                )
            )
    registration.people = people
    db.session.flush()
    return settle(activity)


def capacity_changed(activity: Activity, capacity: int | None) -> None:
    """Before an activity's capacity changes: never below the people who have a place."""
    lock(activity.id)
    taken = places(activity.id, activity.capacity).taken
    if capacity is not None and capacity < taken:
        raise CapacityTooSmall(
            _n(
                "%(num)s person already has a place: the capacity cannot be smaller.",
                "%(num)s people already have a place: the capacity cannot be smaller.",
                taken,
            )
        )


def activity_cancelled(activity: Activity) -> None:
    """Tell everyone still coming that the activity will not take place."""
    lock(activity.id)
    for registration in db.session.scalars(
        select(Registration).where(
            Registration.activity_id == activity.id,
            Registration.status.in_((CONFIRMED, WAITLISTED)),
            Registration.walk_in.is_(False),
        )
    ):
        mail_registrant(
            registration, "activity_cancelled", CANCEL if registration.status is CONFIRMED else None
        )


def message_all(activity: Activity, subject: str, body: str, actor) -> int:
    """The organisers write to everyone still coming (a place or the waiting list); each
    mail in its reader's language around the organisers' own words. How many were sent."""
    recipients = db.session.scalars(
        select(Registration).where(
            Registration.activity_id == activity.id,
            Registration.status.in_((CONFIRMED, WAITLISTED)),
            Registration.email != "",
        )
    ).all()
    for registration in recipients:
        mail_registrant(
            registration, "registration_message", subject=subject.strip(), body=body.strip()
        )
    audit.record(
        "registrations.message",
        actor=actor,
        object_type="activity",
        object_id=activity.id,
        country_code=activity.country_code,
        recipients=len(recipients),
    )
    return len(recipients)


def send_links_again(activity: Activity, email: str) -> None:
    """Someone registers an address that is registered already: its owner gets the link
    to their registration again (the page says the same as for a new registration, so it
    does not tell who registered)."""
    registration = registered_as(activity.id, email)
    if registration is None:
        return
    pending = registration.status is RegistrationStatus.PENDING
    mail_registrant(registration, "registration_confirm" if pending else "registration_links")
