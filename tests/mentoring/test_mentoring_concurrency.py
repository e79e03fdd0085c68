"""Twenty simultaneous accepts for a mentor with three places: exactly three succeed.

Real threads, each with its own connection, on a database of its own (a SQLite
file, or a PostgreSQL schema) so that committed rows never reach other tests.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership, User
from app.core.extensions import db
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from tests.principals import sign_in
from tests.support.databases import istanbul_school, own_app

SCHEMA = "concurrency_check"
CAPACITY = 3
ATTEMPTS = 20


@pytest.fixture
def isolated_app(database_url, tmp_path):
    settings = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 25}}
    with own_app(database_url, tmp_path, SCHEMA, **settings) as app:
        yield app


def _world(app) -> tuple[int, list[int]]:
    """A mentor with three places and twenty proposals waiting for them."""
    with app.app_context():
        school = istanbul_school()
        user = User(email="mentor@example.org", name="Mentor", email_verified_at=datetime.now(UTC))
        db.session.add_all([school, user])
        db.session.flush()
        db.session.add(
            Membership(
                user_id=user.id,
                school_id=school.id,
                role=MembershipRole.MEMBER,
                status=MembershipStatus.APPROVED,
            )
        )
        mentor = MentorProfile(
            user_id=user.id,
            school_id=school.id,
            country_code="TR",
            region_code="TR-34",
            capacity=CAPACITY,
            languages=["tr"],
            modes=["online"],
        )
        db.session.add(mentor)
        db.session.flush()
        match_ids = []
        for _ in range(ATTEMPTS):
            newcomer = istanbul_school()  # one open request per school
            db.session.add(newcomer)
            db.session.flush()
            request = MentoringRequest(
                school_id=newcomer.id, country_code="TR", region_code="TR-34", languages=["tr"]
            )
            db.session.add(request)
            db.session.flush()
            match = Match(request_id=request.id, mentor_id=mentor.id, status=MatchStatus.PROPOSED)
            db.session.add(match)
            db.session.flush()
            match_ids.append(match.id)
        db.session.commit()
        return user.id, match_ids


def test_twenty_simultaneous_accepts_fill_exactly_three_places(isolated_app):
    user_id, match_ids = _world(isolated_app)
    clients = []
    with isolated_app.app_context():
        for _ in match_ids:
            client = isolated_app.test_client()
            sign_in(client, db.session, user_id)
            clients.append(client)
        db.session.remove()
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def accept(client, match_id):
        barrier.wait()
        with client.post(f"/mentoring/matches/{match_id}/accept") as response, lock:
            statuses.append(response.status_code)

    threads = [
        threading.Thread(target=accept, args=(client, match_id))
        for client, match_id in zip(clients, match_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302] * CAPACITY + [409] * (ATTEMPTS - CAPACITY)
    with isolated_app.app_context():
        mentor = db.session.scalar(sa.select(MentorProfile))
        accepted = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Match)
            .where(Match.status == MatchStatus.ACCEPTED)
        )
        assert (mentor.load, accepted) == (CAPACITY, CAPACITY)
        db.session.remove()


def test_the_answer_to_a_full_mentor_is_a_clear_409(isolated_app):
    user_id, match_ids = _world(isolated_app)
    client = isolated_app.test_client()
    with isolated_app.app_context():
        sign_in(client, db.session, user_id)
        db.session.remove()
    for match_id in match_ids[:CAPACITY]:
        assert client.post(f"/mentoring/matches/{match_id}/accept").status_code == 302
    response = client.post(
        f"/mentoring/matches/{match_ids[CAPACITY]}/accept", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 409
    assert "This mentor is full" in response.get_data(as_text=True)
