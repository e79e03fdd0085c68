"""Mentor profiles, mentoring requests from new schools, and matches between them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import TimestampMixin, personal, utcnow
from app.core.enums import Mode, enum_type
from app.core.extensions import db
from app.mentoring.enums import MatchStatus, RequestStatus, UnmatchedReason


class MentorProfile(TimestampMixin, db.Model):
    """A teacher of an eTwinning School offering to mentor new schools."""

    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 10", name="capacity_range"),
        # The backstop of the capacity guarantee: ``load`` counts accepted and
        # active matches and is only ever changed by a conditional update.
        CheckConstraint("load >= 0 AND load <= capacity", name="load_within_capacity"),
        Index("ix_mentor_profile_country", "country_code", "paused"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    capacity: Mapped[int] = mapped_column(default=2)
    load: Mapped[int] = mapped_column(default=0)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    pillars: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Regions served; the mentor's own region when empty.
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Mode codes (in_person, online).
    modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    available_until: Mapped[date | None]
    bio: Mapped[str] = mapped_column(Text, default="", info=personal())
    paused: Mapped[bool] = mapped_column(default=False)

    user = relationship("User")
    school = relationship("School")


class MentoringRequest(TimestampMixin, db.Model):
    """A school new to eTwinning asking for a mentor."""

    __table_args__ = (
        Index("ix_mentoring_request_country_status", "country_code", "status"),
        # Dashboards count a country's requests made in a period, open at a moment and
        # waiting since a day, from this index alone.
        Index(
            "ix_mentoring_request_country_created",
            "country_code",
            "created_at",
            "region_code",
            "status",
            "updated_at",
        ),
        # One open request per school: a second one would give a mentor two proposals
        # for the same school.
        Index(
            "uq_mentoring_request_open_school",
            "school_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    pillars: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    mode: Mapped[Mode] = mapped_column(enum_type(Mode, "request_mode"), default=Mode.HYBRID)
    message: Mapped[str] = mapped_column(Text, default="", info=personal())
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "request_status"), default=RequestStatus.OPEN
    )

    school = relationship("School")
    requested_by = relationship("User")


class MatchRun(db.Model):
    """One run of the matching engine over a country (or one region of it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The sum of the fits (0–100 each) of the run's proposals.
    total_score: Mapped[float] = mapped_column(Float, default=0.0)
    proposals: Mapped[int] = mapped_column(default=0)
    #: Requests the run left without a proposal (None: a run from before this was kept).
    unmatched: Mapped[int | None]
    #: Proposals of a run are drafts, seen only by coordinators, until it is confirmed.
    confirmed_at: Mapped[datetime | None]
    #: A draft the coordinator discarded (or that expired): its proposals are gone.
    discarded_at: Mapped[datetime | None]


class UnmatchedRequest(db.Model):
    """A request a run left without a proposal, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[UnmatchedReason] = mapped_column(enum_type(UnmatchedReason, "unmatched_reason"))

    request: Mapped[MentoringRequest] = relationship()


_OPEN = "status IN ('proposed', 'accepted', 'active')"


class Match(TimestampMixin, db.Model):
    __table_args__ = (
        Index("ix_match_mentor_status", "mentor_id", "status"),
        # A request's matches, and (dashboards) whether one was active at a moment, from
        # this index alone.
        Index(
            "ix_match_request_timeline",
            "request_id",
            "status",
            "decided_at",
            "created_at",
            "finished_at",
        ),
        # Dashboards count the matches in one status (active ones, per region).
        Index("ix_match_status_request", "status", "request_id"),
        # One open proposal or mentor per request, whatever runs concurrently.
        Index(
            "uq_match_request_open",
            "request_id",
            unique=True,
            sqlite_where=text(_OPEN),
            postgresql_where=text(_OPEN),
        ),
        CheckConstraint("score >= 0", name="score_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("mentoring_request.id", ondelete="CASCADE"))
    #: None once the mentor deleted their account: the match stays the school's, with its
    #: feedback and sessions, as the work of a former mentor (operations.mentor_leaves).
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentor_profile.id", ondelete="SET NULL")
    )
    run_id: Mapped[int | None] = mapped_column(ForeignKey("match_run.id", ondelete="SET NULL"))
    status: Mapped[MatchStatus] = mapped_column(
        enum_type(MatchStatus, "match_status"), default=MatchStatus.PROPOSED
    )
    #: The fit of the pair, 0–100.
    score: Mapped[float] = mapped_column(Float, default=0.0)
    #: The facts behind the fit, as matching.fit.pair_fit states them.
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="", info=personal())
    finished_at: Mapped[datetime | None]
    feedback_school: Mapped[str] = mapped_column(Text, default="", info=personal())
    feedback_mentor: Mapped[str] = mapped_column(Text, default="", info=personal())

    request: Mapped[MentoringRequest] = relationship()
    mentor: Mapped[MentorProfile | None] = relationship()
    run: Mapped[MatchRun | None] = relationship()
