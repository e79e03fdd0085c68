"""Proposals without dead ends: a mentor who declined is not asked again, waiting proposals
hold their mentor's place, unanswered proposals expire, drafts can be discarded, and who
may mentor is checked again at every run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.enums import MembershipStatus
from app.accounts.models import Membership, User
from app.core.database import utcnow
from app.core.models import AuditEntry
from app.mentoring import pool
from app.mentoring.enums import MatchStatus, UnmatchedReason
from app.mentoring.models import Match, MatchRun, MentorProfile, UnmatchedRequest
from app.schools.models import School
from tests.support.mentoring import add_mentor, add_request, etwinning_school, login

OWN, OTHER = "TR-01", "TR-06"


@pytest.fixture
def coordinator(app, make):
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    return login(app, "coord.tr@example.org")


def run(coordinator, region_code: str = "") -> int:
    response = coordinator.post("/mentoring/run", data={"country": "TR", "region": region_code})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def proposals(session, run_id: int) -> set[tuple[int, int]]:
    session.expire_all()
    rows = session.execute(select(Match.request_id, Match.mentor_id).where(Match.run_id == run_id))
    return set(rows)


def reasons(session, run_id: int) -> dict[int, UnmatchedReason]:
    rows = session.execute(
        select(UnmatchedRequest.request_id, UnmatchedRequest.reason).where(
            UnmatchedRequest.run_id == run_id
        )
    )
    return dict(rows.all())


def school_in(make, session, code: str, **fields) -> School:
    from app.geography.models import Region

    return make.school("TR", region=session.get(Region, code), **fields)


def mentor_in(make, session, code: str, **fields) -> MentorProfile:
    from app.geography.models import Region

    home = etwinning_school(make, "TR", region=session.get(Region, code))
    return add_mentor(make, session, home, **fields)


def test_a_mentor_who_declined_is_not_proposed_to_that_school_again(
    app, make, db_session, coordinator
):
    mentor = mentor_in(make, db_session, OWN, email="first@example.org", capacity=3)
    mentor_id = mentor.id
    request_id = add_request(db_session, school_in(make, db_session, OWN)).id
    first = run(coordinator)
    assert proposals(db_session, first) == {(request_id, mentor_id)}
    assert coordinator.post(f"/mentoring/runs/{first}/confirm").status_code == 302
    (match_id,) = db_session.scalars(select(Match.id).where(Match.run_id == first))
    declined = login(app, "first@example.org").post(
        f"/mentoring/matches/{match_id}/decline", data={"reason": "No time."}
    )
    assert declined.status_code == 302

    second = run(coordinator)

    assert proposals(db_session, second) == set()
    assert reasons(db_session, second) == {request_id: UnmatchedReason.DECLINED}
    other_id = mentor_in(make, db_session, OTHER, regions=[OWN]).id
    assert proposals(db_session, run(coordinator)) == {(request_id, other_id)}


def test_a_mentor_with_one_place_never_holds_two_proposals(make, db_session, coordinator):
    mentor_id = mentor_in(make, db_session, OWN, capacity=1, regions=[OTHER]).id
    here = add_request(db_session, school_in(make, db_session, OWN)).id
    there = add_request(db_session, school_in(make, db_session, OTHER), waiting_days=50).id

    first = run(coordinator, OWN)  # region by region: the proposal of one waits...
    second = run(coordinator, OTHER)  # ...while the next region is matched

    assert proposals(db_session, first) == {(here, mentor_id)}
    assert proposals(db_session, second) == set()
    assert reasons(db_session, second) == {there: UnmatchedReason.FULL}
    pending = db_session.scalar(
        select(func.count()).where(Match.mentor_id == mentor_id, Match.status == "proposed")
    )
    assert pending == 1


def test_a_school_cannot_ask_a_mentor_whose_places_wait_for_answers(
    app, make, db_session, coordinator
):
    mentor_id = mentor_in(make, db_session, OWN, capacity=1).id
    add_request(db_session, school_in(make, db_session, OWN), waiting_days=9)
    run(coordinator)  # a draft proposal holds the only place
    asking = school_in(make, db_session, OWN)
    make.member(asking, email="teacher@example.org")
    request_id = add_request(db_session, asking).id
    teacher = login(app, "teacher@example.org")

    page = teacher.get(f"/mentoring/requests/{request_id}").get_data(as_text=True)
    asked = teacher.post(
        f"/mentoring/requests/{request_id}/ask/{mentor_id}?lang=en", follow_redirects=True
    )

    assert f"/ask/{mentor_id}" not in page
    assert "This mentor is full: all their places are taken." in asked.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).where(Match.request_id == request_id)) == 0


def _sent(db_session, run_id: int, days_ago: int) -> None:
    """Confirm a run ``days_ago`` days ago."""
    db_session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id)
        .values(confirmed_at=utcnow() - timedelta(days=days_ago))
    )
    db_session.commit()


def test_unanswered_proposals_expire_and_their_requests_are_matched_again(
    app, make, db_session, coordinator, runner
):
    silent_id = mentor_in(make, db_session, OWN, capacity=2).id
    late = add_request(db_session, school_in(make, db_session, OWN), waiting_days=40).id
    recent = add_request(db_session, school_in(make, db_session, OWN), waiting_days=30).id
    first = run(coordinator)
    assert proposals(db_session, first) == {(late, silent_id), (recent, silent_id)}
    _sent(db_session, first, days_ago=15)
    db_session.execute(  # one of them was sent only 13 days ago (a proposal by hand)
        update(Match)
        .where(Match.request_id == recent)
        .values(run_id=None, created_at=utcnow() - timedelta(days=13))
    )
    db_session.commit()

    result = runner.invoke(args=["mentoring", "expire"])

    assert result.exit_code == 0, result.output
    assert "1 proposals expired, 0 draft runs discarded" in result.output
    db_session.expire_all()
    statuses = dict(db_session.execute(select(Match.request_id, Match.status)).all())
    assert statuses == {late: MatchStatus.EXPIRED, recent: MatchStatus.PROPOSED}
    assert pool.waiting_requests("TR", None)[0].id == late  # back to matching
    other_id = mentor_in(make, db_session, OTHER, regions=[OWN]).id
    # The mentor who let it expire is not proposed again; somebody else is.
    assert proposals(db_session, run(coordinator)) == {(late, other_id)}
    assert db_session.scalar(
        select(AuditEntry.details).where(AuditEntry.action == "matching.expire")
    ) == {"proposals": 1, "drafts": 0}


def test_a_run_lets_overdue_proposals_expire_first(app, make, db_session, coordinator):
    app.config["MATCHING_PROPOSAL_DAYS"] = 3
    try:
        mentor_in(make, db_session, OWN, capacity=1)
        request_id = add_request(db_session, school_in(make, db_session, OWN)).id
        first = run(coordinator)
        _sent(db_session, first, days_ago=4)
        newer = mentor_in(make, db_session, OWN, capacity=1).id

        second = run(coordinator)

        assert proposals(db_session, second) == {(request_id, newer)}
        expired = db_session.scalar(select(Match).where(Match.run_id == first))
        assert (expired.status, expired.decided_at is not None) == (MatchStatus.EXPIRED, True)
    finally:
        app.config["MATCHING_PROPOSAL_DAYS"] = 14


def test_drafts_nobody_confirms_are_discarded_after_the_same_time(
    app, make, db_session, coordinator, runner
):
    mentor_in(make, db_session, OWN)
    add_request(db_session, school_in(make, db_session, OWN))
    draft = run(coordinator)
    db_session.execute(
        update(MatchRun)
        .where(MatchRun.id == draft)
        .values(created_at=utcnow() - timedelta(days=15))
    )
    db_session.commit()

    result = runner.invoke(args=["mentoring", "expire"])

    assert "0 proposals expired, 1 draft runs discarded" in result.output
    db_session.expire_all()
    assert db_session.get(MatchRun, draft).discarded_at is not None
    assert proposals(db_session, draft) == set()


def test_a_coordinator_discards_a_draft_and_its_requests_are_matched_again(
    make, db_session, coordinator
):
    mentor_id = mentor_in(make, db_session, OWN).id
    request_id = add_request(db_session, school_in(make, db_session, OWN)).id
    draft = run(coordinator)
    assert "Discard this draft" in coordinator.get(f"/mentoring/runs/{draft}").get_data(
        as_text=True
    )

    response = coordinator.post(f"/mentoring/runs/{draft}/discard?lang=en", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "The draft has been discarded with its 1 proposal." in page
    assert "This draft was discarded: its requests went back to matching." in page
    assert "Confirm and send to the mentors" not in page
    db_session.expire_all()
    assert db_session.get(MatchRun, draft).discarded_at is not None
    assert proposals(db_session, draft) == set()
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(draft))
    ).all()
    assert actions == ["matching.run", "matching.discard"]
    assert coordinator.post(f"/mentoring/runs/{draft}/confirm").status_code == 409
    assert coordinator.post(f"/mentoring/runs/{draft}/discard").status_code == 302  # no change
    assert proposals(db_session, run(coordinator)) == {(request_id, mentor_id)}


def test_a_confirmed_run_cannot_be_discarded(db_session, make, coordinator):
    mentor_in(make, db_session, OWN)
    add_request(db_session, school_in(make, db_session, OWN))
    confirmed = run(coordinator)
    assert coordinator.post(f"/mentoring/runs/{confirmed}/confirm").status_code == 302

    response = coordinator.post(f"/mentoring/runs/{confirmed}/discard")

    assert response.status_code == 409
    db_session.expire_all()
    assert db_session.get(MatchRun, confirmed).discarded_at is None
    assert len(proposals(db_session, confirmed)) == 1


def _no_longer_member(session, profile):
    session.execute(
        update(Membership)
        .where(Membership.user_id == profile.user_id)
        .values(status=MembershipStatus.PENDING)
    )


def _label_expired(session, profile):
    session.execute(update(School).where(School.id == profile.school_id).values(label_year=2001))


def _account_closed(session, profile):
    session.execute(update(User).where(User.id == profile.user_id).values(active=False))


def _paused(session, profile):
    profile.paused = True


def _no_longer_available(session, profile):
    profile.available_until = utcnow().date() - timedelta(days=1)


@pytest.mark.parametrize(
    "change",
    [_paused, _no_longer_available, _label_expired, _no_longer_member, _account_closed],
)
def test_who_may_mentor_is_checked_again_at_every_run(make, db_session, coordinator, change):
    profile = mentor_in(make, db_session, OWN)
    request_id = add_request(db_session, school_in(make, db_session, OWN)).id
    change(db_session, profile)
    db_session.commit()

    run_id = run(coordinator)

    assert proposals(db_session, run_id) == set()
    assert reasons(db_session, run_id) == {request_id: UnmatchedReason.NO_MENTOR}


def test_an_ambassador_school_without_the_label_may_mentor(make, db_session, coordinator):
    home = school_in(make, db_session, OWN)
    make.ambassador(home)
    mentor_id = add_mentor(make, db_session, home).id
    request_id = add_request(db_session, school_in(make, db_session, OWN)).id

    assert proposals(db_session, run(coordinator)) == {(request_id, mentor_id)}


def test_the_database_holds_one_open_proposal_per_request(make, db_session):
    mentor_id = mentor_in(make, db_session, OWN, capacity=3).id
    request_id = add_request(db_session, school_in(make, db_session, OWN)).id
    db_session.add(Match(request_id=request_id, mentor_id=mentor_id, status=MatchStatus.DECLINED))
    db_session.add(Match(request_id=request_id, mentor_id=mentor_id, status=MatchStatus.PROPOSED))
    db_session.commit()

    db_session.add(Match(request_id=request_id, mentor_id=mentor_id, status=MatchStatus.PROPOSED))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_a_run_that_meets_a_proposal_stored_meanwhile_starts_again(
    make, db_session, coordinator, monkeypatch
):
    """The lock keeps runs apart; should a proposal be stored by a writer that did not take
    it, the unique index refuses the run's proposals and the run is computed again."""
    mentor_id = mentor_in(make, db_session, OWN, capacity=2).id
    taken = add_request(db_session, school_in(make, db_session, OWN), waiting_days=5).id
    free = add_request(db_session, school_in(make, db_session, OWN)).id
    db_session.add(Match(request_id=taken, mentor_id=mentor_id, status=MatchStatus.PROPOSED))
    db_session.commit()
    real = pool.waiting_requests
    reads = []

    def stale_once(country, region):
        reads.append(country)
        if len(reads) == 1:  # as read before the other proposal was stored
            from app.mentoring.models import MentoringRequest

            return list(db_session.scalars(select(MentoringRequest).order_by("id")))
        return real(country, region)

    monkeypatch.setattr(pool, "waiting_requests", stale_once)

    run_id = run(coordinator)

    assert len(reads) == 2
    assert proposals(db_session, run_id) == {(free, mentor_id)}
    assert db_session.scalar(select(func.count()).select_from(MatchRun)) == 1
    open_per_request = db_session.execute(
        select(Match.request_id, func.count())
        .where(Match.status == MatchStatus.PROPOSED)
        .group_by(Match.request_id)
    ).all()
    assert sorted(open_per_request) == sorted([(taken, 1), (free, 1)])
