"""Who is due which reminder, each kind one set-based query.

A query selects ``subject_id``, ``period``, ``user_id`` and what the mail says of the
subject; :func:`due` adds the recipient, their preference for the kind, and leaves out
what the log already holds, so each row is a mail still to decide. Each reminder has
its day and a week of grace after it (a run missed on its day still sends it, a
reminder of long ago never starts), and every query is bounded by ``BATCH``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import CoordinatorCountry, Membership, User
from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.extensions import db
from app.core.school_years import EXPIRING_DAYS, label_valid_until, school_year_of
from app.geography.models import Country
from app.mentoring.enums import CAPACITY_STATES, MatchStatus, RequestStatus
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.notifications.enums import Frequency, Kind
from app.notifications.models import MailPreference, ReminderLog
from app.schools.enums import AmbassadorStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, School

#: The most reminders of one kind and period decided in one run; the rest wait a run.
BATCH = 5000
#: Days after its day a reminder is still sent, for a run that did not happen.
GRACE_DAYS = 6
ACTIVITY_DAYS = (3, 10)
PROPOSAL_DAYS = (3, 7)
QUIET_DAYS = 30
CHECK_IN_DAYS = 91  # three months
REQUEST_DAYS = 30


@dataclass(frozen=True)
class Due:
    kind: Kind
    query: Select | CompoundSelect


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def reached(moment: ColumnElement, today: date, days: int) -> ColumnElement:
    """``moment`` fell on the day ``days`` before ``today``, or up to a week before it."""
    return and_(
        moment < midnight(today - timedelta(days=days - 1)),
        moment >= midnight(today - timedelta(days=days + GRACE_DAYS)),
    )


def _staff(school_id: ColumnElement, also: ColumnElement | None = None) -> ColumnElement:
    """The approved school admins of ``school_id`` (and the user ``also``, a member)."""
    role = Membership.role == MembershipRole.ADMIN
    return and_(
        Membership.school_id == school_id,
        Membership.status == MembershipStatus.APPROVED,
        role if also is None else or_(role, Membership.user_id == also),
    )


def activity_report(today: date, days: int) -> Select:
    """Activities that ended ``days`` ago and were neither reported nor cancelled: to the
    school's admins and to whoever logged the activity, if still a member."""
    return (
        select(
            Activity.id.label("subject_id"),
            literal(f"d{days}").label("period"),
            Membership.user_id.label("user_id"),
            Activity.title.label("title"),
            School.name.label("school"),
            Activity.ends_at.label("moment"),
        )
        .join(School, School.id == Activity.school_id)
        .join(Membership, _staff(Activity.school_id, Activity.created_by_id))
        .where(Activity.status == ActivityStatus.PLANNED, reached(Activity.ends_at, today, days))
    )


def proposal_waiting(today: date, days: int) -> Select:
    """Proposals the mentor has not answered ``days`` after getting them (when made by
    hand, or when their run was confirmed)."""
    sent = func.coalesce(MatchRun.confirmed_at, Match.created_at)
    return (
        select(
            Match.id.label("subject_id"),
            literal(f"d{days}").label("period"),
            MentorProfile.user_id.label("user_id"),
            School.name.label("school"),
            sent.label("moment"),
        )
        .join(MentorProfile, MentorProfile.id == Match.mentor_id)
        .join(MentoringRequest, MentoringRequest.id == Match.request_id)
        .join(School, School.id == MentoringRequest.school_id)
        .outerjoin(MatchRun, MatchRun.id == Match.run_id)
        .where(
            Match.status == MatchStatus.PROPOSED,
            or_(Match.run_id.is_(None), MatchRun.confirmed_at.is_not(None)),
            reached(sent, today, days),
        )
    )


def _both_sides(matches: Select, period: Callable[[Any], ColumnElement]) -> Select:
    """The mentor and the requesting school's admins (and who asked) of ``matches``,
    which selects ``match_id``, ``mentor_id``, ``school_id``, ``requested_by_id`` and
    ``moment``; ``period`` names the period from those columns."""
    chosen = matches.subquery()
    school = aliased(School)
    columns = (chosen.c.match_id.label("subject_id"), period(chosen.c).label("period"))
    mentor = select(*columns, MentorProfile.user_id.label("user_id"), chosen.c.moment).join(
        MentorProfile, MentorProfile.id == chosen.c.mentor_id
    )
    staff = select(*columns, Membership.user_id.label("user_id"), chosen.c.moment).join(
        Membership, _staff(chosen.c.school_id, chosen.c.requested_by_id)
    )
    both = mentor.union(staff).subquery()
    return (
        select(both, school.name.label("school"))
        .join(Match, Match.id == both.c.subject_id)
        .join(MentoringRequest, MentoringRequest.id == Match.request_id)
        .join(school, school.id == MentoringRequest.school_id)
    )


def _matches(*columns) -> Select:
    return (
        select(
            Match.id.label("match_id"),
            Match.mentor_id.label("mentor_id"),
            MentoringRequest.school_id.label("school_id"),
            MentoringRequest.requested_by_id.label("requested_by_id"),
            *columns,
        )
        .join(MentoringRequest, MentoringRequest.id == Match.request_id)
        .where(Match.status.in_(CAPACITY_STATES))
    )


