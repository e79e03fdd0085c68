"""Mentoring operations: running the matching, proposals, and the match lifecycle.

proposed → accepted / declined → active → completed / ended. A mentor's ``load``
counts their accepted and active matches; it only changes through conditional
UPDATEs (``load < capacity``), so simultaneous accepts can never overfill a mentor,
and a CHECK constraint in the database is the backstop.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.database import begin_write, utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.notify import notify
from app.mentoring.enums import OPEN_MATCH_STATES, MatchStatus, RequestStatus
from app.mentoring.matching import engine
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.schools.labels import mentor_eligible


class MentorFull(Refused):
    """The mentor has no free capacity left."""

    reason = _l("This mentor is full: all their places are taken.")


class NotAllowedNow(Refused):
    """The match (or the request) is not in a state where this step can happen."""


ANSWERED = _l("This proposal has already been answered.")


def weights() -> dict[str, float]:
    return {**engine.DEFAULT_WEIGHTS, **current_app.config.get("MATCHING_WEIGHTS", {})}


def mentor_spec(profile: MentorProfile) -> engine.Mentor:
    return engine.Mentor(
        id=profile.id,
        country=profile.country_code,
        region=profile.region_code,
        capacity=profile.capacity,
        load=profile.load,
        languages=frozenset(profile.languages or []),
        levels=frozenset(profile.levels or []),
        pillars=frozenset(profile.pillars or []),
        regions=frozenset(profile.regions or []),
        modes=frozenset(profile.modes or []),
    )


def request_spec(row: MentoringRequest, today: date) -> engine.Request:
    return engine.Request(
        id=row.id,
        country=row.country_code,
        region=row.region_code,
        languages=frozenset(row.languages or []),
        levels=frozenset(row.levels or []),
        pillars=frozenset(row.pillars or []),
        mode=row.mode.value,
        waiting_days=max((today - row.created_at.date()).days, 0),
    )


def available_mentors(country: str, today: date) -> list[MentorProfile]:
    query = select(MentorProfile).where(
        MentorProfile.country_code == country,
        MentorProfile.paused.is_(False),
        MentorProfile.load < MentorProfile.capacity,
        (MentorProfile.available_until.is_(None)) | (MentorProfile.available_until >= today),
        mentor_eligible(MentorProfile.user_id, MentorProfile.school_id, today),
    )
    return list(db.session.scalars(query))


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
    return list(db.session.scalars(_waiting(country, region)))


def waiting_count(country: str) -> int:
    """How many requests :func:`waiting_requests` would return for the whole country."""
    waiting = _waiting(country, None).subquery()
    return db.session.scalar(select(func.count()).select_from(waiting))


def run_matching(country: str, region: str | None, actor) -> MatchRun:
    """Compute the optimal proposals for a country (or one region) as a draft run."""
    today = datetime.now(UTC).date()
    mentors = available_mentors(country, today)
    requests = waiting_requests(country, region)
    result = engine.solve(
        [mentor_spec(m) for m in mentors], [request_spec(r, today) for r in requests], weights()
    )
    run = MatchRun(
        country_code=country,
        region_code=region,
        run_by_id=actor.id,
        total_score=result.total / engine.POINTS,
        proposals=len(result.proposals),
    )
    db.session.add(run)
    db.session.flush()
    if result.proposals:
        db.session.execute(
            Match.__table__.insert(),
            [
                {
                    "request_id": p.request_id,
                    "mentor_id": p.mentor_id,
                    "run_id": run.id,
                    "status": MatchStatus.PROPOSED.value,
                    "score": p.score / engine.POINTS,
                    "explanation": p.explanation,
                    "proposed_by_id": actor.id,
                    "decline_reason": "",
                    "feedback_school": "",
                    "feedback_mentor": "",
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                }
                for p in result.proposals
            ],
        )
    audit.record(
        "matching.run",
        actor=actor,
        object_type="match_run",
        object_id=run.id,
        country_code=country,
        proposals=len(result.proposals),
        candidates=result.candidates,
    )
    return run


def is_draft(match: Match) -> bool:
    return match.run_id is not None and db.session.get(MatchRun, match.run_id).confirmed_at is None


def confirm_run(run: MatchRun, actor) -> int:
    """Publish a run's proposals to the mentors."""
    run.confirmed_at = utcnow()
    matches = db.session.scalars(
        select(Match)
        .where(Match.run_id == run.id, Match.status == MatchStatus.PROPOSED)
        .options(selectinload(Match.mentor).selectinload(MentorProfile.user))
    ).all()
    for match in matches:
        notify(
            [match.mentor.user],
            "mentoring.proposal",
            {"match": match.id},
            "mentoring_proposal",
            match=match,
        )
    audit.record(
        "matching.confirm",
        actor=actor,
        object_type="match_run",
        object_id=run.id,
        country_code=run.country_code,
        proposals=len(matches),
    )
    return len(matches)


def withdraw_proposal(match: Match, actor) -> None:
    """Take a proposal back before the mentor answered."""
    if match.status is not MatchStatus.PROPOSED:
        raise NotAllowedNow(_l("Only proposals the mentor has not answered can be withdrawn."))
    _record("matching.withdraw", match, actor)
    db.session.delete(match)


