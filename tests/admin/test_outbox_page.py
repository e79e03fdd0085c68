"""The outbox page: admins see what waits, what was sent and what failed with its reason,
filter it, page through it and send a failed message again."""

from __future__ import annotations

import re

import pytest

from app.core.models import OutboxMessage
from tests.principals import sign_in
from tests.support.web import translated

NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="([^"]+)"')


def _message(db_session, n: int, status: str = "sent", **values) -> OutboxMessage:
    message = OutboxMessage(
        key=f"test:{n}",
        template="reset_password",
        to_address=f"person{n}@example.org",
        locale="en",
        subject=f"Subject {n}",
        raw="Subject: x\n\nbody\n",
        status=status,
        **values,
    )
    db_session.add(message)
    db_session.flush()
    return message


@pytest.fixture
def admin_client(app, make, db_session):
    client = app.test_client()
    sign_in(client, db_session, make.user("outbox.admin@example.org", role="admin").id)
    return client


def test_an_admin_sees_each_state_and_the_reason_of_a_failure(admin_client, db_session):
    _message(db_session, 1, "sent", kind="reminder")
    _message(db_session, 2, "failed", attempts=8, last_error="SMTPServerDisconnected: gone")
    _message(db_session, 3, "pending", kind="digest")
    db_session.commit()

    page = admin_client.get("/admin/outbox").get_data(as_text=True)
    failed = admin_client.get("/admin/outbox?status=failed").get_data(as_text=True)
    digests = admin_client.get("/admin/outbox?kind=digest").get_data(as_text=True)
    by_address = admin_client.get("/admin/outbox?q=PERSON1@").get_data(as_text=True)

    assert all(f"person{n}@example.org" in page for n in (1, 2, 3))
    assert "SMTPServerDisconnected: gone" in failed
    assert "person1@example.org" not in failed
    assert "person3@example.org" in digests
    assert "person1@example.org" not in digests
    assert "person1@example.org" in by_address
    assert "person2@example.org" not in by_address


def test_the_page_is_translated_and_pages_through_many_messages(admin_client, db_session, app):
    for n in range(55):
        _message(db_session, n)
    db_session.commit()

    first = admin_client.get("/admin/outbox", headers={"Accept-Language": "nl"})
    html = first.get_data(as_text=True)
    assert translated(app, "nl", "Outbox") in html
    assert html.count("@example.org</td>") == 50
    second = admin_client.get(NEXT_LINK.search(html).group(1).replace("&amp;", "&"))
    assert second.get_data(as_text=True).count("@example.org</td>") == 5


def test_a_failed_message_is_sent_again_from_the_page(admin_client, db_session, outbox):
    message_id = _message(db_session, 9, "failed", attempts=8, last_error="refused").id
    db_session.commit()

    response = admin_client.post(f"/admin/outbox/{message_id}/retry")

    assert response.status_code == 302
    assert db_session.get(OutboxMessage, message_id).status == "sent"
    assert [m["Subject"] for m in outbox] == ["x"]
    again = admin_client.post(f"/admin/outbox/{message_id}/retry")
    assert again.status_code == 302
    assert len(outbox) == 1  # a sent message is not sent twice


@pytest.mark.parametrize("query", ["status=lost", "kind=unknown", "q=" + "x" * 300])
def test_a_filter_nobody_offers_is_refused_with_400(admin_client, query):
    assert admin_client.get(f"/admin/outbox?{query}").status_code == 400
