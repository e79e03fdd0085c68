"""The outbox delivered by a real Celery worker (a subprocess, against the machine's
Redis) to a real SMTP server that refuses the first three attempts of every message; and
the same with no broker, in-process. Every message arrives exactly once, a worker killed
in the middle of a batch loses none and sends none twice, a rolled-back change sends
nothing.

These tests commit for real (a worker in another process sees only committed rows) and
empty the outbox table afterwards.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import delete, func, select

from app.core import outbox
from app.core.database import utcnow
from app.core.extensions import db
from app.core.jobs import celery
from app.core.mail import queue_mail
from app.core.models import OutboxMessage
from tests.support.smtp import SmtpSink
from tests.support.worker import REDIS_URL, Worker, require_redis, worker_env

RETRY_SECONDS = 0.2
CLAIM_SECONDS = 3


@pytest.fixture
def live(_app, monkeypatch):
    """The application outside the per-test transaction, with an empty outbox."""
    with _app.app_context():
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
        yield _app
        db.session.rollback()
        db.session.execute(delete(OutboxMessage))
        db.session.commit()


def _configure(app, monkeypatch, smtp: SmtpSink) -> None:
    for name, value in {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_RETRY_SECONDS": RETRY_SECONDS,
        "MAIL_CLAIM_SECONDS": CLAIM_SECONDS,
    }.items():
        monkeypatch.setitem(app.config, name, value)


@pytest.fixture
def broker(live, monkeypatch):
    """This process sends tasks to the test Redis (emptied before and after)."""
    client = require_redis()
    client.flushdb()
    monkeypatch.setitem(live.config, "CELERY_BROKER_URL", REDIS_URL)
    monkeypatch.setattr(celery.conf, "broker_url", REDIS_URL)
    yield client  # the connection pool stays open, for the next test on the same broker
    client.flushdb()


def start_worker(live, database_url: str, smtp: SmtpSink, name: str, concurrency=2) -> Worker:
    env = worker_env(
        database_url,
        MAIL_BACKEND="smtp",
        MAIL_PORT=str(smtp.port),
        MAIL_RETRY_SECONDS=str(RETRY_SECONDS),
        MAIL_CLAIM_SECONDS=str(CLAIM_SECONDS),
        CELERY_VISIBILITY_TIMEOUT="5",
    )
    return Worker(env, name, concurrency).start()


@pytest.fixture(params=["worker", "in-process"])
def mode(request):
    return request.param


def _queue(addresses: list[str]) -> None:
    for address in addresses:
        queue_mail(address, "en", "reset_password", user={"name": "A"}, link="https://x", minutes=5)


def _unsent() -> int:
    db.session.commit()  # a fresh snapshot
    return db.session.scalar(select(func.count()).where(OutboxMessage.status != "sent"))


def _state() -> list:
    return db.session.execute(
        select(OutboxMessage.status, OutboxMessage.attempts, func.count()).group_by(
            OutboxMessage.status, OutboxMessage.attempts
        )
    ).all()


def _wait_until_sent(*, sweep_every: float | None, timeout: float = 40) -> None:
    """Wait until every message is sent; ``sweep_every``: run the sweep (beat's job)."""
    deadline = time.monotonic() + timeout
    last_sweep = 0.0
    while _unsent():
        assert time.monotonic() < deadline, _state()
        if sweep_every is not None and time.monotonic() - last_sweep >= sweep_every:
            outbox.sweep(utcnow())
            db.session.commit()
            last_sweep = time.monotonic()
        time.sleep(0.1)
    time.sleep(1)  # time for a duplicate, if there were one, to arrive


def _delivered(smtp: SmtpSink) -> Counter:
    return Counter(rcpt for rcpts in smtp.recipients for rcpt in rcpts)


@pytest.fixture
def running(mode, live, database_url, request, monkeypatch):
    """The refusing SMTP server, and a worker in "worker" mode (nothing in-process)."""
    with SmtpSink(refusals=3) as smtp:
        _configure(live, monkeypatch, smtp)
        worker = None
        if mode == "worker":
            request.getfixturevalue("broker")
            worker = start_worker(live, database_url, smtp, "outbox-test")
        try:
            yield smtp
        finally:
            if worker:
                worker.stop()


def test_every_message_is_delivered_exactly_once(mode, running):
    addresses = [f"teacher{n}@example.org" for n in range(20)]
    _queue(addresses)
    db.session.commit()

    _wait_until_sent(sweep_every=None if mode == "worker" else RETRY_SECONDS)

    assert _delivered(running) == dict.fromkeys(addresses, 1)
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 4)}


def test_a_rolled_back_change_sends_nothing(mode, running):
    _queue(["rolled.back@example.org"])
    db.session.rollback()
    _queue(["committed@example.org"])
    db.session.commit()

    _wait_until_sent(sweep_every=None if mode == "worker" else RETRY_SECONDS)

    assert _delivered(running) == {"committed@example.org": 1}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_worker_killed_in_the_middle_of_a_batch_loses_none_and_sends_none_twice(
    live, broker, database_url, monkeypatch
):
    addresses = [f"mentor{n}@example.org" for n in range(30)]
    with SmtpSink(refusals=1, hold_after=10) as smtp:
        _configure(live, monkeypatch, smtp)
        # One process: when it is held, no other message is between the server's "250"
        # and the commit of "sent", the window of a duplicate that SMTP cannot close
        # (app/core/outbox.py).
        first = start_worker(live, database_url, smtp, "doomed", concurrency=1)
        _queue(addresses)
        db.session.commit()
        # The 11th delivery is under way (the worker is inside the SMTP transaction).
        assert smtp.held.wait(60)
        first.kill()
        smtp.release.set()
        assert 10 <= len(smtp.messages) < len(addresses)

        second = start_worker(live, database_url, smtp, "successor")
        try:
            _wait_until_sent(sweep_every=1)
        finally:
            second.stop()

        assert _delivered(smtp) == dict.fromkeys(addresses, 1)
        assert len({message["Message-ID"] for message in smtp.messages}) == len(addresses)
