"""The registrant's key and their mail: every mail carries the signed link that opens
their registration, so nobody needs an account."""

from __future__ import annotations

import secrets
from email.utils import parseaddr

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from app.core.extensions import db
from app.core.mail import queue_mail
from app.registrations.invitation import invitation
from app.registrations.models import Registration
from app.registrations.places import position


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


def mail_registrant(
    registration: Registration,
    template: str,
    invite: str | None = None,
    *,
    key: str | None = None,
    **context,
) -> None:
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
        key=key,
        attachments=attachments,
        registration=registration,
        activity=registration.activity,
        link=url_for("registrations.manage", token=signed, _external=True),
        confirm_link=url_for("registrations.confirm", token=signed, _external=True),
        activity_url=activity_url,
        position=position(registration),
        **context,
    )
