"""Audit trail of security-relevant and data-changing actions, and in-app notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import personal, utcnow
from app.core.extensions import db


class AuditEntry(db.Model):
    __table_args__ = (Index("ix_audit_entry_country_at", "country_code", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    ip: Mapped[str | None] = mapped_column(String(45), info=personal())
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="success")
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    #: Lets coordinators see the entries of their own countries.
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class Notification(db.Model):
    __table_args__ = (
        #: The bell's count of unread notifications.
        Index("ix_notification_user_read", "user_id", "read_at"),
        #: A user's list, newest first, page by page.
        Index("ix_notification_user_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    read_at: Mapped[datetime | None]


class OutboxMessage(db.Model):
    """A mail to send, written in the transaction of the change that causes it
    (:mod:`app.core.outbox`). ``key`` makes queueing it idempotent."""

    __table_args__ = (
        Index("ix_outbox_message_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_created_at", "created_at"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(64))
    to_address: Mapped[str] = mapped_column(String(320), index=True, info=personal())
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(500))
    #: The whole message as it goes on the wire (headers and body, MIME-encoded).
    raw: Mapped[str] = mapped_column(Text, info=personal())
    #: pending → sending → sent; back to pending with a delay after a temporary failure,
    #: failed after the last attempt or a permanent refusal.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
