"""Telling people about things that concern them: in the app, and by e-mail after the commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.core.extensions import db
from app.core.mail import queue_mail
from app.core.models import Notification


class Recipient(Protocol):
    id: int
    email: str
    locale: str


def notify(
    users: Iterable[Recipient],
    kind: str,
    payload: dict,
    mail_template: str | None = None,
    **context,
):
    """An in-app notification for each user, and a mail in each user's own language."""
    for user in users:
        db.session.add(Notification(user_id=user.id, kind=kind, payload=payload))
        if mail_template:
            queue_mail(user.email, user.locale, mail_template, user=user, **context)
