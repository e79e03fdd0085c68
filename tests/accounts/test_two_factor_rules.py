"""The rules of second-factor codes (ASVS 2.8): the current step only, each step's code
once, a lock after too many wrong codes, a code step that waits five minutes at most, and
a secret being set up that never travels in the session cookie."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEntry
from tests.accounts.test_two_factor import _code, _setup_secret, _signed_in, _with_totp
from tests.factories import PASSWORD
from tests.principals import sign_in
from tests.support.web import cookie_value

LOCKED = "Too many wrong codes. Please wait 15 minutes, then try again."
USED = "This code has been used already. Wait for the next one, then enter it."


def _password_step(app, email: str):
    """A new browser that has given the right password and waits for the code."""
    browser = app.test_client()
    response = browser.post("/login", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"].startswith("/login/code")
    return browser


def _wrong(secret: str) -> str:
    totp, now = pyotp.TOTP(secret), time.time()
    near = {totp.at(now + step * 30) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def test_a_code_signs_in_once_and_is_refused_the_second_time(app, make, db_session):
    user_id, secret = _with_totp(make, db_session, "replay@example.org")
    code = _code(secret, margin=8)
    first = _password_step(app, "replay@example.org")
    assert first.post("/login/code", data={"code": code}).status_code == 302
    assert _signed_in(first)

    again = _password_step(app, "replay@example.org")  # e.g. someone who saw the code typed
    response = again.post("/login/code", data={"code": code})

    assert response.status_code == 422
    assert USED in response.get_data(as_text=True)
    assert not _signed_in(again)
    assert db_session.get(User, user_id).totp_last_step == int(time.time()) // 30


def test_the_code_of_the_previous_step_is_refused(app, make, db_session):
    _user_id, secret = _with_totp(make, db_session, "previous@example.org")
    browser = _password_step(app, "previous@example.org")
    _code(secret)  # away from a step's edge
    previous = pyotp.TOTP(secret).at(time.time() - 30)
    if previous == pyotp.TOTP(secret).now():
        pytest.skip("the two steps happen to share their code")

    response = browser.post("/login/code", data={"code": previous})

    assert response.status_code == 422
    assert not _signed_in(browser)


def test_five_wrong_codes_lock_the_account_for_fifteen_minutes(app, make, db_session):
    user_id, secret = _with_totp(make, db_session, "locked@example.org")
    browser = _password_step(app, "locked@example.org")
    for attempt in range(5):
        response = browser.post("/login/code", data={"code": _wrong(secret)})
        assert response.status_code == (429 if attempt == 4 else 422), attempt

    # The lock belongs to the account: a new password step, the right code, still refused.
    other = _password_step(app, "locked@example.org")
    refused = other.post("/login/code", data={"code": _code(secret)})
    assert refused.status_code == 429
    assert LOCKED in refused.get_data(as_text=True)
    assert not _signed_in(other)
    user = db_session.get(User, user_id)
    db_session.refresh(user)
    left = user.totp_locked_until - datetime.now(UTC)
    assert timedelta(minutes=14) < left <= timedelta(minutes=15)
    failures = db_session.scalars(
        select(AuditEntry).filter_by(action="account.login_code", actor_id=user_id)
    ).all()
    assert len(failures) == 6

    user.totp_locked_until = datetime.now(UTC) - timedelta(seconds=1)  # fifteen minutes on
    db_session.commit()
    assert other.post("/login/code", data={"code": _code(secret)}).status_code == 302
    assert _signed_in(other)


def test_a_right_code_clears_the_count_of_wrong_ones(app, make, db_session):
    user_id, secret = _with_totp(make, db_session, "count@example.org")
    browser = _password_step(app, "count@example.org")
    for _attempt in range(4):
        browser.post("/login/code", data={"code": _wrong(secret)})
    assert db_session.get(User, user_id).totp_failures == 4

    assert browser.post("/login/code", data={"code": _code(secret)}).status_code == 302
    db_session.expire_all()
    assert db_session.get(User, user_id).totp_failures == 0


def test_the_code_step_waits_five_minutes_at_most(app, make, db_session):
    _user_id, secret = _with_totp(make, db_session, "slow@example.org")
    browser = _password_step(app, "slow@example.org")
    with browser.session_transaction() as cookie:
        cookie["mfa"] = {**cookie["mfa"], "at": time.time() - 301}

    response = browser.post("/login/code", data={"code": _code(secret)})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not _signed_in(browser)
    with browser.session_transaction() as cookie:
        assert "mfa" not in cookie


def test_within_five_minutes_the_code_step_still_works(app, make, db_session):
    _user_id, secret = _with_totp(make, db_session, "patient@example.org")
    browser = _password_step(app, "patient@example.org")
    with browser.session_transaction() as cookie:
        cookie["mfa"] = {**cookie["mfa"], "at": time.time() - 280}

    assert browser.post("/login/code", data={"code": _code(secret)}).status_code == 302
    assert _signed_in(browser)


def test_the_secret_being_set_up_stays_on_the_server(app, client, make, db_session):
    user_id = make.user("private.setup@example.org").id
    sign_in(client, db_session, user_id)

    secret = _setup_secret(client)

    raw = cookie_value(client)
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    contents = serializer.loads(raw)
    assert secret not in repr(contents)
    assert secret not in raw
    assert db_session.get(User, user_id).totp_pending_secret == secret
    # Confirmed: it becomes the secret, and its first code cannot sign in again.
    assert client.post("/account/two-factor", data={"code": _code(secret)}).status_code == 302
    db_session.expire_all()
    user = db_session.get(User, user_id)
    assert (user.totp_secret, user.totp_pending_secret) == (secret, None)
    assert user.totp_last_step is not None


def test_turning_it_off_forgets_the_secrets_and_the_lock(client, make, db_session):
    user_id, _secret = _with_totp(make, db_session, "off.rules@example.org")
    user = db_session.get(User, user_id)
    user.totp_failures, user.totp_locked_until = 3, datetime.now(UTC) + timedelta(minutes=5)
    db_session.commit()
    sign_in(client, db_session, user_id)

    assert client.post("/account/two-factor/off", data={"current": PASSWORD}).status_code == 302

    db_session.expire_all()
    user = db_session.get(User, user_id)
    assert (user.totp_secret, user.totp_failures, user.totp_locked_until) == (None, 0, None)
