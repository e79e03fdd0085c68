"""Marking notifications read: one, or all of a user's at once (one UPDATE)."""

from __future__ import annotations

from sqlalchemy import update

from app.core.database import utcnow
from app.core.extensions import db
from app.core.models import Notification


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount
