"""A school has one open mentoring request at a time: a second one is refused on the page
and in the API, and the database holds to it when two arrive at the same moment."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.accounts.enums import MembershipRole
from app.accounts.models import Membership, User
from app.accounts.operations import issue_token
from app.core.extensions import db
from app.mentoring.models import MentoringRequest
from tests.api.helpers import call
from tests.principals import sign_in
from tests.support.databases import istanbul_school, own_app
from tests.support.mentoring import po_text

REFUSAL = "Your school already has an open mentoring request: change that one instead."
FORM = {"languages": ["tr"], "mode": "online", "message": "We are new to eTwinning."}
BODY = {"languages": ["tr"], "mode": "online"}


def _open_requests(session, school_id: int) -> int:
    session.expire_all()
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(MentoringRequest)
        .where(MentoringRequest.school_id == school_id, MentoringRequest.status == "open")
    )


@pytest.fixture
def newcomer(make):
    school = make.school("TR")
    admin = make.member(school, role=MembershipRole.ADMIN)
    return school.id, admin.id


def test_the_page_sends_a_school_with_an_open_request_to_that_request(app, db_session, newcomer):
    school_id, user_id = newcomer
    client = app.test_client()
    sign_in(client, db_session, user_id)
    first = client.post(f"/mentoring/requests/new?school={school_id}", data=FORM)
    assert first.status_code == 302
    again = client.get(
        f"/mentoring/requests/new?school={school_id}", headers={"Accept-Language": "tr"}
    )
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    page = client.get(again.headers["Location"], headers={"Accept-Language": "tr"})
    assert po_text("tr", REFUSAL) in page.get_data(as_text=True)
    second = client.post(f"/mentoring/requests/new?school={school_id}", data=FORM)
    assert second.status_code == 302  # to the open request, nothing filed
    assert _open_requests(db_session, school_id) == 1


def test_the_api_refuses_a_second_open_request_with_409(app, db_session, newcomer):
    school_id, user_id = newcomer
    token = issue_token(db_session.get(User, user_id), "t")
    db_session.commit()
    client = app.test_client()
    first = call(
        client, "POST", "mentoring-requests", token=token, json={**BODY, "school_id": school_id}
    )
    assert first.status_code == 201
    second = call(
        client, "POST", "mentoring-requests", token=token, json={**BODY, "school_id": school_id}
    )
    assert second.status_code == 409
    assert second.get_json()["error"]["message"] == REFUSAL
    assert _open_requests(db_session, school_id) == 1


@pytest.fixture
def isolated_app(database_url, tmp_path):
    with own_app(database_url, tmp_path, "one_open_request") as app:
        yield app


def test_two_requests_at_the_same_moment_leave_one_open(isolated_app):
    with isolated_app.app_context():
        school = istanbul_school()
        user = User(email="head@example.org", name="Head", email_verified_at=sa.func.now())
        db.session.add_all([school, user])
        db.session.flush()
        db.session.add(
            Membership(
                user_id=user.id, school_id=school.id, role=MembershipRole.ADMIN, status="approved"
            )
        )
        db.session.flush()
        token = issue_token(user, "t")
        db.session.commit()
        school_id = school.id
    barrier = threading.Barrier(2)
    statuses = []

    def file() -> None:
        client = isolated_app.test_client()
        barrier.wait()
        response = call(
            client, "POST", "mentoring-requests", token=token, json={**BODY, "school_id": school_id}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=file) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409]
    with isolated_app.app_context():
        assert _open_requests(db.session, school_id) == 1
