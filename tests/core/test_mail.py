"""E-mail over real SMTP: sent after the commit, in the recipient's language, never for a
change that was rolled back."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.core.mail import queue_mail
from tests.support.registrations import confirmed, form, open_day, token_in
from tests.support.smtp import SmtpSink
from tests.support.web import body_of, link_in, path_of, translated


@pytest.fixture
def smtp(app, monkeypatch):
    with SmtpSink() as sink:
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", sink.port)
        yield sink


def test_a_reset_request_delivers_one_message_in_the_recipients_language(app, client, make, smtp):
    make.user("ioana@example.org", name="Ioana Marinescu", locale="ro")

    response = client.post(
        "/reset", data={"email": "ioana@example.org"}, headers={"Accept-Language": "nl"}
    )

    assert response.status_code == 200
    assert smtp.recipients == [["ioana@example.org"]]
    [message] = smtp.messages
    assert message["To"] == "ioana@example.org"
    assert message["Content-Language"] == "ro"  # the recipient's language, not the visitor's
    assert message["Subject"] == translated(app, "ro", "Choose a new password")
    assert message["Subject"] != "Choose a new password"  # Romanian, not the English source
    assert "Ioana Marinescu" in body_of(message)
    link = path_of(link_in(message))
    assert link.startswith("/reset/")
    assert client.get(link).status_code == 200  # the link in the message works


def test_an_unknown_address_is_told_that_no_account_uses_it(app, client, smtp):
    response = client.post(
        "/reset", data={"email": "nobody.here@example.org"}, headers={"Accept-Language": "tr"}
    )

    assert response.status_code == 200
    assert smtp.recipients == [["nobody.here@example.org"]]
    [message] = smtp.messages
    assert message["Subject"] == translated(app, "tr", "No account with this address")
    assert path_of(link_in(message)) == "/register"  # no reset link: there is nothing to reset


def _queue(to: str) -> None:
    queue_mail(to, "en", "reset_password", user={"name": "Anna"}, link="https://x", minutes=5)


@pytest.mark.parametrize("wrote_first", [False, True], ids=["queued-first", "after-a-write"])
def test_a_queued_message_is_dropped_when_the_transaction_rolls_back(
    app, make, db_session, smtp, wrote_first
):
    with app.test_request_context():
        if wrote_first:
            db_session.add(User(email="never.saved@example.org", name="Never Saved"))
            db_session.flush()
        _queue("rolled.back@example.org")
        db_session.rollback()
        db_session.commit()  # a later commit does not pick the message up

        assert smtp.messages == []

        _queue("committed@example.org")
        db_session.commit()

    assert smtp.recipients == [["committed@example.org"]]


def test_a_long_subject_arrives_with_every_space(app, client, make, smtp):
    """Folding a non-ASCII subject at 78 characters lost the space between two words
    (Python 3.11: "Açık kapı" arrived as "Açıkkapı"): subjects are sent unfolded."""
    activity = open_day(make, title="Açık kapı günü", capacity=1)
    confirmed(client, smtp.messages, activity, email="first@example.org")
    client.post(f"/activities/{activity.id}/register?lang=ro", data=form(email="ro@example.org"))
    client.post(f"/registrations/{token_in(smtp.messages[-1])}/confirm")
    waiting = smtp.messages[-1]
    assert waiting["To"] == "ro@example.org"
    assert waiting["Subject"] == translated(
        app, "ro", "You are on the waiting list: %(title)s", title="Açık kapı günü"
    )
