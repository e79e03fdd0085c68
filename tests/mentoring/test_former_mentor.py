"""A mentor who deletes their account takes nothing of the schools' with them: their matches
stay, with the school's feedback and the sessions, as the work of a former mentor; the
requests a running mentoring served go back to matching, so they are offered again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import ActivityType
from app.activities.models import Activity
from app.core.database import utcnow
from app.core.models import AuditEntry
from app.mentoring import pool
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from tests.factories import PASSWORD
from tests.principals import sign_in
from tests.support.mentoring import add_mentor, add_request, etwinning_school, login

MENTOR = "Ayşe Mentor-Yıldırım"


def _match(session, request, mentor, status, **fields) -> Match:
    match = Match(request_id=request.id, mentor_id=mentor.id, status=status, score=70, **fields)
    session.add(match)
    session.commit()
    return match


def _world(make, session) -> dict:
    home = etwinning_school(make, name="Kadıköy Anadolu Lisesi")
    mentor = add_mentor(make, session, home, name=MENTOR, capacity=3, load=1)
    finished_school = make.school("TR", name="Moda Ortaokulu")
    running_school = make.school("TR", name="Üsküdar İlkokulu")
    proposed_school = make.school("TR", name="Beykoz Lisesi")
    admin = make.member(running_school, role=MembershipRole.ADMIN, email="admin@running.example")
    finished_request = add_request(session, finished_school, status=RequestStatus.CLOSED)
    running_request = add_request(session, running_school, status=RequestStatus.MATCHED)
    proposed_request = add_request(session, proposed_school)
    finished = _match(
        session, finished_request, mentor, MatchStatus.COMPLETED,
        finished_at=utcnow() - timedelta(days=30),
        feedback_school="Our mentor showed us how to plan a project.",
        feedback_mentor="A motivated team; Ayşe enjoyed working with them.",
    )  # fmt: skip
    running = _match(session, running_request, mentor, MatchStatus.ACTIVE)
    proposed = _match(session, proposed_request, mentor, MatchStatus.PROPOSED)
    session_activity = make.activity(
        finished_school, type=ActivityType.MENTORING_SESSION, match_id=finished.id,
        title="First mentoring session",
    )  # fmt: skip
    return {
        "mentor_user": mentor.user_id,
        "profile": mentor.id,
        "finished": finished.id,
        "running": running.id,
        "proposed": proposed.id,
        "running_request": running_request.id,
        "proposed_request": proposed_request.id,
        "session_activity": session_activity.id,
        "admin_email": admin.email,
    }


def _delete_account(client, session, user_id: int):
    sign_in(client, session, user_id)
    return client.post("/account/delete", data={"current": PASSWORD})


def test_deleting_a_mentor_keeps_the_schools_matches_feedback_and_sessions(
    client, make, db_session
):
    world = _world(make, db_session)

    assert _delete_account(client, db_session, world["mentor_user"]).status_code == 302

    db_session.expire_all()
    assert db_session.get(MentorProfile, world["profile"]) is None
    finished = db_session.get(Match, world["finished"])
    assert finished is not None
    assert (finished.mentor_id, finished.status) == (None, MatchStatus.COMPLETED)
    assert finished.feedback_school == "Our mentor showed us how to plan a project."
    assert finished.feedback_mentor == ""  # the mentor's own words go with them
    assert db_session.get(Activity, world["session_activity"]).match_id == finished.id


def test_a_running_mentoring_ends_and_its_request_is_offered_again(client, make, db_session):
    world = _world(make, db_session)
    assert world["running_request"] not in {row.id for row in pool.waiting_requests("TR", None)}

    _delete_account(client, db_session, world["mentor_user"])

    db_session.expire_all()
    running = db_session.get(Match, world["running"])
    proposed = db_session.get(Match, world["proposed"])
    assert (running.status, running.mentor_id) == (MatchStatus.ENDED, None)
    assert running.finished_at is not None
    assert running.request.status is RequestStatus.OPEN
    assert (proposed.status, proposed.mentor_id) == (MatchStatus.EXPIRED, None)
    waiting = {row.id for row in pool.waiting_requests("TR", None)}
    assert {world["running_request"], world["proposed_request"]} <= waiting
    left = db_session.scalars(select(AuditEntry).filter_by(action="mentoring.mentor_left")).all()
    assert sorted(int(entry.object_id) for entry in left) == sorted(
        [world["running"], world["proposed"]]
    )
    assert {(entry.actor_id, entry.ip) for entry in left} == {(None, None)}


def test_the_school_sees_its_history_with_a_former_mentor(app, client, make, db_session):
    world = _world(make, db_session)
    _delete_account(client, db_session, world["mentor_user"])

    school_admin = login(app, world["admin_email"])
    page = school_admin.get(f"/mentoring/matches/{world['running']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Mentor: a former mentor, who has left the network" in text
    assert MENTOR not in text
    request_page = school_admin.get(f"/mentoring/requests/{world['running_request']}")
    assert request_page.status_code == 200
    assert "Former mentor" in request_page.get_data(as_text=True)


def test_the_api_shows_a_former_mentor_as_null(client, make, db_session):
    world = _world(make, db_session)
    _delete_account(client, db_session, world["mentor_user"])

    admin = db_session.scalar(select(User).where(User.email == world["admin_email"]))
    token = issue_token(admin, "tests")
    db_session.commit()
    answer = client.get("/api/v1/matches", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    mine = {item["id"]: item for item in answer.get_json()["items"]}
    assert mine[world["running"]]["mentor_id"] is None
    assert mine[world["running"]]["status"] == "ended"


def test_the_deletion_record_keeps_no_address(client, make, db_session):
    world = _world(make, db_session)

    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    _delete_account(client, db_session, world["mentor_user"])

    [deleted] = db_session.scalars(select(AuditEntry).filter_by(action="account.deleted")).all()
    assert (deleted.actor_id, deleted.ip) == (None, None)
    assert db_session.scalars(select(AuditEntry).filter_by(ip="198.51.100.23")).all() == []


def test_a_school_that_filed_another_request_meanwhile_keeps_that_one(client, make, db_session):
    world = _world(make, db_session)
    running = db_session.get(Match, world["running"])
    newer_id = add_request(db_session, running.request.school).id  # open, beside the matched one

    _delete_account(client, db_session, world["mentor_user"])

    db_session.expire_all()
    assert db_session.get(Match, world["running"]).request.status is RequestStatus.CLOSED
    assert db_session.get(MentoringRequest, newer_id).status is RequestStatus.OPEN
    assert newer_id in {row.id for row in pool.waiting_requests("TR", None)}


def test_a_member_who_is_no_mentor_is_deleted_as_before(client, make, db_session):
    school = make.school("TR")
    user = make.member(school, email="plain@example.org")
    assert _delete_account(client, db_session, user.id).status_code == 302
    left = db_session.scalars(select(AuditEntry).filter_by(action="mentoring.mentor_left"))
    assert left.all() == []
