"""Schools, their levels and languages, and their ambassador periods."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import TimestampMixin, personal
from app.core.enums import enum_type
from app.core.extensions import db
from app.schools.enums import (
    AmbassadorStatus,
    EducationLevel,
    LabelSource,
    LabelStatus,
    SchoolStatus,
)


class School(TimestampMixin, db.Model):
    __table_args__ = (
        CheckConstraint("pupil_count IS NULL OR pupil_count >= 0", name="pupil_count_positive"),
        CheckConstraint(
            "label_year IS NULL OR (label_year BETWEEN 2000 AND 2100)", name="label_year_range"
        ),
        # National register codes: unique within a country, not across countries.
        UniqueConstraint("country_code", "external_id"),
        Index("ix_school_country_region", "country_code", "region_code"),
        # Dashboards count a country's verified schools per region, as they stood on a
        # day (``verified_at``), from the index alone.
        Index(
            "ix_school_country_status_region",
            *("country_code", "status", "region_code", "label_year", "verified_at", "id"),
        ),
        # Searching a country's schools by a part of their name walks this index alone,
        # in the order of the results, testing each search key without reading the row.
        Index("ix_school_country_status_search", "country_code", "status", "search_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Identifier in the country's register (unique per country); makes CSV imports
    #: idempotent.
    external_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120), default="")
    #: Case- and accent-folded name and city (see app.core.text.search_key).
    search_key: Mapped[str] = mapped_column(String(400), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(120), info=personal())
    contact_email: Mapped[str | None] = mapped_column(String(254), info=personal())
    pupil_count: Mapped[int | None]
    #: First calendar year of the school year of the school's latest verified eTwinning
    #: School label (2024 means 2024-25); the label is valid for two school years. Kept by
    #: app.schools.labels from the verified awards (LabelAward), never typed in.
    label_year: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[SchoolStatus] = mapped_column(
        enum_type(SchoolStatus, "school_status"), default=SchoolStatus.PENDING
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    #: A refused school stays pending, out of the queue, until a coordinator verifies it;
    #: who decided is the actor of the decision's audit entry.
    refused_at: Mapped[datetime | None]
    refusal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    levels: Mapped[list[SchoolLevel]] = relationship(
        cascade="all, delete-orphan", order_by="SchoolLevel.level"
    )
    languages: Mapped[list[SchoolLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="SchoolLanguage.language"
    )
    ambassador_periods: Mapped[list[AmbassadorPeriod]] = relationship(
        back_populates="school", cascade="all, delete-orphan", order_by="AmbassadorPeriod.starts_on"
    )
    region = relationship("Region", lazy="joined", innerjoin=True)

    def is_ambassador_on(self, day: date) -> bool:
        return any(period.covers(day) for period in self.ambassador_periods)


class SchoolLevel(db.Model):
    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[EducationLevel] = mapped_column(
        enum_type(EducationLevel, "education_level"), primary_key=True, index=True
    )


class SchoolLanguage(db.Model):
    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)  # ISO 639-1


class AmbassadorPeriod(TimestampMixin, db.Model):
    """A school's application for, and the coordinator's decision on, ambassador status."""

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_order"),
        # Whether a school is an ambassador on a day, from the index alone.
        Index("ix_ambassador_period_school_status", "school_id", "status", "ends_on", "starts_on"),
        # The coordinator's queue of applications, the oldest first, read in that order.
        Index("ix_ambassador_period_status_created", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    status: Mapped[AmbassadorStatus] = mapped_column(
        enum_type(AmbassadorStatus, "ambassador_status"), default=AmbassadorStatus.APPLIED
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    motivation: Mapped[str] = mapped_column(Text, default="")
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    school: Mapped[School] = relationship(back_populates="ambassador_periods")

    def covers(self, day: date) -> bool:
        return self.status is AmbassadorStatus.APPROVED and self.starts_on <= day <= self.ends_on


_WAITING = "status = 'requested'"


class LabelAward(TimestampMixin, db.Model):
    """The eTwinning School label of one school year for a school: requested by its school
    admin, verified or refused by a coordinator of its country (with a reason), or recorded
    verified by a coordinator's import. The rows are the school's label history."""

    __table_args__ = (
        CheckConstraint("award_year BETWEEN 2000 AND 2100", name="award_year_range"),
        Index("ix_label_award_school_year", "school_id", "award_year"),
        # The coordinators' queue, oldest first; and at most one request waiting per school.
        Index("ix_label_award_status_created", "status", "created_at"),
        Index(
            "uq_label_award_school_waiting",
            "school_id",
            unique=True,
            sqlite_where=text(_WAITING),
            postgresql_where=text(_WAITING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    award_year: Mapped[int]
    status: Mapped[LabelStatus] = mapped_column(
        enum_type(LabelStatus, "label_status"), default=LabelStatus.REQUESTED
    )
    source: Mapped[LabelSource] = mapped_column(
        enum_type(LabelSource, "label_source"), default=LabelSource.REQUEST
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    school: Mapped[School] = relationship()
