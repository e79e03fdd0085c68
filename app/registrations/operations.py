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
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _n
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update

from app.activities.enums import ActivityStatus, RegistrationMode
from app.activities.models import Activity
from app.core import audit
from app.core.database import serialise, utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.mail import queue_mail
from app.core.models import OutboxMessage
from app.registrations.enums import RegistrationStatus
from app.registrations.invitation import CANCEL, REQUEST, invitation
from app.registrations.models import Registration

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


# Reading -----------------------------------------------------------------------------


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


# Signed links --------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="registration")


def token(registration: Registration) -> str:
    """The registrant's key to their registration, in every mail: no account needed."""
    return _serializer().dumps([registration.id, registration.secret])


def from_token(value: str) -> Registration | None:
    """The registration a link names, or None (forged, or its data erased since)."""
    try:
        registration_id, secret = _serializer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(registration_id, int) or not isinstance(secret, str):
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or not registration.secret:
        return None
    if not secrets.compare_digest(registration.secret, secret):
        return None
    return registration


def normal_address(address: str) -> str:
    """Addresses are kept in lower case: one registration per address, found by its index."""
    return address.strip().lower()


# Changing ------------------------------------------------------------------------------


def _lock(activity_id: int) -> None:
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
    _lock(activity.id)
    email = normal_address(data.email)
    taken = db.session.scalar(
        select(Registration.id).where(
            Registration.activity_id == activity.id,
            Registration.email == email,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    if taken is not None:
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
        _mail(registration, "registration_confirm")
    return registration


def confirm(registration: Registration) -> Registration:
    """The registrant opened the mail's link and pressed the button: the place counts
    from now (or the registration joins the waiting list). Confirming twice is harmless."""
    _lock(registration.activity_id)
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
        _mail(registration, "registration_confirmed", REQUEST)
    else:
        _mail(registration, "registration_waitlisted")


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
        _mail(registration, "registration_promoted", REQUEST)
    return promoted


def cancel(registration: Registration) -> list[Registration]:
    """Cancel by the registrant's link (or by the organisers); those promoted in its place."""
    _lock(registration.activity_id)
    db.session.refresh(registration)
    if registration.status is RegistrationStatus.CANCELLED:
        return []
    had_place = registration.status is CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    db.session.flush()
    _mail(registration, "registration_cancelled", CANCEL if had_place else None)
    return settle(registration.activity)


def change_people(registration: Registration, people: int) -> list[Registration]:
    """Bring more or fewer people. More people with a place need free places (nobody on
    the waiting list is passed); fewer free places for the list."""
    _lock(registration.activity_id)
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
    _lock(activity.id)
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
    _lock(activity.id)
    for registration in db.session.scalars(
        select(Registration).where(
            Registration.activity_id == activity.id,
            Registration.status.in_((CONFIRMED, WAITLISTED)),
            Registration.walk_in.is_(False),
        )
    ):
        _mail(
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
        _mail(registration, "registration_message", subject=subject.strip(), body=body.strip())
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
    registration = db.session.scalar(
        select(Registration).where(
            Registration.activity_id == activity.id,
            Registration.email == normal_address(email),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    if registration is None:
        return
    pending = registration.status is RegistrationStatus.PENDING
    _mail(registration, "registration_confirm" if pending else "registration_links")


def registrations_of(address: str) -> list[Registration]:
    """Every registration made with ``address`` (its owner's right to see and erase them)."""
    if not address.strip():
        return []
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.email == normal_address(address))
            .order_by(Registration.id)
        )
    )


def erase(registration: Registration) -> None:
    """The registrant's right to erasure: the registration is cancelled (its place goes to
    the waiting list) and their name and address are removed; the counts stay."""
    _lock(registration.activity_id)
    db.session.refresh(registration)
    address = registration.email
    if registration.status is not RegistrationStatus.CANCELLED and registration.attended is None:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = utcnow()
    _anonymise(registration)
    db.session.flush()
    settle(registration.activity)
    forget_address(address)


def _anonymise(registration: Registration) -> None:
    registration.name = ""
    registration.email = ""
    registration.secret = ""  # the links in old mails stop working
    registration.anonymised_at = utcnow()


def forget_address(address: str) -> None:
    """Mail to ``address`` that is not on its way any more (sent or failed) goes too."""
    if address:
        db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.to_address == address, OutboxMessage.status.in_(("sent", "failed"))
            )
        )


def anonymise_past(now: datetime) -> int:
    """Registrants' names and addresses, ``REGISTRATION_RETENTION_DAYS`` after their
    activity ended: removed, the counts and the schools kept (a periodic task)."""
    days = current_app.config["REGISTRATION_RETENTION_DAYS"]
    ended = select(Activity.id).where(Activity.ends_at < now - timedelta(days=days))
    result = db.session.execute(
        update(Registration)
        .where(Registration.anonymised_at.is_(None), Registration.activity_id.in_(ended))
        .values(name="", email="", secret="", anonymised_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


# Mail ----------------------------------------------------------------------------------


def _mail(registration: Registration, template: str, invite: str | None = None, **context) -> None:
    """A mail to the registrant in their language, with the link that manages the
    registration; ``invite`` adds the calendar invitation (REQUEST) or its withdrawal."""
    activity_url = url_for("activities.show", activity_id=registration.activity_id, _external=True)
    attachments = []
    if invite is not None:
        sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
        attachments.append(invitation(registration, invite, sender, activity_url))
    signed = token(registration)
    queue_mail(
        registration.email,
        registration.locale,
        f"registrations/{template}",
        kind="registration",
        attachments=attachments,
        registration=registration,
        activity=registration.activity,
        link=url_for("registrations.manage", token=signed, _external=True),
        confirm_link=url_for("registrations.confirm", token=signed, _external=True),
        activity_url=activity_url,
        position=position(registration),
        **context,
    )
