"""Registrants' rights over their data: found by their address, erased on request (or with
their account), and anonymised a retention period after the activity; the counts stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from app.activities.models import Activity
from app.core.database import utcnow
from app.core.extensions import db
from app.core.models import OutboxMessage
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Feedback, Registration
from app.registrations.operations import lock, normal_address, settle


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
    lock(registration.activity_id)
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
    if registration.feedback is not None:
        registration.feedback.comment = ""
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
    due = select(Registration.id).where(
        Registration.anonymised_at.is_(None), Registration.activity_id.in_(ended)
    )
    db.session.execute(
        update(Feedback)
        .where(Feedback.registration_id.in_(due), Feedback.comment != "")
        .values(comment="")
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        update(Registration)
        .where(Registration.id.in_(due))
        .values(name="", email="", secret="", anonymised_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