def mentorship_quiet(today: date) -> Select:
    """Mentorships in which no session has been logged for 30 days (or none since the
    mentor accepted). A spell is named by the last session logged, so a new session
    and a new quiet month mean a new reminder."""
    sessions = (
        select(
            Activity.match_id,
            func.max(Activity.ends_at).label("last"),
            func.max(Activity.id).label("last_id"),
        )
        .where(Activity.match_id.is_not(None), Activity.status != ActivityStatus.CANCELLED)
        .group_by(Activity.match_id)
        .subquery()
    )
    last = func.coalesce(sessions.c.last, Match.decided_at)
    matches = (
        _matches(last.label("moment"), func.coalesce(sessions.c.last_id, 0).label("last_id"))
        .outerjoin(sessions, sessions.c.match_id == Match.id)
        .where(last < midnight(today - timedelta(days=QUIET_DAYS - 1)))
    )
    return _both_sides(matches, lambda chosen: literal("s") + cast(chosen.last_id, String))


def mentorship_checkin(today: date) -> Select:
    """Three months after the mentor accepted: a check-in for both sides."""
    moment = Match.decided_at
    return _both_sides(
        _matches(moment.label("moment")).where(reached(moment, today, CHECK_IN_DAYS)),
        lambda _chosen: literal("m3"),
    )


def label_expiring(today: date, countries: list[Country]) -> Select | None:
    """Schools whose label ends with this school year of their country, from the day it
    shows as expiring: to their school admins, once per label."""
    years = []
    for country in countries:
        start = country.year_start
        label_year = school_year_of(today, start) - 1
        if (label_valid_until(label_year, start) - today).days < EXPIRING_DAYS:
            years.append(and_(School.country_code == country.code, School.label_year == label_year))
    if not years:
        return None
    return (
        select(
            School.id.label("subject_id"),
            cast(School.label_year, String).label("period"),
            Membership.user_id.label("user_id"),
            School.name.label("school"),
            School.label_year.label("label_year"),
        )
        .join(Membership, _staff(School.id))
        .where(or_(*years))
    )


def request_waiting(today: date) -> Select:
    """Mentoring requests open for 30 days: to the coordinators of their country."""
    return (
        select(
            MentoringRequest.id.label("subject_id"),
            literal(f"d{REQUEST_DAYS}").label("period"),
            CoordinatorCountry.user_id.label("user_id"),
            School.name.label("school"),
            MentoringRequest.created_at.label("moment"),
        )
        .join(School, School.id == MentoringRequest.school_id)
        .join(CoordinatorCountry, CoordinatorCountry.country_code == MentoringRequest.country_code)
        .where(
            MentoringRequest.status == RequestStatus.OPEN,
            reached(MentoringRequest.created_at, today, REQUEST_DAYS),
        )
    )


def country_news(today: date) -> CompoundSelect:
    """What came in yesterday (or in the week before, for a missed run) and still waits
    for a coordinator of its country: schools to verify, ambassador applications,
    mentoring requests; the period names which."""

    def news(period: str, subject, created, waits, of_school=None) -> Select:
        query = select(
            subject.label("subject_id"),
            literal(period).label("period"),
            CoordinatorCountry.user_id.label("user_id"),
            literal(period).label("news"),  # the period, for the mail
            School.id.label("school_id"),
            School.name.label("school"),
        )
        if of_school is not None:  # the subject's own table, then its school
            query = query.select_from(of_school).join(School, School.id == of_school.school_id)
        return query.join(
            CoordinatorCountry, CoordinatorCountry.country_code == School.country_code
        ).where(waits, reached(created, today, 1))

    return union_all(
        news("school", School.id, School.created_at, School.status == SchoolStatus.PENDING),
        news("ambassador", AmbassadorPeriod.id, AmbassadorPeriod.created_at,
             AmbassadorPeriod.status == AmbassadorStatus.APPLIED, AmbassadorPeriod),
        news("request", MentoringRequest.id, MentoringRequest.created_at,
             MentoringRequest.status == RequestStatus.OPEN, MentoringRequest),
    )  # fmt: skip


def due(kind: Kind, candidates: Select | CompoundSelect) -> Select:
    """``candidates`` with the recipient's address, language and chosen frequency, less
    those already in the log and those who want none of ``kind``."""
    chosen = candidates.subquery()
    preference = aliased(MailPreference)
    logged = exists().where(
        ReminderLog.kind == kind.value,
        ReminderLog.subject_id == chosen.c.subject_id,
        ReminderLog.period == chosen.c.period,
        ReminderLog.user_id == chosen.c.user_id,
    )
    return (
        select(chosen, User.email, User.locale, preference.frequency)
        .join(User, User.id == chosen.c.user_id)
        .outerjoin(preference, and_(preference.user_id == User.id, preference.kind == kind.value))
        .where(
            User.active.is_(True),
            ~logged,
            or_(preference.frequency.is_(None), preference.frequency != Frequency.NEVER),
        )
        .order_by(chosen.c.subject_id, chosen.c.user_id)
        .limit(BATCH)
    )


def candidates(today: date) -> list[Due]:
    """Every reminder query of ``today``."""
    found = [Due(Kind.ACTIVITY_REPORT, activity_report(today, days)) for days in ACTIVITY_DAYS]
    found += [Due(Kind.PROPOSAL_WAITING, proposal_waiting(today, d)) for d in PROPOSAL_DAYS]
    found.append(Due(Kind.MENTORSHIP_QUIET, mentorship_quiet(today)))
    found.append(Due(Kind.MENTORSHIP_CHECKIN, mentorship_checkin(today)))
    labels = label_expiring(today, list(db.session.scalars(select(Country))))
    if labels is not None:
        found.append(Due(Kind.LABEL_EXPIRING, labels))
    found.append(Due(Kind.REQUEST_WAITING, request_waiting(today)))
    found.append(Due(Kind.COUNTRY_NEWS, country_news(today)))
    return found
