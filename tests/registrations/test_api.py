"""Registrations through the JSON API: the same operations and rules as the pages, the
registrants' personal data for the organisers only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.models import Activity
from tests.api.helpers import body, call
from tests.support.registrations import open_day, soon, token_in


def _token(db_session, user_id: int) -> str:
    token = issue_token(db_session.get(User, user_id), "registrations")
    db_session.commit()
    return token


def _registrant(**fields) -> dict:
    return {"name": "Ioana Popescu", "email": "ioana@example.org", "school_name": "Școala Nr. 5",
            "region": "TR-34", "people": 2, **fields}  # fmt: skip


def test_anyone_registers_and_the_mail_link_changes_and_cancels(client, make, outbox):
    activity = open_day(make, capacity=3)
    answer = body(
        call(client, "POST", f"events/{activity.id}/registrations", json=_registrant()), 201
    )
    assert answer == {
        "id": answer["id"],
        "status": "pending_confirmation",
        "position": None,
        "people": 2,
    }
    token = token_in(outbox[-1])
    client.post(f"/registrations/{token}/confirm")
    changed = body(call(client, "PATCH", f"registrations/{token}", json={"people": 3}))
    assert (changed["status"], changed["people"]) == ("confirmed", 3)
    too_many = call(client, "PATCH", f"registrations/{token}", json={"people": 4})
    assert too_many.status_code == 409
    assert body(call(client, "POST", f"registrations/{token}/cancel"))["status"] == "cancelled"
    assert call(client, "PATCH", "registrations/forged", json={"people": 1}).status_code == 404


def test_a_signed_in_user_with_a_confirmed_address_gets_the_place_at_once(
    client, make, db_session, outbox
):
    activity = open_day(make, capacity=1)
    user = make.user("ioana@example.org").id
    token = _token(db_session, user)
    answer = body(
        call(
            client,
            "POST",
            f"events/{activity.id}/registrations",
            json=_registrant(people=1),
            token=token,
        ),
        201,
    )
    assert answer["status"] == "confirmed"
    again = call(client, "POST", f"events/{activity.id}/registrations", json=_registrant(people=1))
    assert again.status_code == 409


def test_what_the_server_checks_is_refused_with_the_field(client, make):
    school = make.school("TR", name="Moda İlkokulu")
    school_id = school.id
    activity = open_day(make)
    path = f"events/{activity.id}/registrations"
    cases = [
        (_registrant(email="not-an-address"), "email"),
        (_registrant(people=0), "people"),
        (_registrant(school_name="", region=None), "school_name"),
        (_registrant(school_name="Yeni Okul", region=""), "region"),
        (_registrant(school_id=school_id, school_name="x" * 201), "school_name"),
        (_registrant(school_id=10**9), "school_id"),
        (_registrant(favourite="tea"), "favourite"),
    ]
    for sent, field in cases:
        answer = body(call(client, "POST", path, json=sent), 422)
        assert field in answer["error"]["fields"], (sent, answer)
    named = _registrant(school_id=school_id, school_name="", region=None)
    assert call(client, "POST", path, json=named).status_code == 201


def test_the_registrants_are_for_the_organisers_only(client, make, db_session, outbox):
    school = make.school("TR", name="Kadıköy Anadolu Lisesi")
    staff = make.member(school).id
    stranger = make.member(make.school("TR")).id
    activity = open_day(make, school)
    call(client, "POST", f"events/{activity.id}/registrations", json=_registrant())
    path = f"events/{activity.id}/registrations"
    assert call(client, "GET", path).status_code == 401
    assert call(client, "GET", path, token=_token(db_session, stranger)).status_code == 403
    listed = body(call(client, "GET", path, token=_token(db_session, staff)))
    assert [(r["email"], r["status"], r["people"]) for r in listed["items"]] == [
        ("ioana@example.org", "pending_confirmation", 2)
    ]


def test_attendance_is_recorded_on_the_day_with_walk_ins(client, make, db_session, outbox):
    school = make.school("TR", name="Kadıköy Anadolu Lisesi")
    staff = _token(db_session, make.member(school).id)
    activity = open_day(make, school)
    call(client, "POST", f"events/{activity.id}/registrations", json=_registrant())
    client.post(f"/registrations/{token_in(outbox[-1])}/confirm")
    registration = body(call(client, "GET", f"events/{activity.id}/registrations", token=staff))
    present = [registration["items"][0]["id"]]
    record = {"present": present, "walk_ins": [{"name": "Mehmet Demir", "school_name": "Yeni Okul",
                                                 "region": "TR-34"}]}  # fmt: skip
    path = f"events/{activity.id}/attendance"
    assert call(client, "POST", path, json=record, token=staff).status_code == 409  # not yet
    started = db_session.get(Activity, activity.id)
    started.starts_at, started.ends_at = datetime.now(UTC) - timedelta(minutes=10), soon()
    db_session.commit()
    assert body(call(client, "POST", path, json={"present": [10**6]}, token=staff), 409)
    answer = body(call(client, "POST", path, json=record, token=staff))
    assert answer == {"people": 3, "school_ids": [], "school_names": ["Școala Nr. 5", "Yeni Okul"]}
