"""The outbox without a broker: messages are rows of the transaction that causes them,
sent in-process after the commit, retried with a growing pause, each sent once."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core import outbox as delivery
from app.core.database import utcnow
from app.core.extensions import db
from app.core.mail import queue_mail
from app.core.models import OutboxMessage
from tests.support.smtp import SmtpSink


def _queue(to: str, **options) -> int | None:
    return queue_mail(
        to, "en", "reset_password", user={"name": "Anna"}, link="https://x", minutes=5, **options
    )


def _rows() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def flaky_smtp(app, monkeypatch):
    """A real SMTP server that refuses each recipient three times, then accepts."""
    with SmtpSink(refusals=3) as sink:
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_PORT", sink.port)
        monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0.05)
        yield sink


def test_a_second_message_with_the_same_key_is_not_queued(app_ctx, outbox):
    first = _queue("a@example.org", key="reminder:activity:7:3d", kind="reminder")
    second = _queue("a@example.org", key="reminder:activity:7:3d", kind="reminder")
    db.session.commit()

    assert first is not None
    assert second is None
    assert [message["To"] for message in outbox] == ["a@example.org"]
    [row] = _rows()
    assert (row.kind, row.status, row.attempts) == ("reminder", "sent", 1)


def test_extra_headers_go_out_with_the_message(app_ctx, outbox):
    _queue("b@example.org", headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    db.session.commit()

    assert outbox[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(app_ctx, flaky_smtp):
    _queue("rolled.back@example.org")
    db.session.rollback()
    db.session.commit()

    assert _rows() == []
    assert flaky_smtp.messages == []


def _sweep_until_sent(deadline: float) -> None:
    """What beat does every minute (``flask jobs sweep`` by hand), until nothing is due."""
    while time.monotonic() < deadline:
        delivery.sweep(utcnow())
        db.session.commit()
        if db.session.scalar(select(func.count()).where(OutboxMessage.status != "sent")) == 0:
            return
        time.sleep(0.05)


def test_every_message_is_delivered_once_by_a_server_that_refuses_three_attempts(
    app_ctx, flaky_smtp
):
    addresses = [f"school{n}@example.org" for n in range(8)]
    for address in addresses:
        _queue(address)
    db.session.commit()  # the first attempt of each, in-process: refused

    assert {row.status for row in _rows()} == {"pending"}
    assert all("451" in row.last_error for row in _rows())
    _sweep_until_sent(time.monotonic() + 30)

    delivered = Counter(rcpt for rcpts in flaky_smtp.recipients for rcpt in rcpts)
    assert delivered == dict.fromkeys(addresses, 1)
    assert [(row.status, row.attempts) for row in _rows()] == [("sent", 4)] * len(addresses)
    assert len({message["Message-ID"] for message in flaky_smtp.messages}) == len(addresses)


def test_the_pause_doubles_after_each_failure_and_the_last_attempt_marks_it_failed(
    app_ctx, monkeypatch
):
    monkeypatch.setitem(app_ctx.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app_ctx.config, "MAIL_PORT", 9)  # nothing listens: refused
    monkeypatch.setitem(app_ctx.config, "MAIL_RETRY_SECONDS", 30)
    monkeypatch.setitem(app_ctx.config, "MAIL_MAX_ATTEMPTS", 3)
    message_id = _queue("c@example.org")
    db.session.commit()
    row = db.session.get(OutboxMessage, message_id)
    first_pause = row.next_attempt_at - utcnow()
    assert timedelta(seconds=25) < first_pause <= timedelta(seconds=30)
    assert delivery.backoff(2) == timedelta(seconds=60)
    assert delivery.backoff(30) == delivery.MAX_DELAY

    for _ in range(2):
        db.session.execute(
            OutboxMessage.__table__.update().values(next_attempt_at=utcnow() - timedelta(1))
        )
        delivery.sweep(utcnow())
        db.session.commit()

    db.session.refresh(row)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in row.last_error


def test_a_claimed_message_cannot_be_claimed_again_until_the_claim_expires(app_ctx, outbox):
    message_id = _queue("d@example.org")
    db.session.info.pop("jobs_queued")  # not sent in-process: claimed by hand below
    db.session.commit()

    assert delivery.claim(message_id) is not None
    assert delivery.claim(message_id) is None  # a second worker gets nothing
    db.session.execute(
        OutboxMessage.__table__.update().values(claimed_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    assert delivery.claim(message_id) is not None  # the first worker died: taken over


def test_an_admin_retry_sends_a_failed_message_again(app_ctx, outbox, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app_ctx.config, "MAIL_PORT", 9)
    monkeypatch.setitem(app_ctx.config, "MAIL_MAX_ATTEMPTS", 1)
    message_id = _queue("e@example.org")
    db.session.commit()
    assert db.session.get(OutboxMessage, message_id).status == "failed"

    monkeypatch.setitem(app_ctx.config, "MAIL_BACKEND", "memory")
    assert delivery.retry(message_id)
    db.session.commit()

    assert db.session.get(OutboxMessage, message_id).status == "sent"
    assert [message["To"] for message in outbox] == ["e@example.org"]
    assert not delivery.retry(message_id)  # a sent message is not sent again
