"""Activities schools run for other schools, linked to the mission pillars."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.activities.enums import ActivityStatus, ActivityType, RegistrationMode, Visibility
from app.core.database import TimestampMixin
from app.core.enums import Mode, enum_type
from app.core.extensions import db

PARTICIPANT_COLUMNS = (
    "participants_teachers",
    "participants_leaders",
    "participants_students",
    "participants_parents",
)


#: Columns the activity lists filter on besides the place and the dates.
LIST_FILTERS = ("visibility", "status", "type", "pillar_mask", "language_mask")


def _participants_checks() -> list[CheckConstraint]:
    checks = [
        CheckConstraint(f"{column} IS NULL OR {column} >= 0", name=f"{column}_positive")
        for column in PARTICIPANT_COLUMNS
    ]
    only_when_held = " AND ".join(f"{column} IS NULL" for column in PARTICIPANT_COLUMNS)
    checks.append(
        CheckConstraint(f"status = 'held' OR ({only_when_held})", name="participants_when_held")
    )
    return checks


class Activity(TimestampMixin, db.Model):
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        *_participants_checks(),
        # Keyset pagination of the calendars and lists: (filter..., starts_at, id). The
        # country and region ones also carry the other filters, so that SQLite skips the
        # rows a filter refuses without reading them (a rare language walks far).
        Index("ix_activity_country_starts", "country_code", "starts_at", "id", *LIST_FILTERS),
        Index("ix_activity_region_starts", "region_code", "starts_at", "id", *LIST_FILTERS),
        Index("ix_activity_school_starts", "school_id", "starts_at", "id"),
        Index("ix_activity_starts", "starts_at", "id"),
        # The latest held activity of each region (dashboards), one index seek per region.
        Index("ix_activity_region_status_starts", "region_code", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    #: Copied from the school on write so that lists and dashboards filter without a join.
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    type: Mapped[ActivityType] = mapped_column(enum_type(ActivityType, "activity_type"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Its value before a change is kept (app.dashboards.freshness bumps the listing
    #: versions of both moments).
    starts_at: Mapped[datetime] = mapped_column(active_history=True)
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    mode: Mapped[Mode] = mapped_column(enum_type(Mode, "activity_mode"))
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    #: Audience codes (app.activities.enums.Audience).
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    visibility: Mapped[Visibility] = mapped_column(
        enum_type(Visibility, "visibility"), default=Visibility.PUBLIC
    )
    status: Mapped[ActivityStatus] = mapped_column(
        enum_type(ActivityStatus, "activity_status"), default=ActivityStatus.PLANNED, index=True
    )
    #: The pillars and languages of the links below as bits (app.dashboards.facts keeps
    #: them in step), so that list filters test a column instead of joining 2 M links.
    pillar_mask: Mapped[int] = mapped_column(default=0, server_default="0")
    language_mask: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    participants_teachers: Mapped[int | None]
    participants_leaders: Mapped[int | None]
    participants_students: Mapped[int | None]
    participants_parents: Mapped[int | None]
    #: Who may register to come (app.registrations); places count people, None = no limit.
    registration: Mapped[RegistrationMode] = mapped_column(
        enum_type(RegistrationMode, "registration_mode"),
        default=RegistrationMode.OFF,
        server_default=RegistrationMode.OFF.value,
    )
    capacity: Mapped[int | None]
    #: Registration closes then, or when the activity starts if None.
    registration_closes_at: Mapped[datetime | None]
    #: Set for mentoring sessions held within a mentoring match.
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("match.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    school = relationship("School", lazy="joined", innerjoin=True)
    created_by = relationship("User", foreign_keys=[created_by_id])
    pillars: Mapped[list[ActivityPillar]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPillar.pillar_code"
    )
    languages: Mapped[list[ActivityLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityLanguage.language"
    )
    reached: Mapped[list[ActivityReach]] = relationship(cascade="all, delete-orphan")

    @property
    def pillar_codes(self) -> list[str]:
        return [link.pillar_code for link in self.pillars]


class ActivityPillar(db.Model):
    __table_args__ = (Index("ix_activity_pillar_pillar", "pillar_code", "activity_id"),)

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    pillar_code: Mapped[str] = mapped_column(ForeignKey("pillar.code"), primary_key=True)


class ActivityLanguage(db.Model):
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)


class ActivityReach(db.Model):
    """A school an activity reached: a registered one, or the name of one not yet registered."""

    __table_args__ = (
        CheckConstraint(
            "(school_id IS NOT NULL) <> (school_name IS NOT NULL)", name="school_or_name"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), index=True
    )
    school_name: Mapped[str | None] = mapped_column(String(200))
