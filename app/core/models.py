"""Audit trail of security-relevant and data-changing actions, and in-app notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
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
