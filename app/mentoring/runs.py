"""Matching runs: computing a country's proposals as a draft, confirming or discarding
it, and letting proposals that nobody answered expire.

A country's runs (and proposals made by hand, see operations.propose) happen one after
another: each takes the country's matching lock first, so it sees every proposal the
one before it stored, and no mentor is proposed more schools than they have places.
The partial unique index ``uq_match_request_open`` is the backstop: one open proposal
or match per request, whatever happens concurrently.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.database import serialise, utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.notify import notify
from app.mentoring import pool
from app.mentoring.enums import MatchStatus
from app.mentoring.matching import engine
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile, UnmatchedRequest

#: Attempts at storing a run's proposals before giving up (see run_matching).
ATTEMPTS = 3


class RunNotDraft(Refused):
    reason = _l("This run is no longer a draft: it has been confirmed or discarded.")


class RunCollided(Refused):
    reason = _l("Proposals were being made at the same moment. Please run the matching again.")


def lock(country: str) -> None:
    """Take the country's matching lock (see the module)."""
    serialise(db.session, f"matching:{country}")


def run_matching(country: str, region: str | None, actor) -> MatchRun:
    """Compute the best proposals for a country (or one region of it) as a draft run.

    Overdue proposals expire first, so their requests are matched again. Should a
    proposal for one of the requests be stored meanwhile by a writer that did not take
    the lock, the unique index refuses the run's: the run is computed again from what
    is stored now.
    """
    lock(country)
    expire_proposals(utcnow(), country)
    for _attempt in range(ATTEMPTS):
        try:
            with db.session.begin_nested():
                return _run(country, region, actor)
        except IntegrityError:
            db.session.expire_all()
    raise RunCollided


def _run(country: str, region: str | None, actor) -> MatchRun:
    today = utcnow().date()
    mentors = pool.mentors(country, today)
    requests = pool.waiting_requests(country, region)
    result = engine.solve(
        [pool.mentor_spec(profile, held) for profile, held in mentors],
        [pool.request_spec(row, today) for row in requests],
        pool.weights(),
        pool.excluded_pairs([row.id for row in requests]),
    )
    run = MatchRun(
        country_code=country,
        region_code=region,
        run_by_id=actor.id,
        total_score=result.fit_total,
        proposals=len(result.proposals),
        unmatched=len(result.unmatched),
    )
    if not result.proposals:  # nothing to confirm: no empty draft waits for a decision
        run.confirmed_at = utcnow()
    db.session.add(run)
    db.session.flush()
    now = utcnow()
    if result.proposals:
        db.session.execute(
            Match.__table__.insert(),
            [
                {
                    "request_id": p.request_id,
                    "mentor_id": p.mentor_id,
                    "run_id": run.id,
                    "status": MatchStatus.PROPOSED.value,
                    "score": p.fit,
                    "explanation": p.facts,
                    "proposed_by_id": actor.id,
                    "decline_reason": "",
                    "feedback_school": "",
                    "feedback_mentor": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for p in result.proposals
            ],
        )
    if result.unmatched:
        db.session.execute(
            UnmatchedRequest.__table__.insert(),
            [
                {"run_id": run.id, "request_id": u.request_id, "reason": u.reason}
                for u in result.unmatched
            ],
        )
    _record(
        "matching.run",
        run,
        actor,
        proposals=len(result.proposals),
        unmatched=len(result.unmatched),
        candidates=result.candidates,
    )
    return run


def _record(action: str, run: MatchRun, actor, **details) -> None:
    audit.record(
        action,
        actor=actor,
        object_type="match_run",
        object_id=run.id,
        country_code=run.country_code,
        **details,
    )


def is_draft(run: MatchRun) -> bool:
    return run.confirmed_at is None and run.discarded_at is None


def confirm_run(run: MatchRun, actor) -> int:
    """Publish a draft's proposals to the mentors; a confirmed run stays as it is."""
    if run.confirmed_at is not None:
        return 0
    if run.discarded_at is not None:
        raise RunNotDraft
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
    _record("matching.confirm", run, actor, proposals=len(matches))
    return len(matches)


def discard_run(run: MatchRun, actor) -> int:
    """Drop a draft: its proposals are deleted (no mentor saw them) and its requests go
    back to matching. Discarding twice changes nothing; a confirmed run cannot be."""
    if run.discarded_at is not None:
        return 0
    if run.confirmed_at is not None:
        raise RunNotDraft
    dropped = _discard(run)
    _record("matching.discard", run, actor, proposals=dropped)
    return dropped


def _discard(run: MatchRun) -> int:
    run.discarded_at = utcnow()
    return db.session.execute(
        delete(Match)
        .where(Match.run_id == run.id, Match.status == MatchStatus.PROPOSED)
        .execution_options(synchronize_session=False)
    ).rowcount


def expires_on(match: Match) -> date | None:
    """The day a proposal waiting for its mentor's answer expires (None for a draft, or a
    match that is not waiting)."""
    if match.status is not MatchStatus.PROPOSED:
        return None
    sent = match.created_at if match.run_id is None else match.run.confirmed_at
    if sent is None:
        return None
    return (sent + timedelta(days=current_app.config["MATCHING_PROPOSAL_DAYS"])).date()


def expire_proposals(now: datetime, country: str | None = None) -> tuple[int, int]:
    """Let proposals nobody answered within MATCHING_PROPOSAL_DAYS expire, and discard
    drafts nobody confirmed in that time; returns (proposals expired, drafts discarded).

    A proposal's time starts when the mentor got it: when it was made by hand, or when
    its run was confirmed. The requests go back to matching; the mentor who let it
    expire is not proposed to that school again.
    """
    cutoff = now - timedelta(days=current_app.config["MATCHING_PROPOSAL_DAYS"])
    sent_runs = select(MatchRun.id).where(MatchRun.confirmed_at < cutoff)
    overdue = [
        Match.status == MatchStatus.PROPOSED,
        or_(and_(Match.run_id.is_(None), Match.created_at < cutoff), Match.run_id.in_(sent_runs)),
    ]
    stale = select(MatchRun).where(
        MatchRun.confirmed_at.is_(None),
        MatchRun.discarded_at.is_(None),
        MatchRun.created_at < cutoff,
    )
    if country is not None:
        requests = select(MentoringRequest.id).where(MentoringRequest.country_code == country)
        overdue.append(Match.request_id.in_(requests))
        stale = stale.where(MatchRun.country_code == country)
    expired = db.session.execute(
        update(Match)
        .where(*overdue)
        .values(status=MatchStatus.EXPIRED, decided_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    drafts = list(db.session.scalars(stale))
    for run in drafts:
        _discard(run)
    if expired or drafts:
        db.session.expire_all()
        audit.record(
            "matching.expire",
            object_type="match",
            country_code=country,
            proposals=expired,
            drafts=len(drafts),
        )
    return expired, len(drafts)
