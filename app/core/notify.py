"""Telling people about things that concern them: in the app, and by e-mail after the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from flask import current_app

from app.core.extensions import db
from app.core.mail import queue_mail
from app.core.models import Notification


class Recipient(Protocol):
    id: int
    email: str
    locale: str


#: ``(user, kind)`` → the headers of a mail of ``kind`` to ``user`` (its unsubscribe link),
#: or None when the user wants no such mail: set by a feature in ``app.extensions``.
MAIL_POLICY = "notify_mail_policy"
MailPolicy = Callable[[Recipient, str], dict[str, str] | None]


def _headers(user: Recipient, kind: str) -> dict[str, str] | None:
    policy: MailPolicy | None = current_app.extensions.get(MAIL_POLICY)
    return {} if policy is None else policy(user, kind)


def notify(
    users: Iterable[Recipient],
    kind: str,
    payload: dict,
    mail_template: str | None = None,
    **context,
):
    """An in-app notification for each user, and a mail in each user's own language
    unless the user wants no such mail."""
    for user in users:
        db.session.add(Notification(user_id=user.id, kind=kind, payload=payload))
        headers = _headers(user, kind) if mail_template else None
        if headers is not None:
            queue_mail(user.email, user.locale, mail_template, kind=kind, headers=headers,
                       user=user, **context)  # fmt: skip
