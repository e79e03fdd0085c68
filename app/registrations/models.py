"""A registration to come to an activity: who, from which school, how many people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.core.database import TimestampMixin, personal, utcnow
from app.core.enums import enum_type
from app.core.extensions import db
from app.registrations.enums import NextStep, RegistrationStatus

_NEWCOMER = "school_name IS NOT NULL AND attended > 0"
_ACTIVE = "status IN ('pending_confirmation', 'confirmed', 'waitlisted') AND email <> ''"


class Registration(TimestampMixin, db.Model):
    """One registrant and the people they bring (places count people, not registrations).

    ``queued_at`` is when the address was confirmed: the order of the waiting list. A
    walk-in is written at check-in; it takes no place (the activity is under way).
    """

    __table_args__ = (
        CheckConstraint("people >= 1", name="people_positive"),
        CheckConstraint("attended IS NULL OR attended >= 0", name="attended_positive"),
        # The places and the waiting list of an activity, in order, from the index alone.
        Index("ix_registration_activity_status", "activity_id", "status", "queued_at", "id"),
        # One registration per address and activity while it is still coming.
        Index(
            "uq_registration_activity_email",
            "activity_id",
            "email",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
        Index("ix_registration_email", "email"),
        # Newcomers (a school typed, not registered then) who came, by their own place.
        Index(
            "ix_registration_newcomer",
            "country_code",
            "region_code",
            sqlite_where=text(_NEWCOMER),
            postgresql_where=text(_NEWCOMER),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_type(RegistrationStatus, "registration_status")
    )
    #: Personal: erased on request and anonymised after the retention period ("").
    name: Mapped[str] = mapped_column(String(200), info=personal())
    email: Mapped[str] = mapped_column(String(254), info=personal())
    #: The registrant's language: every mail to them is written in it.
    locale: Mapped[str] = mapped_column(String(5))
    #: A registered school, or the name of one not yet registered (with its place).
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    school_name: Mapped[str | None] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    people: Mapped[int] = mapped_column(default=1)
    queued_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    #: People present at check-in; None until the organisers mark it.
    attended: Mapped[int | None]
    walk_in: Mapped[bool] = mapped_column(default=False)
    #: Part of every signed link: a new one (or erasure) makes the old links useless.
    secret: Mapped[str] = mapped_column(String(32))
    anonymised_at: Mapped[datetime | None]
    #: When the attendee was asked for their feedback (once).
    feedback_asked_at: Mapped[datetime | None]

    activity = relationship("Activity", lazy="joined", innerjoin=True)
    school = relationship("School")

    @property
    def school_label(self) -> str:
        return self.school.name if self.school is not None else (self.school_name or "")


class Feedback(db.Model):
    """An attendee's answer to the survey after the activity: given once."""

    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int]
    next_step: Mapped[NextStep] = mapped_column(enum_type(NextStep, "next_step"))
    #: Free text may name people: erased with the registrant's name and address.
    comment: Mapped[str] = mapped_column(Text, default="", info=personal())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    registration = relationship("Registration", backref=backref("feedback", uselist=False))
