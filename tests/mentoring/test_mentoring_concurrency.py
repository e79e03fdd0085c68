"""Twenty simultaneous accepts for a mentor with three places: exactly three succeed; two
matching runs at the same moment: one proposal per request.

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
from app.geography.models import Region
from app.mentoring import runs
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from tests.factories import Factories
from tests.principals import sign_in
from tests.support.databases import istanbul_school, own_app
from tests.support.mentoring import add_mentor, add_request, this_school_year

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


def posted_at_once(app, user_id: int, urls: list[str], data: dict | None = None) -> list[int]:
    """POST each of ``urls`` at the same moment, each from its own browser signed in as
    ``user_id``; the statuses of the answers."""
    clients = []
    with app.app_context():
        for _ in urls:
            client = app.test_client()
            sign_in(client, db.session, user_id)
            clients.append(client)
        db.session.remove()
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def post(client, url):
        barrier.wait()
        with client.post(url, data=data) as response, lock:
            statuses.append(response.status_code)

    threads = [
        threading.Thread(target=post, args=(client, url))
        for client, url in zip(clients, urls, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_twenty_simultaneous_accepts_fill_exactly_three_places(isolated_app):
    user_id, match_ids = _world(isolated_app)
    urls = [f"/mentoring/matches/{match_id}/accept" for match_id in match_ids]

    statuses = posted_at_once(isolated_app, user_id, urls)

    assert sorted(statuses) == [302] * CAPACITY + [409] * (ATTEMPTS - CAPACITY)
    with isolated_app.app_context():
        mentor = db.session.scalar(sa.select(MentorProfile))
        accepted = db.session.scalar(
            sa.select(sa.func.count()).select_from(Match).where(Match.status == MatchStatus.ACTIVE)
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


def _matching_world(app, mentors: int, places: int, requests: int) -> int:
    """A coordinator of Türkiye, mentors and schools asking for one; the coordinator's id."""
    with app.app_context():
        make = Factories(db.session)
        istanbul = db.session.get(Region, "TR-34")
        coordinator = make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
        for number in range(mentors):
            home = make.school("TR", region=istanbul, label_year=this_school_year())
            add_mentor(make, db.session, home, capacity=places, email=f"m{number}@example.org")
        for number in range(requests):
            add_request(db.session, make.school("TR", region=istanbul), waiting_days=number)
        db.session.commit()
        coordinator_id = coordinator.id
        db.session.remove()
        return coordinator_id


@pytest.mark.parametrize("locked", [True, False], ids=["with-the-lock", "index-only"])
def test_two_runs_at_once_give_each_request_one_proposal(isolated_app, monkeypatch, locked):
    """Two coordinators' runs of one country at the same moment. With the country's lock
    they run one after the other; without it (PostgreSQL), the unique index refuses the
    later run's proposals and that run is computed again from what is stored."""
    if not locked:
        if isolated_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            pytest.skip("SQLite serialises every writer: there is no run without the lock")
        monkeypatch.setattr(runs, "lock", lambda country: None)
    coordinator_id = _matching_world(isolated_app, mentors=3, places=2, requests=10)

    statuses = posted_at_once(
        isolated_app, coordinator_id, ["/mentoring/run"] * 2, {"country": "TR", "region": ""}
    )

    assert statuses == [302, 302]
    with isolated_app.app_context():
        per_request = db.session.execute(
            sa.select(Match.request_id, sa.func.count())
            .where(Match.status == MatchStatus.PROPOSED)
            .group_by(Match.request_id)
        ).all()
        per_mentor = db.session.execute(
            sa.select(Match.mentor_id, sa.func.count()).group_by(Match.mentor_id)
        ).all()
        runs_made = db.session.scalars(sa.select(MatchRun).order_by(MatchRun.id)).all()
        assert len(per_request) == 6  # three mentors, two places each
        assert {count for _request, count in per_request} == {1}
        assert sorted(count for _mentor, count in per_mentor) == [2, 2, 2]
        assert sorted(run.proposals for run in runs_made) == [0, 6]
        db.session.remove()
