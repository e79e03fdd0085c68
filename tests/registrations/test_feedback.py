"""The survey after a held activity: attendees asked once by a signed link, one answer
each; the organising school reads its summary, coordinators theirs per region and type,
groups of fewer than five answers not broken down."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.activities.enums import ActivityStatus, ActivityType
from app.core.extensions import db
from app.registrations.enums import RegistrationStatus
from app.registrations.feedback import ask_due
from app.registrations.models import Feedback, Registration
from tests.support.registrations import body

NOW = datetime.now(UTC).replace(microsecond=0)


def _held(make, school=None, **fields):
    school = school or make.school("TR", name="Kadıköy Anadolu Lisesi")
    activity = make.activity(
        school,
        starts_at=NOW - timedelta(days=1, hours=3),
        ends_at=NOW - timedelta(days=1),
        status=ActivityStatus.HELD,
        **fields,
    )
    return activity.id, activity.region_code


def _attendee(session, activity_id: int, email: str, attended: int = 1, locale="en") -> int:
    row = Registration(
        activity_id=activity_id, status=RegistrationStatus.CONFIRMED, name=email.split("@")[0],
        email=email, locale=locale, people=max(attended, 1), attended=attended,
        school_name="Yeni Okul", country_code="TR", region_code="TR-34",
        secret=secrets.token_hex(16), queued_at=NOW - timedelta(days=5),
    )  # fmt: skip
    session.add(row)
    session.commit()
    return row.id


def _feedback_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/registrations/\S+/feedback)", body(message)).group(1)


def test_attendees_are_asked_once_and_answer_once(app, client, make, db_session, outbox):
    activity_id, _region = _held(make)
    came = _attendee(db_session, activity_id, "came@example.org", attended=2)
    _attendee(db_session, activity_id, "absent@example.org", attended=0)
    with app.test_request_context():
        assert ask_due(NOW) == 1
        assert ask_due(NOW) == 0  # once
        db.session.commit()
    (mail,) = outbox
    assert mail["To"] == "came@example.org"
    link = _feedback_link(mail)

    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert client.post(link, data={"rating": "6", "next_step": "apply_label"}).status_code == 422
    answer = {"rating": "4", "next_step": "start_project", "comment": "Very useful, thank you."}
    assert client.post(link, data=answer).status_code == 302
    assert client.post(link, data={**answer, "rating": "1"}).status_code == 409
    db_session.expire_all()
    (saved,) = db_session.scalars(select(Feedback))
    assert (saved.registration_id, saved.rating, saved.next_step.value) == (
        came, 4, "start_project",
    )  # fmt: skip
    assert "your answer has been recorded already" in client.get(link).get_data(as_text=True)


def test_the_organisers_read_their_summary(client, make, auth, db_session):
    school = make.school("TR", name="Kadıköy Anadolu Lisesi")
    staff = make.member(school).email
    activity_id, _region = _held(make, school)
    for number, rating in enumerate([5, 4, 4]):
        registration = _attendee(db_session, activity_id, f"t{number}@example.org")
        comment = "Bring more examples." if number == 0 else ""
        db_session.add(
            Feedback(
                registration_id=registration,
                rating=rating,
                next_step="apply_label",
                comment=comment,
            )
        )
    db_session.commit()
    auth.login(staff)
    page = client.get(f"/activities/{activity_id}/registrations").get_data(as_text=True)
    assert "4.3" in page
    assert "Apply for the eTwinning School label: 3" in page
    assert "Bring more examples." in page


def test_coordinators_see_regions_and_types_small_groups_not_broken_down(
    client, make, auth, db_session
):
    coordinator = make.user(role="coordinator", countries=["TR"]).email
    other = make.user(role="coordinator", countries=["RO"]).email
    big, _region = _held(make)
    small, _other = _held(make, type=ActivityType.INFO_SESSION)
    for number in range(5):
        registration = _attendee(db_session, big, f"b{number}@example.org")
        db_session.add(Feedback(registration_id=registration, rating=5, next_step="start_project"))
    for number in range(2):
        registration = _attendee(db_session, small, f"s{number}@example.org")
        db_session.add(Feedback(registration_id=registration, rating=1, next_step="nothing_yet"))
    db_session.commit()

    auth.login(other)
    assert client.get("/dashboards/TR/feedback").status_code == 403
    auth.logout()
    auth.login(coordinator)
    page = client.get("/dashboards/TR/feedback").get_data(as_text=True)
    types = page[page.index('id="types-title"') :]
    open_days = types[types.index("Open day") : types.index("</tr>", types.index("Open day"))]
    assert "5.0" in open_days
    assert "100%" in open_days
    sessions = types[types.index("Information session") :]
    sessions = sessions[: sessions.index("</tr>")]
    assert "Fewer than 5 answers: not broken down." in sessions
    assert "1.0" not in sessions
    assert client.get("/dashboards/XX/feedback").status_code == 404
    assert client.get("/dashboards/TR/feedback?year=1900").status_code == 400
