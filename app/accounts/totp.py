"""The second factor: time-based one-time codes (TOTP, RFC 6238), as ASVS 2.8 asks.

- Only the code of the current 30-second step is accepted, not the one before or after.
- Each step's code works once per account: the last step used is stored, and a code of
  that step or an earlier one is refused (a code seen over a shoulder is worth nothing).
- ``TOTP_MAX_FAILURES`` wrong codes in a row lock the account's codes for
  ``TOTP_LOCK_MINUTES``; the count is in the database, so every worker sees it.
- A secret being set up waits in the database (``totp_pending_secret``) until a code
  confirms it, never in the session cookie (signed, not encrypted: readable by anyone
  who has a copy).

Counters and steps change with conditional UPDATEs: two requests at once cannot both use
one step's code, nor both escape a failure count.
"""

from __future__ import annotations

import enum
import hmac
from datetime import datetime, timedelta

import pyotp
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, or_, update

from app.accounts.models import User
from app.core.database import utcnow
from app.core.extensions import db

STEP_SECONDS = 30
_CHANGED = ("totp_last_step", "totp_failures", "totp_locked_until")


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    USED = "used"  # the right code of a step already used: wait for the next one
    LOCKED = "locked"


def problem(outcome: Outcome) -> str:
    """What to tell the user about a code that was not accepted."""
    if outcome is Outcome.USED:
        return _("This code has been used already. Wait for the next one, then enter it.")
    if outcome is Outcome.LOCKED:
        return _(
            "Too many wrong codes. Please wait %(minutes)s minutes, then try again.",
            minutes=current_app.config["TOTP_LOCK_MINUTES"],
        )
    return _("That code is not right. Codes change every 30 seconds.")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="eTwinning Network")


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def locked(user: User, now: datetime | None = None) -> bool:
    return user.totp_locked_until is not None and user.totp_locked_until > (now or utcnow())


def check(user: User, code: str, *, secret: str | None = None, now: datetime | None = None):
    """Check ``code`` against the user's secret (or ``secret``, one being set up) for the
    current step only, and note the outcome: the step used, or one more failure."""
    now = now or utcnow()
    if locked(user, now):
        return Outcome.LOCKED
    secret = secret or user.totp_secret
    step = step_at(now)
    typed = (code or "").strip().replace(" ", "")
    if secret and hmac.compare_digest(pyotp.TOTP(secret).at(step * STEP_SECONDS), typed):
        return Outcome.ACCEPTED if _claim(user, step) else Outcome.USED
    _fail(user, now)
    return Outcome.LOCKED if locked(user, now) else Outcome.WRONG


def _claim(user: User, step: int) -> bool:
    """Mark ``step`` used, unless it (or a later one) was used already."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step, totp_failures=0, totp_locked_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(user, _CHANGED)
    return claimed == 1


def _fail(user: User, now: datetime) -> None:
    """One more wrong code; the last one allowed locks the codes and restarts the count."""
    config = current_app.config
    reached = User.totp_failures + 1 >= config["TOTP_MAX_FAILURES"]
    until = now + timedelta(minutes=config["TOTP_LOCK_MINUTES"])
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            totp_failures=case((reached, 0), else_=User.totp_failures + 1),
            totp_locked_until=case((reached, until), else_=User.totp_locked_until),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, _CHANGED)


def required(app) -> bool:
    """Whether coordinators and admins must use a second factor (``REQUIRE_STAFF_MFA``;
    unset, on in production)."""
    configured = app.config.get("REQUIRE_STAFF_MFA")
    return app.config.get("ENV") == "production" if configured is None else bool(configured)


def missing(user: User) -> bool:
    """A coordinator or admin without a second factor where one is required: the pages
    send them to set it up first, and the API neither issues nor accepts their tokens."""
    from app import policy

    return required(current_app) and not user.totp_secret and policy.is_staff(user)


def pending_secret(user: User) -> str:
    """The secret being set up, made (and kept in the database) on first use."""
    if not user.totp_pending_secret:
        user.totp_pending_secret = new_secret()
    return user.totp_pending_secret


def confirm(user: User, code: str) -> Outcome:
    """Turn the pending secret on if ``code`` is its current one."""
    outcome = check(user, code, secret=user.totp_pending_secret)
    if outcome is Outcome.ACCEPTED:
        user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    return outcome


def turn_off(user: User) -> None:
    user.totp_secret = user.totp_pending_secret = None
    user.totp_failures, user.totp_locked_until = 0, None
