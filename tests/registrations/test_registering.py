"""Registering without an account: the address confirmed by a POST, places that count
people, the waiting list that moves up by itself, changing and cancelling by the link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import vobject
from sqlalchemy import select

from app.activities.enums import RegistrationMode
from app.activities.models import Activity
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration
from tests.support.registrations import body, confirmed, form, invitation, open_day, token_in


def _register(client, activity, **fields):
    return client.post(f"/activities/{activity.id}/register", data=form(**fields))


def _statuses(db_session, activity) -> list[tuple[str, str, int]]:
    db_session.expire_all()
    rows = db_session.scalars(
        select(Registration)
        .where(Registration.activity_id == activity.id)
        .order_by(Registration.id)
    )
    return [(row.email, row.status.value, row.people) for row in rows]


def test_a_place_counts_once_the_address_is_confirmed_by_a_post(client, make, db_session, outbox):
    activity = open_day(make, capacity=3)
    response = _register(client, activity, people=2)
    assert response.status_code == 302
    assert _statuses(db_session, activity) == [("ayse@example.org", "pending_confirmation", 2)]
    (mail,) = outbox
    assert mail["To"] == "ayse@example.org"
    token = token_in(mail)
    assert f"/registrations/{token}/confirm" in body(mail)
    assert invitation(mail) is None

    # A mail scanner opens the link: nothing is confirmed.
    page = client.get(f"/registrations/{token}/confirm")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert _statuses(db_session, activity)[0][1] == "pending_confirmation"

    client.post(f"/registrations/{token}/confirm")
    assert _statuses(db_session, activity) == [("ayse@example.org", "confirmed", 2)]
    placed = outbox[-1]
    calendar = vobject.readOne(invitation(placed).decode())
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.summary.value == activity.title
    assert event.attendee.value == "mailto:ayse@example.org"
    assert event.dtstart.value.astimezone(UTC) == activity.starts_at
    assert event.organizer.params["CN"] == ["Kadıköy Anadolu Lisesi"]


def test_people_beyond_the_places_wait_and_move_up_in_order(client, make, db_session, outbox):
    activity = open_day(make, capacity=3)
    first = confirmed(client, outbox, activity, email="a@example.org", people=2)
    confirmed(client, outbox, activity, email="b@example.org", people=2)  # 2 + 2 > 3
    confirmed(client, outbox, activity, email="c@example.org", people=1)  # fits, but b waits
    assert _statuses(db_session, activity) == [
        ("a@example.org", "confirmed", 2),
        ("b@example.org", "waitlisted", 2),
        ("c@example.org", "waitlisted", 1),
    ]
    assert "number 2 on the waiting list" in body(outbox[-1])

    outbox.clear()
    assert client.post(f"/registrations/{first}/cancel").status_code == 302
    assert _statuses(db_session, activity) == [
        ("a@example.org", "cancelled", 2),
        ("b@example.org", "confirmed", 2),
        ("c@example.org", "confirmed", 1),
    ]
    recipients = sorted(message["To"] for message in outbox)
    assert recipients == ["a@example.org", "b@example.org", "c@example.org"]
    cancelled = next(m for m in outbox if m["To"] == "a@example.org")
    assert vobject.readOne(invitation(cancelled).decode()).method.value == "CANCEL"


def test_the_promoted_are_told_in_their_own_language(client, make, db_session, outbox):
    activity = open_day(make, capacity=1)
    first = confirmed(client, outbox, activity, email="a@example.org")
    outbox.clear()
    client.post(f"/activities/{activity.id}/register?lang=ro", data=form(email="ro@example.org"))
    client.post(f"/registrations/{token_in(outbox[-1])}/confirm?lang=ro")
    outbox.clear()
    client.post(f"/registrations/{first}/cancel")
    promoted = next(m for m in outbox if m["To"] == "ro@example.org")
    assert promoted["Content-Language"] == "ro"
    assert promoted["Subject"].startswith("S-a eliberat un loc")
    assert invitation(promoted) is not None


def test_more_people_need_free_places_and_fewer_free_them(client, make, db_session, outbox):
    activity = open_day(make, capacity=4)
    first = confirmed(client, outbox, activity, email="a@example.org", people=3)
    page = client.post(f"/registrations/{first}/people", data={"people": "5"})
    assert page.status_code == 422
    assert "Only 1 more person" in page.get_data(as_text=True)
    confirmed(client, outbox, activity, email="b@example.org", people=2)
    assert client.post(f"/registrations/{first}/people", data={"people": "4"}).status_code == 422
    assert client.post(f"/registrations/{first}/people", data={"people": "2"}).status_code == 302
    assert _statuses(db_session, activity) == [
        ("a@example.org", "confirmed", 2),
        ("b@example.org", "confirmed", 2),
    ]


def test_raising_the_capacity_promotes_and_lowering_it_below_the_places_is_refused(
    client, make, db_session, outbox, auth
):
    school = make.school("TR", name="Beşiktaş Lisesi")
    staff = make.member(school).email
    activity = open_day(make, school, capacity=1)
    confirmed(client, outbox, activity, email="a@example.org")
    confirmed(client, outbox, activity, email="b@example.org")
    auth.login(staff)
    values = {
        "type": "open_day", "title": activity.title, "starts_at": _local(activity.starts_at),
        "ends_at": _local(activity.ends_at), "mode": "in_person", "location": "Beşiktaş",
        "pillars": ["models_for_other_schools"], "visibility": "public",
        "registration": "open", "version": str(activity.version),
    }  # fmt: skip
    assert (
        client.post(f"/activities/{activity.id}/edit", data={**values, "capacity": "2"}).status_code
        == 302
    )
    assert [s for _e, s, _p in _statuses(db_session, activity)] == ["confirmed", "confirmed"]
    values["version"] = str(db_session.get(Activity, activity.id).version)
    page = client.post(f"/activities/{activity.id}/edit", data={**values, "capacity": "1"})
    assert page.status_code == 422
    assert "2 people already have a place" in page.get_data(as_text=True)


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Europe/Istanbul")).strftime("%Y-%m-%dT%H:%M")


def test_registered_schools_only_refuses_a_school_that_is_not_registered(client, make, outbox):
    region = make.school("TR", name="Moda İlkokulu").region_code
    activity = open_day(make, registration=RegistrationMode.REGISTERED_SCHOOLS)
    page = _register(client, activity, school_name="Bilinmeyen Okul")
    assert page.status_code == 422
    assert "No registered school of this name" in page.get_data(as_text=True)
    # Typed as people remember it: case, dotted İ and accents do not matter.
    assert (
        _register(client, activity, school_name="MODA ilkokulu", region=region).status_code == 302
    )
    assert outbox


def test_a_school_not_registered_needs_its_region(client, make):
    activity = open_day(make)
    page = client.post(f"/activities/{activity.id}/register", data={**form(), "region": ""})
    assert page.status_code == 422
    assert "Choose the region of your school" in page.get_data(as_text=True)


def test_registering_twice_sends_the_links_again_without_saying_so(
    client, make, db_session, outbox
):
    activity = open_day(make)
    confirmed(client, outbox, activity, email="a@example.org")
    outbox.clear()
    response = _register(client, activity, email="A@example.org")
    assert response.status_code == 302
    assert len(_statuses(db_session, activity)) == 1
    (again,) = outbox
    assert again["To"] == "a@example.org"
    assert token_in(again)


def test_registration_closes_at_its_time(client, make):
    activity = open_day(make, registration_closes_at=datetime.now(UTC) - timedelta(minutes=1))
    assert _register(client, activity).status_code == 409
    page = client.get(f"/activities/{activity.id}")
    assert "Registration is closed." in page.get_data(as_text=True)


def test_a_forged_or_erased_link_opens_nothing(client, make, db_session, outbox):
    activity = open_day(make)
    token = confirmed(client, outbox, activity)
    assert client.get(f"/registrations/{token[:-2]}xx").status_code == 404
    assert client.get(f"/registrations/{token}").status_code == 200
    client.post(f"/registrations/{token}/erase")
    db_session.expire_all()
    (row,) = db_session.scalars(select(Registration).where(Registration.activity_id == activity.id))
    assert (row.name, row.email, row.status, row.people) == (
        "",
        "",
        RegistrationStatus.CANCELLED,
        1,
    )
    assert client.get(f"/registrations/{token}").status_code == 404


def test_the_activity_page_says_how_many_places_are_left(client, make, outbox):
    activity = open_day(make, capacity=5)
    confirmed(client, outbox, activity, people=3)
    text = client.get(f"/activities/{activity.id}?lang=tr").get_data(as_text=True)
    assert "2 yer kaldı" in text
