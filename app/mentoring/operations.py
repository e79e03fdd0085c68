"""Mentoring operations: proposals made by hand, and the life of a match (runs.py runs
the matching).

proposed → active (accepting starts the mentoring) / declined → completed / ended;
``accepted`` remains only for matches accepted before accepting started them. A mentor's ``load``
counts their accepted and active matches; it only changes through conditional
UPDATEs (``load < capacity``), so simultaneous accepts can never overfill a mentor,
and a CHECK constraint in the database is the backstop.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.database import begin_write, utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.notify import notify
from app.mentoring import pool, runs
from app.mentoring.enums import CAPACITY_STATES, OPEN_MATCH_STATES, MatchStatus, RequestStatus
from app.mentoring.matching import fit
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile


class MentorFull(Refused):
    """The mentor has no free capacity left."""

    reason = _l("This mentor is full: all their places are taken.")


class NotAllowedNow(Refused):
    """The match (or the request) is not in a state where this step can happen."""


ANSWERED = _l("This proposal has already been answered.")


def is_draft(match: Match) -> bool:
    return match.run_id is not None and db.session.get(MatchRun, match.run_id).confirmed_at is None


def withdraw_proposal(match: Match, actor) -> None:
    """Take a proposal back before the mentor answered."""
    if match.status is not MatchStatus.PROPOSED:
        raise NotAllowedNow(_l("Only proposals the mentor has not answered can be withdrawn."))
    _record("matching.withdraw", match, actor)
    db.session.delete(match)


def propose(request: MentoringRequest, mentor: MentorProfile, actor) -> Match:
    """A proposal made by hand: a coordinator, or the school choosing a mentor.

    The same rules as a run: the mentor takes part today, fits the request, has a place
    that no accepted match or waiting proposal holds, and has not declined this school
    (or let its proposal expire); the request has no proposal or mentor in progress.
    """
    runs.lock(request.country_code)
    today = utcnow().date()
    cannot = NotAllowedNow(_l("This mentor cannot be asked for this request now."))
    found = pool.mentors(request.country_code, today, only=mentor.id)
    if not found:  # paused, unavailable, or no longer allowed to mentor
        raise cannot
    (profile, held), spec = found[0], pool.request_spec(request, today)
    facts = fit.pair_fit(pool.mentor_spec(profile, held), spec, pool.weights())
    if facts is None or (request.id, mentor.id) in pool.excluded_pairs([request.id]):
        raise cannot
    open_for_request = db.session.scalar(
        select(Match.id).where(Match.request_id == request.id, Match.status.in_(OPEN_MATCH_STATES))
    )
    if open_for_request is not None:
        raise cannot
    if held >= profile.capacity:
        raise MentorFull
    match = Match(
        request_id=request.id,
        mentor_id=mentor.id,
        status=MatchStatus.PROPOSED,
        score=facts["fit"],
        explanation=facts,
        proposed_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(match)
            db.session.flush()
    except IntegrityError:  # a proposal for this request was stored at the same moment
        raise cannot from None
    _record("matching.propose", match, actor)
    notify(
        [mentor.user], "mentoring.proposal", {"match": match.id}, "mentoring_proposal", match=match
    )
    return match


def accept(match: Match, actor) -> None:
    """The mentor accepts, which starts the mentoring: one unit of their capacity, or
    MentorFull when none is left.

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
        .values(status=MatchStatus.ACTIVE, decided_at=utcnow())
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
    """Start a match accepted before accepting started it (its first session does)."""
    if match.status is not MatchStatus.ACCEPTED:
        raise NotAllowedNow(_l("Only an accepted mentoring can start."))
    match.status = MatchStatus.ACTIVE
    _record("mentoring.start", match, actor)


def finish(match: Match, completed: bool, feedback: str, actor) -> None:
    """Complete (or end early) an accepted or active match, with the feedback of the side
    that closes it; the mentor's place is freed."""
    require_running(match)
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


def require_running(match: Match) -> None:
    """Only an accepted (running) mentoring can be closed."""
    if match.status not in (MatchStatus.ACCEPTED, MatchStatus.ACTIVE):
        raise NotAllowedNow(_l("This mentoring is not running."))


def add_feedback(match: Match, feedback: str, actor) -> None:
    """The other side's feedback after the match finished."""
    require_finished(match)
    _keep_feedback(match, feedback, actor)
    _record("mentoring.feedback", match, actor)


def require_finished(match: Match) -> None:
    """Feedback comes once the mentoring has ended."""
    if match.status not in (MatchStatus.COMPLETED, MatchStatus.ENDED):
        raise NotAllowedNow(_l("Feedback can be given once the mentoring has ended."))


def mentor_leaves(user_id: int) -> int:
    """The mentor deletes their account: their matches stay the schools' (with the school's
    feedback and the sessions), shown as the work of a former mentor once the profile is
    gone. A proposal still waiting for them expires and a running mentoring ends, so its
    request goes back to matching. The mentor's own words (their feedback, their reasons
    for declining) go with them. Returns the number of requests offered again. Flushes.
    """
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user_id))
    if profile is None:
        return 0
    now, reopened = utcnow(), 0
    for match in db.session.scalars(select(Match).where(Match.mentor_id == profile.id)):
        match.feedback_mentor = match.decline_reason = ""
        if match.status is MatchStatus.PROPOSED:
            match.status, match.decided_at = MatchStatus.EXPIRED, now
        elif match.status in CAPACITY_STATES:
            match.status, match.finished_at = MatchStatus.ENDED, now
            reopened += _back_to_matching(match.request)
        else:
            continue
        # No actor and no address: the entry must not tell who left, nor from where.
        request = match.request
        audit.record("mentoring.mentor_left", object_type="match", object_id=match.id,
                     country_code=request.country_code, with_ip=False)  # fmt: skip
    db.session.flush()
    return reopened


def _back_to_matching(request: MentoringRequest) -> int:
    """A matched request whose mentor left is open again, so that matching offers it
    again; unless the school has filed another open request meanwhile (one open request
    per school), which then stands for it and this one is closed."""
    if request.status is not RequestStatus.MATCHED:
        return 0
    another = db.session.scalar(
        select(MentoringRequest.id).where(
            MentoringRequest.school_id == request.school_id,
            MentoringRequest.status == RequestStatus.OPEN,
            MentoringRequest.id != request.id,
        )
    )
    request.status = RequestStatus.CLOSED if another else RequestStatus.OPEN
    return 0 if another else 1


def _keep_feedback(match: Match, feedback: str, actor) -> None:
    if match.mentor is not None and match.mentor.user_id == actor.id:
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
