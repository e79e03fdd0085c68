"""Fixtures of the API tests: a caller bound to the test client, tokens, two countries."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.core.mail import memory_outbox
from tests.api.helpers import TwoCountries, build_two_countries, call


@pytest.fixture(autouse=True)
def _outbox():
    """Proposals and answers send mail; nothing is kept from one test to the next."""
    memory_outbox.clear()
    yield
    memory_outbox.clear()


@pytest.fixture
def api(client):
    """``api("GET", "events", token=..., json=..., headers=...)`` → the response."""

    def request(method: str, url: str, **kwargs):
        return call(client, method, url, **kwargs)

    return request


@pytest.fixture
def token_for(db_session):
    """``token_for(user_id)``: a new bearer token, committed so that it outlives requests."""

    def issue(user_id: int) -> str:
        plain = issue_token(db_session.get(User, user_id), "tests")
        db_session.commit()
        return plain

    return issue


@pytest.fixture
def two(make, db_session) -> TwoCountries:
    return build_two_countries(make, db_session)


@dataclass
class Member:
    """A member of a verified Turkish school, with a token, and schools that are not theirs."""

    token: str
    school_id: int
    neighbour_id: int  # another verified school of Türkiye
    other_school_id: int  # a school of Romania
    other_activity_id: int  # a planned activity of that school


@pytest.fixture
def member(make, token_for) -> Member:
    school = make.school("TR", name="Kadıköy Anadolu Lisesi")
    neighbour = make.school("TR", name="Üsküdar Ortaokulu")
    other = make.school("RO", name="Liceul Teoretic Cluj")
    other_activity = make.activity(other, title="Zi deschisă")
    return Member(
        token=token_for(make.member(school).id),
        school_id=school.id,
        neighbour_id=neighbour.id,
        other_school_id=other.id,
        other_activity_id=other_activity.id,
    )
