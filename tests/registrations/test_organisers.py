"""The organising school's side: the list and its export, a message to all, the sign-in
sheet, check-in with walk-ins, and a report whose figures come from the attendance."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.models import Activity
from app.core.models import AuditEntry
from app.registrations.models import Registration
from tests.api.helpers import body, call
from tests.support.registrations import confirmed, form, open_day, soon, token_in


def _organised(make, *, starts_at=None, capacity=3):
    """An open day of a school, its staff member's address, and the activity."""
    school = make.school("TR", name="Kadıköy Anadolu Lisesi")
    staff = make.member(school).email
    activity = open_day(make, school, capacity=capacity, starts_at=starts_at)
    return staff, activity


def test_the_organisers_see_places_waiting_list_and_export(client, make, auth, outbox, db_session):
    staff, activity = _organised(make, capacity=2)
    guest = make.school("TR", name="Moda İlkokulu")
    confirmed(client, outbox, activity, email="a@example.org", people=2, school=guest)
    confirmed(client, outbox, activity, email="b@example.org", people=1)
    confirmed(client, outbox, activity, email="c@example.org", people=1)

    assert client.get(f"/activities/{activity.id}/registrations").status_code == 302
    auth.login(staff)
    page = client.get(f"/activities/{activity.id}/registrations").get_data(as_text=True)
    assert (
        page.index("a@example.org") < page.index("Waiting list (2)") < page.index("b@example.org")
    )
    assert "Moda İlkokulu" in page
    assert "Üsküdar Ortaokulu" in page

    response = client.get(f"/activities/{activity.id}/registrations.csv?sep=comma")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[:4] for row in rows[1:]] == [
        ["Place confirmed", "", "Ayşe Yılmaz", "a@example.org"],
        ["On the waiting list", "1", "Ayşe Yılmaz", "b@example.org"],
        ["On the waiting list", "2", "Ayşe Yılmaz", "c@example.org"],
    ]
    audit = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("registrations.%"))
    )
    assert list(audit) == ["registrations.export"]


def test_a_message_reaches_everyone_still_coming_in_their_language(client, make, auth, outbox):
    staff, activity = _organised(make, capacity=1)
    confirmed(client, outbox, activity, email="a@example.org")
    outbox.clear()
    client.post(f"/activities/{activity.id}/register?lang=nb", data=form(email="nb@example.org"))
    client.post(f"/registrations/{token_in(outbox[-1])}/confirm")
    auth.login(staff)
    outbox.clear()
    message = {"subject": "Parking", "body": "Use the gate on Moda Caddesi."}
    response = client.post(f"/activities/{activity.id}/registrations/message", data=message)
    assert response.status_code == 302
    assert sorted(m["To"] for m in outbox) == ["a@example.org", "nb@example.org"]
    norwegian = next(m for m in outbox if m["To"] == "nb@example.org")
    assert norwegian["Subject"] == "Parking"
    assert norwegian["Content-Language"] == "nb"
    assert "Use the gate on Moda Caddesi." in norwegian.get_content()


def test_check_in_then_report_gives_the_participants_and_schools_of_the_attendance(
    client, make, auth, outbox, db_session
):
    staff, activity = _organised(make, capacity=None)
    guest = make.school("TR", name="Moda İlkokulu")
    coordinator = make.user(role="coordinator", countries=["TR"]).id
    confirmed(client, outbox, activity, email="a@example.org", people=3, school=guest)
    confirmed(client, outbox, activity, email="b@example.org", people=2)  # did not come
    confirmed(client, outbox, activity, email="c@example.org", people=1, school_name="Yeni Okul")
    present = list(
        db_session.scalars(
            select(Registration.id).where(
                Registration.activity_id == activity.id,
                Registration.email.in_(["a@example.org", "c@example.org"]),
            )
        )
    )
    # The day has come: the activity has just started.
    started = db_session.get(Activity, activity.id)
    started.starts_at, started.ends_at = datetime.now(UTC) - timedelta(minutes=5), soon()
    db_session.commit()
    auth.login(staff)
    assert (
        client.post(f"/activities/{activity.id}/check-in", data={"present": present}).status_code
        == 302
    )
    walk_in = {"name": "Mehmet Demir", "school_name": "Moda İlkokulu", "region": "", "people": "1"}
    assert client.post(f"/activities/{activity.id}/walk-ins", data=walk_in).status_code == 302
    sheet = client.get(f"/activities/{activity.id}/check-in").get_data(as_text=True)
    assert "5 people present so far." in sheet

    # It is reported: the typed count of teachers and the typed schools give way.
    report = {"participants_teachers": "40", "participants_students": "12", "reached": "Başka Okul"}
    assert client.post(f"/activities/{activity.id}/report", data=report).status_code == 302
    db_session.expire_all()
    held = db_session.get(Activity, activity.id)
    assert held.participants_teachers == 5  # 3 + 1 + the walk-in
    assert held.participants_students == 12
    assert sorted((r.school_id or 0, r.school_name or "") for r in held.reached) == sorted(
        [(guest_id(db_session, "Moda İlkokulu"), ""), (0, "Yeni Okul")]
    )

    token = issue_token(db_session.get(User, coordinator), "dashboards")
    db_session.commit()
    answer = body(call(client, "GET", "dashboards/TR", token=token))
    region = next(row for row in answer["regions"] if row["code"] == activity.region_code)
    assert region["participants"] == 17
    assert region["reached"] == 2


def guest_id(session, name: str) -> int:
    from app.schools.models import School

    return session.scalar(select(School.id).where(School.name == name))


def test_check_in_waits_for_the_day(client, make, auth, outbox):
    staff, activity = _organised(make)
    confirmed(client, outbox, activity)
    auth.login(staff)
    page = client.get(f"/activities/{activity.id}/check-in").get_data(as_text=True)
    assert "Attendance can be recorded from the day of the activity" in page
    response = client.post(f"/activities/{activity.id}/check-in", data={"present": ["1"]})
    assert response.status_code == 302  # refused with a message, nothing written
