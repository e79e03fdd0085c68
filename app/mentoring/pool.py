"""Who takes part in matching, checked afresh at every run and every proposal.

A mentor takes part while their profile is not paused, their availability has not run
out, their account is active, they are still an approved member of their school, and
that school is verified and holds a valid eTwinning School label or is an ambassador
school today. The places they hold are their accepted and active matches plus the
proposals waiting for their answer. A request takes part while it is open and has no
proposal or mentor in progress. A pair is never proposed again once the mentor
declined that school or let a proposal for it expire.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import Select, func, or_, select

from app.core.extensions import db
from app.mentoring.enums import EXCLUDING_STATES, OPEN_MATCH_STATES, MatchStatus, RequestStatus
from app.mentoring.matching.fit import Mentor, Request, weights_of
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.schools.labels import mentor_eligible


def weights() -> dict[str, int]:
    return weights_of(current_app.config.get("MATCHING_WEIGHTS"))


def eligible(query: Select, today: date) -> Select:
    """``query`` (over MentorProfile) narrowed to the mentors who may mentor ``today``: not
    paused, still available, and allowed to mentor (app.schools.labels.mentor_eligible:
    an active, approved member of a verified school with a valid label in its country's
    school year, or an ambassador school)."""
    return query.where(
        MentorProfile.paused.is_(False),
        or_(MentorProfile.available_until.is_(None), MentorProfile.available_until >= today),
        mentor_eligible(MentorProfile.user_id, MentorProfile.school_id, today),
    )


def pending() -> Select:
    """(mentor id, proposals waiting for their answer), drafts included."""
    return (
        select(Match.mentor_id, func.count().label("pending"))
        .where(Match.status == MatchStatus.PROPOSED)
        .group_by(Match.mentor_id)
        .subquery()
    )


def mentors(country: str, today: date, only: int | None = None) -> list[tuple[MentorProfile, int]]:
    """The mentors of ``country`` taking part today (or just mentor ``only``), each with
    the places they hold."""
    waiting = pending()
    held = MentorProfile.load + func.coalesce(waiting.c.pending, 0)
    query = select(MentorProfile, held).outerjoin(waiting, waiting.c.mentor_id == MentorProfile.id)
    query = eligible(query.where(MentorProfile.country_code == country), today)
    if only is not None:
        query = query.where(MentorProfile.id == only)
    rows = db.session.execute(query.order_by(MentorProfile.id))
    return [(profile, places) for profile, places in rows]


def free_mentors(country: str, today: date) -> list[tuple[MentorProfile, int]]:
    return [(profile, held) for profile, held in mentors(country, today) if held < profile.capacity]


def _waiting(country: str, region: str | None) -> Select:
    busy = select(Match.request_id).where(Match.status.in_(OPEN_MATCH_STATES))
    query = select(MentoringRequest).where(
        MentoringRequest.country_code == country,
        MentoringRequest.status == RequestStatus.OPEN,
        MentoringRequest.id.not_in(busy),
    )
    return query.where(MentoringRequest.region_code == region) if region else query


def waiting_requests(country: str, region: str | None) -> list[MentoringRequest]:
    """Open requests without a proposal or match in progress."""
    return list(db.session.scalars(_waiting(country, region).order_by(MentoringRequest.id)))


def waiting_count(country: str) -> int:
    """How many requests :func:`waiting_requests` would return for the whole country."""
    waiting = _waiting(country, None).subquery()
    return db.session.scalar(select(func.count()).select_from(waiting))


def excluded_pairs(request_ids) -> set[tuple[int, int]]:
    """(request id, mentor id) of the pairs never to propose again, among ``request_ids``
    (a query or a list)."""
    rows = db.session.execute(
        select(Match.request_id, Match.mentor_id).where(
            Match.status.in_(EXCLUDING_STATES),
            Match.request_id.in_(request_ids),
            Match.mentor_id.is_not(None),  # a former mentor is nobody to avoid
        )
    )
    return {(request_id, mentor_id) for request_id, mentor_id in rows}


def mentor_spec(profile: MentorProfile, held: int) -> Mentor:
    return Mentor(
        id=profile.id,
        country=profile.country_code,
        region=profile.region_code,
        capacity=profile.capacity,
        load=held,
        languages=frozenset(profile.languages or []),
        levels=frozenset(profile.levels or []),
        pillars=frozenset(profile.pillars or []),
        regions=frozenset(profile.regions or []),
        modes=frozenset(profile.modes or []),
    )


def request_spec(row: MentoringRequest, today: date) -> Request:
    return Request(
        id=row.id,
        country=row.country_code,
        region=row.region_code,
        languages=frozenset(row.languages or []),
        levels=frozenset(row.levels or []),
        pillars=frozenset(row.pillars or []),
        mode=row.mode.value,
        waiting_days=max((today - row.created_at.date()).days, 0),
    )
