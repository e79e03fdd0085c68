"""What was sent (once per kind, subject, period and recipient) and what each user wants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import utcnow
from app.core.enums import enum_type
from app.core.extensions import db
from app.notifications.enums import Frequency


class ReminderLog(db.Model):
    """One reminder (or digest) decided for one recipient. The unique key makes it once:
    a second run, or two runs at the same time, insert nothing more and mail nothing.
    Rows waiting for a digest have ``delivery`` daily or weekly and no ``digested_at``."""

    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "period", "user_id", name="uq_reminder_log_once"),
        Index("ix_reminder_log_digest", "delivery", "digested_at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    #: Which of the subject's reminders: "d3", a school year, a week, a quiet spell.
    period: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    delivery: Mapped[Frequency] = mapped_column(enum_type(Frequency, "reminder_delivery"))
    #: What the mail (or a later digest) says of the subject.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    digested_at: Mapped[datetime | None]


class MailPreference(db.Model):
    """How often a user wants one kind of mail; without a row, immediately."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency, "mail_frequency"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
