"""Coordinators verify or refuse new schools with a reason, see possible duplicates and who
decided when, and are told of what waits for them; a teacher of a waiting school reads why."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.core.models import AuditEntry, Notification
from app.schools.enums import SchoolStatus
from app.schools.models import School
from tests.schools.test_schools import (  # noqa: F401
    SCHOOL_FORM,
    _apply,
    candidate,
    login,
    page,
    post,
    school_in,
)
from tests.support.web import body_of, translated

REFUSAL = "Nobody at this address answers our calls."


def _pending(make, db_session, name="Kadıköy Anadolu Lisesi", city="İstanbul"):
    school = school_in(make, db_session, "TR-34", name, city=city, status=SchoolStatus.PENDING)
    make.member(school, MembershipRole.ADMIN, email="ayse@example.org", name="Ayşe", locale="tr")
    make.member(school, email="bram@example.org", name="Bram", locale="nl")
    make.user("coord.tr@example.org", name="Zeynep Koç", role="coordinator", countries=("TR",))
    return school.id


def _kinds(db_session, user_email: str) -> list[str]:
    from app.accounts.models import User

    user = db_session.scalar(select(User).where(User.email == user_email))
    return db_session.scalars(
        select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_a_refusal_needs_a_reason_shown_next_to_it_and_changes_nothing(app, make, db_session):
    school_id = _pending(make, db_session)
    browser = login(app, "coord.tr@example.org")

    status, _location, body = post(browser, f"/schools/{school_id}/verify", {"reject": "1"})

    assert status == 422
    assert f'id="refusal-{school_id}-error"' in body
    assert "Give the school a reason: its staff will read it." in body
    assert "Kadıköy Anadolu Lisesi" in body  # the queue stays on the page
    db_session.expire_all()
    school = db_session.get(School, school_id)
    assert (school.status, school.refused_at, school.refusal_reason) == (
        SchoolStatus.PENDING,
        None,
        "",
    )
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "school.refuse")) is None


def test_a_refused_school_leaves_the_queue_and_its_staff_read_why_in_their_language(
    app, make, db_session, outbox
):
    school_id = _pending(make, db_session)
    outbox.clear()
    browser = login(app, "coord.tr@example.org")

    status, location, _body = post(
        browser, f"/schools/{school_id}/verify", {"reject": "1", "reason": f"  {REFUSAL} "}
    )

    assert (status, location.endswith("/coordination")) == (302, True)
    db_session.expire_all()
    school = db_session.get(School, school_id)
    assert school.status is SchoolStatus.PENDING
    assert school.refusal_reason == REFUSAL
    assert school.refused_at is not None
    assert sorted(message["To"] for message in outbox) == ["ayse@example.org", "bram@example.org"]
    for message in outbox:
        locale = "tr" if message["To"] == "ayse@example.org" else "nl"
        assert message["Content-Language"] == locale
        assert message["Subject"] == translated(
            app, locale, "%(school)s was not verified", school="Kadıköy Anadolu Lisesi"
        )
        assert REFUSAL in body_of(message)
    assert _kinds(db_session, "bram@example.org") == ["school.refused"]
    queue = page(browser, "/coordination")
    assert f'action="/schools/{school_id}/verify"' not in queue
    today = datetime.now(UTC).date()
    assert "refused by Zeynep Koç on" in queue
    # The teacher who wants to record an activity reads why, not a bare refusal.
    teacher = login(app, "bram@example.org")
    with teacher.get(f"/schools/{school_id}/activities/new?lang=en") as response:
        assert response.status_code == 403
        text = response.get_data(as_text=True)
    assert REFUSAL in text
    assert "Refused by Zeynep Koç on" in text
    assert str(today.year) in text


def test_a_waiting_school_explains_the_wait_to_its_teacher(app, make, db_session):
    school_id = _pending(make, db_session)
    teacher = login(app, "bram@example.org")

    with teacher.get(f"/schools/{school_id}/activities/new?lang=nl") as response:
        assert response.status_code == 403
        text = response.get_data(as_text=True)

    assert translated(app, "nl", "Waiting for verification") in text
    assert (
        translated(app, "nl", "%(school)s is not verified yet", school="Kadıköy Anadolu Lisesi")
        in text
    )


def test_verifying_from_the_queue_records_who_and_when(app, make, db_session):
    school_id = _pending(make, db_session)
    browser = login(app, "coord.tr@example.org")

    status, location, _body = post(browser, f"/schools/{school_id}/verify", {"approve": "1"})

    assert (status, location.endswith(f"/schools/{school_id}")) == (302, True)
    db_session.expire_all()
    assert db_session.get(School, school_id).status is SchoolStatus.VERIFIED
    assert "verified by Zeynep Koç on" in page(browser, "/coordination")
    assert "Verified by Zeynep Koç on" in page(browser, f"/schools/{school_id}")


def test_the_queue_shows_possible_duplicates_folded_in_the_same_city_and_country(
    app, make, db_session
):
    school_id = _pending(make, db_session)
    twin = school_in(make, db_session, "TR-06", "KADIKOY anadolu lisesi", city="istanbul")
    elsewhere = school_in(make, db_session, "TR-34", "Kadıköy Anadolu Lisesi", city="İzmir")
    abroad = school_in(make, db_session, "RO-B", "Kadıköy Anadolu Lisesi", city="Istanbul")
    ids = twin.id, elsewhere.id, abroad.id
    browser = login(app, "coord.tr@example.org")

    queue = page(browser, "/coordination")

    assert "1 possible duplicate: a school with the same name in the same city." in queue
    assert f'href="/schools/{ids[0]}"' in queue
    assert f'href="/schools/{ids[1]}"' not in queue
    assert f'href="/schools/{ids[2]}"' not in queue
    assert f'href="/schools/{school_id}"' in queue


def test_coordinators_are_told_of_new_schools_applications_and_requests(app, make, db_session):
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    make.user("creator@example.org")
    creator = login(app, "creator@example.org")

    assert post(creator, "/schools/new", SCHOOL_FORM)[0] == 302
    new_id = db_session.scalar(select(School.id).where(School.name == SCHOOL_FORM["name"]))
    member_school = school_in(make, db_session, "TR-06", "Ankara Fen Lisesi")
    member_school_id = member_school.id
    make.member(member_school, MembershipRole.ADMIN, email="head@example.org")
    head = login(app, "head@example.org")
    request = {"languages": ["tr"], "mode": "online", "message": "We are new."}
    with head.post(f"/mentoring/requests/new?school={member_school_id}", data=request) as answer:
        assert answer.status_code == 302

    assert _kinds(db_session, "coord.tr@example.org") == ["school.to_verify", "mentoring.request"]
    assert _kinds(db_session, "coord.ro@example.org") == []
    payloads = db_session.scalars(select(Notification.payload).order_by(Notification.id)).all()
    assert payloads[0] == {"school": new_id}


def test_coordinators_are_told_of_an_ambassador_application(app, db_session, candidate):  # noqa: F811
    period_id = _apply(app, candidate)

    assert _kinds(db_session, "coord.tr@example.org") == ["ambassador.applied"]
    payload = db_session.scalar(select(Notification.payload))
    assert payload == {"period": period_id, "school": candidate}
