"""Twenty simultaneous accepts through the API, with the mentor's one token, for a mentor
with three places: exactly three succeed. The database is the page-level test's own
(a SQLite file or a PostgreSQL schema) that really commits, so threads see each other."""

from __future__ import annotations

import threading
from collections import Counter

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.core.extensions import db
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MentorProfile
from tests.mentoring.test_mentoring_concurrency import (  # the page-level test's database and world
    ATTEMPTS,
    CAPACITY,
    _world,
    isolated_app,  # noqa: F401 - a fixture
)


def _token(app, user_id: int) -> str:
    with app.app_context():
        plain = issue_token(db.session.get(User, user_id), "load test")
        db.session.commit()
        db.session.remove()
    return plain


def _accept_all_at_once(app, token: str, match_ids: list[int]) -> list[tuple[int, str]]:
    barrier = threading.Barrier(len(match_ids))
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def accept(match_id: int) -> None:
        client = app.test_client()
        barrier.wait()
        with client.post(f"/api/v1/matches/{match_id}/accept", headers=headers) as response:
            status, payload = response.status_code, response.get_json()
        detail = payload["status"] if status == 200 else payload["error"]["message"]
        with lock:
            answers.append((status, detail))

    threads = [threading.Thread(target=accept, args=(match_id,)) for match_id in match_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_twenty_simultaneous_api_accepts_fill_exactly_three_places(isolated_app):  # noqa: F811
    user_id, match_ids = _world(isolated_app)
    token = _token(isolated_app, user_id)
    answers = _accept_all_at_once(isolated_app, token, match_ids)
    statuses = sorted(status for status, _detail in answers)
    assert statuses == [200] * CAPACITY + [409] * (ATTEMPTS - CAPACITY), answers
    assert Counter(detail for _status, detail in answers) == {
        "active": CAPACITY,
        "This mentor is full: all their places are taken.": ATTEMPTS - CAPACITY,
    }
    with isolated_app.app_context():
        mentor = db.session.scalar(sa.select(MentorProfile))
        accepted = db.session.scalars(
            sa.select(Match.id).where(Match.status == MatchStatus.ACTIVE)
        ).all()
        proposed = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Match)
            .where(Match.status == MatchStatus.PROPOSED)
        )
        assert (mentor.load, len(accepted), proposed) == (CAPACITY, CAPACITY, ATTEMPTS - CAPACITY)
        db.session.remove()
