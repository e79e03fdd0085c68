"""The page and the API call the same operations, so the same request leaves the same
database behind: a session of an accepted mentoring starts it, and reached schools given
by name are linked to the registered school of that name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.models import Activity
from app.core.models import AuditEntry
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match
from tests.api.helpers import call
from tests.principals import sign_in
from tests.support.mentoring import add_mentor, add_request

NEXT_YEAR = datetime.now(UTC).year + 1
NAMES = [
    "  ŞEHİT ÖĞRETMEN AYŞE KAYA LİSESİ ",  # the registered school, in capitals
    "Liceul Teoretic Lucian Blaga",  # a registered school, but of another country
    "Okulumuz henüz kayıtlı değil",  # not registered
]


def _page_client(app, db_session, user_id: int):
    client = app.test_client()
    sign_in(client, db_session, user_id)
    return client


def _token(db_session, user_id: int) -> str:
    plain = issue_token(db_session.get(User, user_id), "parity")
    db_session.commit()
    return plain


@pytest.fixture
def accepted_match(make, db_session):
    """A mentor of an eTwinning School and a new school whose request they accepted."""
    mentor_school = make.school("TR", name="Mentor Okulu")
    newcomer = make.school("TR", name="Yeni Okul")
    mentor = add_mentor(make, db_session, mentor_school, email="mentor@example.org", load=1)
    request = add_request(db_session, newcomer, status=RequestStatus.MATCHED)
    match = Match(
        request_id=request.id,
        mentor_id=mentor.id,
        status=MatchStatus.ACCEPTED,
        score=1.0,
        explanation={},
        decided_at=datetime.now(UTC),
    )
    db_session.add(match)
    db_session.commit()
    return {"match": match.id, "school": mentor_school.id, "user": mentor.user_id}


def _record_session(how: str, app, db_session, ids: dict) -> None:
    start = datetime(NEXT_YEAR, 3, 10, 12, 0, tzinfo=UTC)
    if how == "page":
        response = _page_client(app, db_session, ids["user"]).post(
            f"/schools/{ids['school']}/activities/new?match={ids['match']}",
            data={
                "type": "mentoring_session",
                "title": "First mentoring session",
                "starts_at": f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}",
                "ends_at": f"{start + timedelta(hours=4):%Y-%m-%dT%H:%M}",
                "mode": "online",
                "online_url": "https://meet.example.org/etwinning",
                "visibility": "network",
                "pillars": ["models_for_other_schools"],
                "languages": ["tr"],
                "audience": ["teachers"],
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    else:
        response = call(
            app.test_client(),
            "POST",
            "events",
            token=_token(db_session, ids["user"]),
            json={
                "school_id": ids["school"],
                "match_id": ids["match"],
                "title": "First mentoring session",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
                "mode": "online",
                "online_url": "https://meet.example.org/etwinning",
                "visibility": "network",
                "pillars": ["models_for_other_schools"],
                "languages": ["tr"],
                "audience": ["teachers"],
            },
        )
        assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("how", ["page", "api"])
def test_the_first_session_of_an_accepted_mentoring_starts_it(how, app, db_session, accepted_match):
    _record_session(how, app, db_session, accepted_match)

    db_session.expire_all()
    activity = db_session.scalar(
        select(Activity).where(Activity.match_id == accepted_match["match"])
    )
    assert activity is not None
    assert (activity.type, activity.school_id, activity.starts_at) == (
        ActivityType.MENTORING_SESSION,
        accepted_match["school"],
        datetime(NEXT_YEAR, 3, 10, 12, 0, tzinfo=UTC),
    )
    assert db_session.get(Match, accepted_match["match"]).status is MatchStatus.ACTIVE
    started = db_session.scalars(
        select(AuditEntry.actor_id).where(
            AuditEntry.action == "mentoring.start",
            AuditEntry.object_id == str(accepted_match["match"]),
        )
    ).all()
    assert started == [accepted_match["user"]]


def test_the_api_refuses_a_session_of_a_mentoring_the_school_is_not_part_of(
    app, make, db_session, accepted_match
):
    stranger = make.school("TR", name="Başka Okul")
    user = make.member(stranger)
    response = call(
        app.test_client(),
        "POST",
        "events",
        token=_token(db_session, user.id),
        json={"school_id": stranger.id, "match_id": accepted_match["match"]},
    )
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Match, accepted_match["match"]).status is MatchStatus.ACCEPTED


@pytest.fixture
def held_activity(make):
    school = make.school("TR", name="Atatürk Anadolu Lisesi", city="İstanbul")
    member = make.member(school)
    neighbour = make.school("TR", name="Şehit Öğretmen Ayşe Kaya Lisesi", city="Ankara")
    make.school("RO", name="Liceul Teoretic Lucian Blaga", city="Cluj")
    activity = make.activity(
        school,
        starts_at=datetime.now(UTC) - timedelta(hours=2),
        ends_at=datetime.now(UTC) - timedelta(hours=1),
    )
    return {"activity": activity.id, "user": member.id, "neighbour": neighbour.id}


def _report(how: str, app, db_session, ids: dict) -> None:
    if how == "page":
        response = _page_client(app, db_session, ids["user"]).post(
            f"/activities/{ids['activity']}/report",
            data={"participants_teachers": "12", "reached": "\n".join(NAMES)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    else:
        response = call(
            app.test_client(),
            "PATCH",
            f"events/{ids['activity']}",
            token=_token(db_session, ids["user"]),
            json={"participants": {"teachers": 12}, "reached_names": NAMES},
        )
        assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("how", ["page", "api"])
def test_reached_schools_given_by_name_are_linked_alike(how, app, db_session, held_activity):
    _report(how, app, db_session, held_activity)

    db_session.expire_all()
    activity = db_session.get(Activity, held_activity["activity"])
    assert activity.status is ActivityStatus.HELD
    assert activity.participants_teachers == 12
    assert sorted(r.school_id for r in activity.reached if r.school_id) == [
        held_activity["neighbour"]
    ]
    assert sorted(r.school_name for r in activity.reached if r.school_name) == [
        "Liceul Teoretic Lucian Blaga",
        "Okulumuz henüz kayıtlı değil",
    ]
