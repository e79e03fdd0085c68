"""Delivering the outbox: each message claimed, sent and marked sent exactly once.

A worker claims a message with one conditional UPDATE (pending and due, or claimed by a
worker that has not finished within ``MAIL_CLAIM_SECONDS``), so two workers never send
the same row; it commits the claim before talking to the mail server and marks the
message sent only if its claim still holds. A temporary failure (the server is down,
a 4xx answer) puts the message back with an exponential delay; the last attempt
(``MAIL_MAX_ATTEMPTS``) or a permanent refusal (5xx) marks it failed with the reason,
and an admin can send it again. Messages whose task was lost (the broker was away, a
worker was killed) are found by :func:`sweep`, a periodic task.

Between the server's "250 accepted" and the commit of "sent" there is a window of
milliseconds: a worker killed exactly there sends that message once more on retry, with
the same Message-ID (receivers drop such duplicates). Nothing is ever lost.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from datetime import datetime, timedelta
from email import message_from_string, policy

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.core.database import begin_write, utcnow
from app.core.extensions import db
from app.core.jobs import celery, enqueue
from app.core.mail import send_message
from app.core.models import OutboxMessage

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
STATUSES = (PENDING, SENDING, SENT, FAILED)
#: The longest pause between two attempts.
MAX_DELAY = timedelta(hours=6)
#: How early a retried task may arrive (clocks of workers and database differ a little).
_EARLY = timedelta(seconds=1)


def _claimable(now: datetime):
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now + _EARLY),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - lease),
    )


def claim(message_id: int) -> tuple[str, str] | None:
    """Take the message for this worker: (claim token, raw message), or None when it is
    sent, failed, not due or being sent by another worker. Commits."""
    now = utcnow()
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(
            status=SENDING,
            claimed_at=now,
            claim_token=token,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return None
    raw = db.session.scalar(select(OutboxMessage.raw).where(OutboxMessage.id == message_id))
    db.session.commit()
    return token, raw


def _settle(message_id: int, token: str, **values) -> bool:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt: base, 2×, 4×, … up to 6 hours."""
    base = current_app.config["MAIL_RETRY_SECONDS"]
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def _permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _failed(message_id: int, token: str, error: Exception) -> timedelta | None:
    """Record a failed attempt; the delay before the next one, or None when it was the
    last."""
    begin_write(db.session)  # SQLite: read and write in one locked transaction
    attempts = db.session.scalar(
        select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)
    )
    reason = f"{type(error).__name__}: {error}"[:2000]
    last = _permanent(error) or (attempts or 0) >= current_app.config["MAIL_MAX_ATTEMPTS"]
    delay = None if last else backoff(attempts or 1)
    _settle(
        message_id,
        token,
        status=FAILED if last else PENDING,
        last_error=reason,
        next_attempt_at=utcnow() + (delay or timedelta(0)),
    )
    log.warning("mail %s: attempt %s failed (%s)", message_id, attempts, reason)
    return delay


@celery.task(name="mail.deliver", bind=True, max_retries=None)
def deliver(self, message_id: int) -> str:
    """Send one outbox message, once. Safe to run any number of times."""
    claimed = claim(message_id)
    if claimed is None:
        return "skipped"
    token, raw = claimed
    # Read back with the line length the message was written with (see queue_mail), so
    # a long List-Unsubscribe URL is not refolded into an encoded word on the way out.
    message = message_from_string(raw, policy=policy.default.clone(max_line_length=998))
    try:
        send_message(message, current_app.config)
    except (OSError, smtplib.SMTPException) as error:
        delay = _failed(message_id, token, error)
        if delay is not None and not self.request.is_eager:
            raise self.retry(countdown=delay.total_seconds()) from error
        return "failed"
    if not _settle(message_id, token, status=SENT, sent_at=utcnow(), last_error=None):
        log.warning("mail %s was sent after its claim had expired", message_id)
    return "sent"


def sweep(now: datetime, limit: int = 5000) -> int:
    """Enqueue the messages that are due and whose task is not running (a periodic task):
    retries that fell due, messages queued while the broker was away, claims of a worker
    that died. Returns how many."""
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(_claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    for message_id in ids:
        enqueue(deliver, message_id)
    return len(ids)


def retry(message_id: int) -> bool:
    """Send a failed (or pending) message again now, as from its first attempt. Flushes."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_((FAILED, PENDING)))
        .values(status=PENDING, attempts=0, next_attempt_at=utcnow(), claim_token=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    enqueue(deliver, message_id)
    return True
