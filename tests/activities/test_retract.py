"""Retracting the report of a held activity reported by mistake.

The school (any of its members) or a coordinator of its country retracts it with a reason,
on the activity page or through the API: the activity is planned again, without
participants or schools reached, the audit log keeps the reason and what the report said,
and the dashboard summaries count it out (equal to a rebuild).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import ActivityStatus
from app.activities.models import Activity, ActivityReach
from app.activities.operations import report_activity
from app.core.models import AuditEntry
from app.dashboards import rebuild as summary_rebuild
from tests.api.helpers import body, call, error, invalid
from tests.dashboards.test_activity_facts import expected, stored
from tests.support.mentoring import login

REASON = "Reported for the wrong day: it was held next week."


@pytest.fixture
def held(make, db_session):
    school = make.school("TR", name="Atatürk Anadolu Lisesi")
    neighbour = make.school("TR")
    member = make.member(school, email="teacher@example.org")
    activity = make.activity(school, starts_at=datetime.now(UTC) - timedelta(days=2))
    report_activity(
        activity, {"teachers": 4, "students": 20}, [neighbour.id], ["Köy Okulu"], member,
        datetime.now(UTC),
    )  # fmt: skip
    db_session.commit()
    assert stored(db_session)["held"]  # it counts before the retraction
    return activity.id


def assert_retracted(session, activity_id: int, actor_email: str) -> None:
    session.expire_all()
    activity = session.get(Activity, activity_id)
    assert activity.status is ActivityStatus.PLANNED
    assert activity.participants_teachers is None
    assert activity.participants_students is None
    assert session.scalars(select(ActivityReach).filter_by(activity_id=activity_id)).all() == []
    [entry] = session.scalars(select(AuditEntry).filter_by(action="activity.retract")).all()
    assert entry.actor_id == session.scalar(select(User.id).filter_by(email=actor_email))
    assert entry.details["reason"] == REASON
    assert entry.details["participants"] == {
        "teachers": 4, "leaders": None, "students": 20, "parents": None,  # not given: unknown
    }  # fmt: skip
    assert entry.details["reached"] == 2
    summaries = stored(session)
    assert summaries == expected(session)
    assert not summaries["held"]
    assert not summaries["pillars"]
    assert not summaries["reached"]
    summary_rebuild.rebuild(session.connection())
    assert stored(session) == summaries


def test_a_member_retracts_the_report_on_the_activity_page(app, db_session, held):
    browser = login(app, "teacher@example.org")
    page = browser.get(f"/activities/{held}").get_data(as_text=True)
    assert f'action="/activities/{held}/retract"' in page

    response = browser.post(f"/activities/{held}/retract", data={"reason": REASON})

    assert response.status_code == 302
    assert_retracted(db_session, held, "teacher@example.org")
    page = browser.get(f"/activities/{held}").get_data(as_text=True)
    assert "The report has been retracted. The activity is planned again." in page
    assert f'action="/activities/{held}/retract"' not in page  # planned: nothing to retract


def test_a_retraction_without_a_reason_is_refused_with_a_message(app, db_session, held):
    response = login(app, "teacher@example.org").post(
        f"/activities/{held}/retract", data={"reason": "  "}
    )

    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Activity, held).status is ActivityStatus.HELD


def test_a_coordinator_retracts_through_the_api(app, client, make, db_session, held):
    coordinator = make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    token = issue_token(coordinator)
    db_session.commit()

    answer = body(
        call(client, "POST", f"events/{held}/retract", token=token, json={"reason": REASON})
    )

    assert (answer["status"], answer["participants"], answer["reached_names"]) == (
        "planned", None, []
    )  # fmt: skip
    assert answer["version"] == 3  # created, reported, retracted
    assert_retracted(db_session, held, "coord.tr@example.org")
    # Planned again, it is reported again as it went, and counts again.
    report = call(client, "PATCH", f"events/{held}", token=token, json={"status": "held"})
    assert body(report)["status"] == "held"
    assert stored(db_session) == expected(db_session)
    assert sum(stored(db_session)["held"].values()) == 2  # the day and the month


def test_the_api_refuses_what_cannot_be_retracted(app, client, make, db_session, held):
    coordinator = make.user(role="coordinator", countries=("TR",))
    stranger = make.user(role="coordinator", countries=("RO",))
    planned = make.activity(db_session.get(Activity, held).school).id
    token, other = issue_token(coordinator), issue_token(stranger)
    db_session.commit()
    english = {"Accept-Language": "en"}

    assert "reason" in invalid(call(client, "POST", f"events/{held}/retract", token=token, json={}))
    refused = call(
        client, "POST", f"events/{planned}/retract", token=token, json={"reason": REASON},
        headers=english,
    )  # fmt: skip
    assert error(refused, 409)["message"] == "Only the report of a held activity can be retracted."
    foreign = call(client, "POST", f"events/{held}/retract", token=other, json={"reason": REASON})
    assert foreign.status_code == 403
    db_session.expire_all()
    assert db_session.get(Activity, held).status is ActivityStatus.HELD
    assert db_session.scalars(select(AuditEntry).filter_by(action="activity.retract")).all() == []