def propose(request: MentoringRequest, mentor: MentorProfile, actor) -> Match:
    """A proposal made by hand: a coordinator, or the school choosing a mentor."""
    pairs = engine.score_pairs(
        [mentor_spec(mentor)], [request_spec(request, utcnow().date())], weights()
    )
    today = utcnow().date()
    unavailable = mentor.available_until is not None and mentor.available_until < today
    cannot = _l("This mentor cannot be asked for this request now.")
    eligible = db.session.scalar(select(mentor_eligible(mentor.user_id, mentor.school_id, today)))
    if not pairs or mentor.paused or unavailable or not eligible:
        raise NotAllowedNow(cannot)
    open_for_request = db.session.scalar(
        select(Match.id).where(Match.request_id == request.id, Match.status.in_(OPEN_MATCH_STATES))
    )
    if open_for_request is not None:
        raise NotAllowedNow(cannot)
    (pair,) = pairs
    match = Match(
        request_id=request.id,
        mentor_id=mentor.id,
        status=MatchStatus.PROPOSED,
        score=pair.score / engine.POINTS,
        explanation=pair.explanation,
        proposed_by_id=actor.id,
    )
    db.session.add(match)
    db.session.flush()
    _record("matching.propose", match, actor)
    notify(
        [mentor.user], "mentoring.proposal", {"match": match.id}, "mentoring_proposal", match=match
    )
    return match


def accept(match: Match, actor) -> None:
    """The mentor accepts: one unit of their capacity, or MentorFull when none is left.

    The capacity check and the writes are one transaction that holds the write lock from
    its start, and one savepoint: a refusal leaves nothing behind."""
    begin_write(db.session)
    try:
        with db.session.begin_nested():
            _claim_place(match)
    except IntegrityError:  # another accept of this request won the unique index
        raise NotAllowedNow(ANSWERED) from None
    db.session.expire_all()
    _record("mentoring.accept", match, actor)
    _tell_school(match, "mentoring_accepted")


def _claim_place(match: Match) -> None:
    claimed = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == MatchStatus.PROPOSED)
        .values(status=MatchStatus.ACCEPTED, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise NotAllowedNow(ANSWERED)
    room = db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.id == match.mentor_id, MentorProfile.load < MentorProfile.capacity)
        .values(load=MentorProfile.load + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if room != 1:
        raise MentorFull
    db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.id == match.request_id)
        .values(status=RequestStatus.MATCHED)
        .execution_options(synchronize_session=False)
    )


def decline(match: Match, reason: str, actor) -> None:
    if match.status is not MatchStatus.PROPOSED:
        raise NotAllowedNow(ANSWERED)
    match.status = MatchStatus.DECLINED
    match.decided_at = utcnow()
    match.decline_reason = reason.strip()
    _record("mentoring.decline", match, actor)
    _tell_school(match, "mentoring_declined")


def start(match: Match, actor) -> None:
    if match.status is not MatchStatus.ACCEPTED:
        raise NotAllowedNow(_l("Only an accepted mentoring can start."))
    match.status = MatchStatus.ACTIVE
    _record("mentoring.start", match, actor)


def finish(match: Match, completed: bool, feedback: str, actor) -> None:
    """Complete (or end early) an accepted or active match, with the feedback of the side
    that closes it; the mentor's place is freed."""
    if match.status not in (MatchStatus.ACCEPTED, MatchStatus.ACTIVE):
        raise NotAllowedNow(_l("This mentoring is not running."))
    match.status = MatchStatus.COMPLETED if completed else MatchStatus.ENDED
    match.finished_at = utcnow()
    _keep_feedback(match, feedback, actor)
    db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.id == match.mentor_id, MentorProfile.load > 0)
        .values(load=MentorProfile.load - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.id == match.request_id)
        .values(status=RequestStatus.CLOSED)
        .execution_options(synchronize_session=False)
    )
    _record("mentoring." + ("complete" if completed else "end"), match, actor)


def add_feedback(match: Match, feedback: str, actor) -> None:
    """The other side's feedback after the match finished."""
    require_finished(match)
    _keep_feedback(match, feedback, actor)
    _record("mentoring.feedback", match, actor)


def require_finished(match: Match) -> None:
    """Feedback comes once the mentoring has ended."""
    if match.status not in (MatchStatus.COMPLETED, MatchStatus.ENDED):
        raise NotAllowedNow(_l("Feedback can be given once the mentoring has ended."))


def _keep_feedback(match: Match, feedback: str, actor) -> None:
    if match.mentor.user_id == actor.id:
        match.feedback_mentor = feedback.strip()
    else:
        match.feedback_school = feedback.strip()


def _record(action: str, match: Match, actor) -> None:
    """The audit entry of a step in a match's life, filed under its country."""
    request = db.session.get(MentoringRequest, match.request_id)
    audit.record(
        action,
        actor=actor,
        object_type="match",
        object_id=match.id,
        country_code=request.country_code,
    )


def _tell_school(match: Match, template: str) -> None:
    from app.schools.operations import school_admins

    request = db.session.get(MentoringRequest, match.request_id)
    people = school_admins(request.school)
    if request.requested_by_id and request.requested_by_id not in {p.id for p in people}:
        from app.accounts.models import User

        requester = db.session.get(User, request.requested_by_id)
        if requester is not None:
            people.append(requester)
    notify(people, "mentoring." + template, {"match": match.id}, template, match=match)


#: How each criterion of a score is named to people, in their language.
CRITERION_LABELS = {
    "same_region": _l("The mentor works in the school's own region"),
    "region_served": _l("The mentor serves the school's region"),
    "level_match": _l("They share an education level"),
    "pillar_overlap": _l("The mentor knows the pillars the school wants to grow in"),
    "mentor_load": _l("The mentor has free places"),
    "waiting_time": _l("The school has been waiting"),
}
