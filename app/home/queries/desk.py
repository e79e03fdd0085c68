"""What waits for a signed-in user, per role: a few rows of each list and its full count.

Every block is two bounded queries (the first ``SHOWN`` rows, and a count), whatever the
number of schools, activities or requests behind it; related rows are loaded with the
block's rows, never one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership
from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.extensions import db
from app.dashboards.declaration import Period
from app.dashboards.figures import build
from app.dashboards.loaders import cached_figures
from app.geography.models import Country
from app.mentoring.enums import CAPACITY_STATES, MatchStatus, RequestStatus
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.schools.enums import AmbassadorStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, School

#: Rows shown in each block of the signed-in home; the count tells how many there are.
SHOWN = 5


@dataclass
class Block:
    items: list[Any] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _block(query: Select, *order, options=()) -> Block:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if not total:
        return Block()
    rows = db.session.scalars(query.options(*options).order_by(*order).limit(SHOWN)).all()
    return Block(list(rows), total)


# School members -----------------------------------------------------------------------


def memberships(user_id: int) -> list[Membership]:
    """The user's memberships with their schools, approved or waiting."""
    query = (
        select(Membership)
        .where(Membership.user_id == user_id)
        .options(joinedload(Membership.school, innerjoin=True))
        .order_by(Membership.school_id)
    )
    return list(db.session.scalars(query))


def to_report(school_ids: list[int], now: datetime) -> Block:
    """Planned activities of these schools that have ended: how did they go?"""
    query = select(Activity).where(
        Activity.school_id.in_(school_ids),
        Activity.status == ActivityStatus.PLANNED,
        Activity.ends_at < now,
    )
    return _block(query, Activity.ends_at.desc(), Activity.id.desc())


def upcoming(school_ids: list[int], now: datetime) -> Block:
    query = select(Activity).where(
        Activity.school_id.in_(school_ids),
        Activity.status == ActivityStatus.PLANNED,
        Activity.starts_at >= now,
    )
    return _block(query, Activity.starts_at, Activity.id)


def join_requests(school_ids: list[int]) -> Block:
    """People asking to join schools the user administers, the longest waiting first."""
    query = select(Membership).where(
        Membership.school_id.in_(school_ids), Membership.status == MembershipStatus.PENDING
    )
    options = (
        joinedload(Membership.user, innerjoin=True),
        joinedload(Membership.school, innerjoin=True),
    )
    return _block(query, Membership.created_at, Membership.user_id, options=options)


def administered(rows: list[Membership]) -> list[int]:
    return [
        row.school_id
        for row in rows
        if row.status is MembershipStatus.APPROVED and row.role is MembershipRole.ADMIN
    ]


# Mentors ----------------------------------------------------------------------------


def mentor_profile(user_id: int) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user_id))


def _matches(profile_id: int, *states: MatchStatus) -> Select:
    published = or_(Match.run_id.is_(None), MatchRun.confirmed_at.is_not(None))
    return (
        select(Match)
        .outerjoin(MatchRun, Match.run_id == MatchRun.id)
        .where(Match.mentor_id == profile_id, Match.status.in_(states), published)
    )


_WITH_SCHOOL = (selectinload(Match.request).joinedload(MentoringRequest.school, innerjoin=True),)


def proposals(profile_id: int) -> Block:
    """Proposals waiting for the mentor's answer (drafts of a run are not theirs yet)."""
    query = _matches(profile_id, MatchStatus.PROPOSED)
    return _block(query, Match.created_at, Match.id, options=_WITH_SCHOOL)


def mentorships(profile_id: int) -> Block:
    query = _matches(profile_id, *CAPACITY_STATES)
    return _block(query, Match.created_at.desc(), Match.id.desc(), options=_WITH_SCHOOL)


# Coordinators and admins ---------------------------------------------------------------


def _in(column, countries: list[str] | None):
    return () if countries is None else (column.in_(countries),)


def schools_to_verify(countries: list[str] | None) -> Block:
    query = select(School).where(
        School.status == SchoolStatus.PENDING, *_in(School.country_code, countries)
    )
    return _block(query, School.created_at, School.id)


def applications(countries: list[str] | None) -> Block:
    query = (
        select(AmbassadorPeriod)
        .join(School)
        .where(
            AmbassadorPeriod.status == AmbassadorStatus.APPLIED,
            *_in(School.country_code, countries),
        )
    )
    options = (joinedload(AmbassadorPeriod.school, innerjoin=True),)
    return _block(query, AmbassadorPeriod.created_at, AmbassadorPeriod.id, options=options)


def waiting_requests(countries: list[str] | None) -> Block:
    """Open mentoring requests, the longest waiting first."""
    query = select(MentoringRequest).where(
        MentoringRequest.status == RequestStatus.OPEN,
        *_in(MentoringRequest.country_code, countries),
    )
    options = (joinedload(MentoringRequest.school, innerjoin=True),)
    return _block(query, MentoringRequest.created_at, MentoringRequest.id, options=options)


def countries_of(countries: list[str] | None) -> list[str]:
    query = select(Country.code).order_by(Country.code)
    if countries is not None:
        query = query.where(Country.code.in_(countries))
    return list(db.session.scalars(query))


def white_spots(country_code: str, today: date | None = None) -> tuple[int, int]:
    """How many regions of the country its dashboard marks as white spots (no ambassador,
    no recent activity, or requests waiting long), of how many; kept under the country's
    data version like its dashboard, so never stale."""
    today = today or datetime.now(UTC).date()
    country = db.session.get(Country, country_code)

    def counted() -> tuple[int, int]:
        data = build(country_code, Period(today, today, country.timezone), today)
        return sum(1 for region in data.regions if region.white_spots(today)), len(data.regions)

    return cached_figures(country, ("home-white-spots", today), counted)
