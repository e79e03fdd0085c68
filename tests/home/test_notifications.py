"""The notification centre: the bell's count, the list in the reader's language, read marks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.core.models import Notification
from app.schools.operations import request_membership
from tests.principals import sign_in


def _client(app, session, user_id: int):
    client = app.test_client()
    sign_in(client, session, user_id)
    return client


def _notify(session, user_id: int, kind: str, payload: dict, minutes_ago: int = 0, read=False):
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    notification = Notification(user_id=user_id, kind=kind, payload=payload, created_at=at,
                                read_at=at if read else None)  # fmt: skip
    session.add(notification)
    session.commit()
    return notification.id


def test_the_bell_names_the_unread_count(app, make, db_session):
    school = make.school("TR")
    user = make.member(school)
    for read in (False, False, True):
        _notify(db_session, user.id, "school.verified", {"school": school.id}, read=read)

    page = _client(app, db_session, user.id).get("/pillars").get_data(as_text=True)

    assert 'aria-label="Notifications, 2 unread"' in page


def test_a_join_request_reaches_the_school_admin_as_a_sentence_with_a_link(app, make, db_session):
    school = make.school("TR", name="Beşiktaş Lisesi")
    admin_id = make.member(school, role=MembershipRole.ADMIN).id
    applicant = make.user(name="Ayşe Demir")
    school_id = school.id
    with app.test_request_context():  # the operation queues a mail too
        request_membership(school, applicant)
        db_session.commit()

    page = _client(app, db_session, admin_id).get("/notifications").get_data(as_text=True)

    assert "Ayşe Demir asks to join Beşiktaş Lisesi." in page
    assert f'href="/schools/{school_id}/members"' in page
    assert "notification-unread" in page


def test_notifications_are_written_in_the_reader_s_language(app, make, db_session):
    school = make.school("NL", name="Het Baarnsch Lyceum")
    user = make.member(school, locale="nl")
    _notify(db_session, user.id, "label.decided", {"award": 0, "verified": True})
    _notify(db_session, user.id, "school.join_approved", {"school": school.id})

    page = _client(app, db_session, user.id).get("/notifications").get_data(as_text=True)

    assert "Je bent nu lid van Het Baarnsch Lyceum." in page
    assert 'aria-label="Meldingen, 2 ongelezen"' in page


def test_the_list_is_newest_first_and_paginated(app, make, db_session):
    school = make.school("TR")
    user_id = make.member(school).id
    per_page = app.config["PER_PAGE"]
    for minutes in range(per_page + 2):
        _notify(db_session, user_id, "school.verified", {"school": school.id}, minutes)
    ids = db_session.scalars(
        select(Notification.id).where(Notification.user_id == user_id).order_by(Notification.id)
    ).all()
    client = _client(app, db_session, user_id)

    first = client.get("/notifications").get_data(as_text=True)
    following = re.search(r'href="(/notifications\?after=[^"]+)"', first).group(1)
    second = client.get(following.replace("&amp;", "&")).get_data(as_text=True)

    shown = re.findall(r"/notifications/(\d+)/read", first)
    assert [int(i) for i in shown] == sorted(ids, reverse=True)[:per_page]
    assert sorted(int(i) for i in re.findall(r"/notifications/(\d+)/read", second)) == ids[:2]
    assert client.get("/notifications?after=not-a-cursor").status_code == 400


def test_marking_one_and_then_all_as_read(app, make, db_session):
    school = make.school("TR")
    user_id = make.member(school).id
    first = _notify(db_session, user_id, "school.verified", {"school": school.id})
    _notify(db_session, user_id, "school.join_approved", {"school": school.id})
    client = _client(app, db_session, user_id)

    response = client.post(f"/notifications/{first}/read", data={"next": "/home"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert 'aria-label="Notifications, 1 unread"' in client.get("/home").get_data(as_text=True)

    assert client.post("/notifications/read").status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert "You have read every notification." in page
    assert "notification-unread" not in page


def test_nobody_marks_someone_else_s_notification(app, make, db_session):
    school = make.school("TR")
    owner = make.member(school).id
    other = make.member(school).id
    theirs = _notify(db_session, owner, "school.verified", {"school": school.id})

    client = _client(app, db_session, other)

    assert client.post(f"/notifications/{theirs}/read").status_code == 404
    assert client.post("/notifications/read").status_code == 302
    assert db_session.get(Notification, theirs).read_at is None


def test_an_unknown_kind_or_a_removed_object_is_told_without_a_link(app, make, db_session):
    user_id = make.user().id
    _notify(db_session, user_id, "something.new", {"school": 1})
    _notify(db_session, user_id, "school.verified", {"school": 987654})
    _notify(db_session, user_id, "school.verified", {"school": "not a number"})

    page = _client(app, db_session, user_id).get("/notifications").get_data(as_text=True)

    # Each text twice: as the item, and as the hidden name of its "Mark as read" button.
    assert page.count("Something changed that concerns you.") == 2 * 3
    assert "/schools/987654" not in page


def test_an_empty_list_says_what_will_arrive(app, make, db_session):
    page = _client(app, db_session, make.user().id).get("/notifications").get_data(as_text=True)

    assert "No notifications yet." in page
    assert 'aria-label="Notifications"' in page
