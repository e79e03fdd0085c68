"""What an activity's page, its report and the mails around a school say: times as people
say them in each language, who recorded it for the school's staff only, unknown counts
kept unknown, a declined join request told, a sender named in the reader's language, and
an admin who finds a school by its name."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import pytest
from sqlalchemy import select

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership
from app.core.i18n import LOCALES
from app.core.models import Notification
from tests.principals import sign_in
from tests.schools.test_schools import login, post, school_in
from tests.support.web import translated

#: The zone of Istanbul by its city, as CLDR says it in each language.
ISTANBUL = {
    "en": "Istanbul Time",
    "nl": "tijd in Istanboel",
    "tr": "İstanbul Saati",
    "nb": "tidssone for Istanbul",
    "ro": "Ora din Istanbul",
}


@pytest.fixture
def held(make, db_session):
    """An activity of an Istanbul school, 17:30–18:45 local time, recorded by Elif."""
    school = school_in(make, db_session, "TR-34", "Kadıköy Anadolu Lisesi")
    recorder = make.member(school, email="elif@example.org", name="Elif Şahin")
    starts = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)  # 17:30 in Istanbul
    activity = make.activity(
        school, starts_at=starts, ends_at=starts + timedelta(minutes=75), created_by_id=recorder.id
    )
    return activity.id


@pytest.mark.parametrize("locale", LOCALES)
def test_the_times_read_as_people_say_them(client, held, locale):
    body = client.get(f"/activities/{held}?lang={locale}").get_data(as_text=True)

    [when] = re.findall(r'<time datetime="[^"]+">(.*?)</time>', body, re.S)
    assert re.findall(r"\d\d:\d\d(?::\d\d)?", when) == ["17:30", "18:45"]
    assert when.endswith(f"({ISTANBUL[locale]})")
    assert "Europe/Istanbul" not in body
    assert "2026" in when


def test_the_recorder_is_named_to_the_school_staff_only(app, client, held):
    public = client.get(f"/activities/{held}?lang=en").get_data(as_text=True)
    assert "Recorded by" not in public
    assert "Elif Şahin" not in public

    staff = login(app, "elif@example.org").get(f"/activities/{held}?lang=en")

    assert re.search(r"<dt>Recorded by</dt>\s*<dd>Elif Şahin</dd>", staff.get_data(as_text=True))


def test_declining_a_join_request_tells_the_requester_in_their_language(
    app, make, db_session, outbox
):
    school = school_in(make, db_session, "NL-ZH", "Charlois College", city="Rotterdam")
    school_id = school.id
    make.member(school, MembershipRole.ADMIN, email="admin@example.org", locale="nl")
    teacher = make.user("teacher@example.org", name="Ingrid Berg", locale="nb")
    teacher_id = teacher.id
    db_session.add(Membership(user_id=teacher_id, school_id=school_id))
    db_session.commit()
    outbox.clear()

    admin = login(app, "admin@example.org")
    status, _location, _body = post(admin, f"/schools/{school_id}/members/{teacher_id}/remove")

    assert status == 302
    assert db_session.get(Membership, (teacher_id, school_id)) is None
    [mail] = outbox
    assert (mail["To"], mail["Content-Language"]) == ("teacher@example.org", "nb")
    assert mail["Subject"] == translated(
        app, "nb", "Your request to join %(school)s was declined", school="Charlois College"
    )
    # The sender is named in the reader's language, at the configured address.
    name, address = parseaddr(mail["From"])
    assert name == translated(app, "nb", "eTwinning School Network")
    assert name != "eTwinning School Network"
    assert address == parseaddr(app.config["MAIL_DEFAULT_SENDER"])[1]
    kinds = db_session.scalars(
        select(Notification.kind).where(Notification.user_id == teacher_id)
    ).all()
    assert kinds == ["school.join_declined"]


def test_removing_an_approved_member_sends_no_refusal(app, make, db_session, outbox):
    school = school_in(make, db_session, "NL-ZH", "Charlois College", city="Rotterdam")
    school_id = school.id
    make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    member_id = make.member(school, email="member@example.org").id
    outbox.clear()

    status, _location, _body = post(
        login(app, "admin@example.org"), f"/schools/{school_id}/members/{member_id}/remove"
    )

    assert status == 302
    assert outbox == []


def test_an_admin_adds_a_membership_by_searching_the_school_by_name(app, client, make, db_session):
    school = school_in(make, db_session, "TR-34", "Şişli Anadolu Lisesi", city="İstanbul")
    school_id = school.id
    person_id = make.user("ayse@example.org", name="Ayşe").id
    admin = make.user("root@example.org", role="admin")
    sign_in(client, db_session, admin.id)

    found = client.get(f"/admin/users/{person_id}?q=sisli&lang=en").get_data(as_text=True)

    assert "Şişli Anadolu Lisesi" in found
    assert f'name="school_id" value="{school_id}"' in found
    assert 'type="number"' not in found
    nothing = client.get(f"/admin/users/{person_id}?q=zzzz&lang=en").get_data(as_text=True)
    assert "No verified school matches this search." in nothing
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', found)
    data = {"school_id": str(school_id), "role": "admin"}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post(f"/admin/users/{person_id}/memberships", data=data)

    assert response.status_code == 302
    membership = db_session.get(Membership, (person_id, school_id))
    assert (membership.role, membership.status) == (MembershipRole.ADMIN, MembershipStatus.APPROVED)
