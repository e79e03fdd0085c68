"""Two-step sign-in: setting it up, signing in with a code, the staff requirement, turning
it off."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEntry
from tests.factories import PASSWORD
from tests.principals import sign_in

SECRET = re.compile(r'<code class="totp-secret">([A-Z2-7]+)</code>')
QR_IMAGE = re.compile(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"')


def _wrong_code(secret: str) -> str:
    """A six-digit code that is not the current one (nor the one either side)."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    accepted = {totp.at(now + step * totp.interval) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def _code(secret: str, margin: float = 3.0) -> str:
    """The current code, once at least ``margin`` seconds of its 30-second step are left:
    only the current step's code is accepted, so it must not change on the way."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.05)
    return pyotp.TOTP(secret).now()


def _setup_secret(client) -> str:
    response = client.get("/account/two-factor")
    assert response.status_code == 200
    return SECRET.search(response.get_data(as_text=True)).group(1)


def _signed_in(client) -> bool:
    with client.get("/account/") as response:
        return response.status_code == 200


def _with_totp(make, db_session, email: str, **options) -> tuple[int, str]:
    user = make.user(email, **options)
    user.totp_secret = secret = pyotp.random_base32()
    db_session.commit()
    return user.id, secret


# Setting up ------------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_and_the_key(client, make, db_session):
    user = make.user("setup@example.org")
    sign_in(client, db_session, user.id)

    body = client.get("/account/two-factor").get_data(as_text=True)

    assert QR_IMAGE.search(body)
    secret = SECRET.search(body).group(1)
    assert len(secret) >= 32  # 160 bits in base32
    # the key stays the same while the user types the code in
    assert _setup_secret(client) == secret


def test_a_valid_code_turns_two_step_sign_in_on(client, make, db_session):
    user = make.user("enable@example.org")
    user_id = user.id
    sign_in(client, db_session, user_id)
    secret = _setup_secret(client)

    response = client.post("/account/two-factor", data={"code": _code(secret)})

    assert response.status_code == 302
    assert db_session.get(User, user_id).totp_secret == secret
    assert db_session.scalars(
        select(AuditEntry).filter_by(action="account.mfa_enabled", actor_id=user_id)
    ).all()
    assert "Two-step sign-in is on" in client.get("/account/two-factor").get_data(as_text=True)


def test_a_wrong_code_does_not_turn_it_on(client, make, db_session):
    user = make.user("typo@example.org")
    user_id = user.id
    sign_in(client, db_session, user_id)
    secret = _setup_secret(client)

    response = client.post("/account/two-factor", data={"code": _wrong_code(secret)})

    assert response.status_code == 422
    assert db_session.get(User, user_id).totp_secret is None


# Signing in ------------------------------------------------------------------------------


def test_signing_in_with_two_step_on_asks_for_a_code_first(client, make, db_session, auth):
    _with_totp(make, db_session, "twostep@example.org")

    response = auth.login("twostep@example.org")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/code")
    assert not _signed_in(client)
    assert client.get("/login/code").status_code == 200


def test_a_wrong_code_does_not_sign_in(client, make, db_session, auth):
    user_id, secret = _with_totp(make, db_session, "wrongcode@example.org")
    auth.login("wrongcode@example.org")

    response = client.post("/login/code", data={"code": _wrong_code(secret)})

    assert response.status_code == 422
    assert not _signed_in(client)
    failures = db_session.scalars(
        select(AuditEntry).filter_by(action="account.login_code", actor_id=user_id)
    ).all()
    assert [entry.outcome for entry in failures] == ["failure"]


def test_the_right_code_signs_in(client, make, db_session, auth):
    user_id, secret = _with_totp(make, db_session, "rightcode@example.org")
    auth.login("rightcode@example.org")

    response = client.post("/login/code", data={"code": _code(secret)})

    assert response.status_code == 302
    assert _signed_in(client)
    with client.session_transaction() as cookie:
        assert "mfa" not in cookie
    successes = db_session.scalars(
        select(AuditEntry).filter_by(action="account.login", actor_id=user_id, outcome="success")
    ).all()
    assert len(successes) == 1


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, make, db_session):
    _user_id, secret = _with_totp(make, db_session, "skipper@example.org")

    response = client.post("/login/code", data={"code": _code(secret)})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_a_pending_code_step_ends_when_the_password_changes(app, client, make, db_session, auth):
    user_id, secret = _with_totp(make, db_session, "pending@example.org")
    auth.login("pending@example.org")
    user = db_session.get(User, user_id)
    user.session_version += 1  # e.g. the password was reset meanwhile
    db_session.commit()

    response = client.post("/login/code", data={"code": _code(secret)})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)


# The staff requirement -------------------------------------------------------------------


@pytest.fixture
def staff_mfa_required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_STAFF_MFA", True)


@pytest.mark.usefixtures("staff_mfa_required")
@pytest.mark.parametrize("path", ["/", "/account/", "/account/password", "/admin/audit"])
def test_a_coordinator_without_a_second_factor_is_sent_to_set_it_up(client, make, db_session, path):
    coordinator = make.user("coord.nomfa@example.org", role="coordinator", countries=("TR",))
    sign_in(client, db_session, coordinator.id)

    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/two-factor"


@pytest.mark.usefixtures("staff_mfa_required")
def test_a_coordinator_without_a_second_factor_may_still_set_it_up_and_sign_out(
    client, make, db_session
):
    coordinator = make.user("coord.setup@example.org", role="coordinator", countries=("TR",))
    sign_in(client, db_session, coordinator.id)

    assert client.get("/account/two-factor").status_code == 200
    assert client.post("/logout").headers["Location"] == "/"


@pytest.mark.usefixtures("staff_mfa_required")
def test_the_staff_requirement_leaves_members_and_staff_with_a_second_factor_alone(
    app, make, db_session
):
    member = make.user("member.nomfa@example.org")
    admin_id, _secret = _with_totp(make, db_session, "admin.mfa@example.org", role="admin")
    for user_id in (member.id, admin_id):
        client = app.test_client()
        sign_in(client, db_session, user_id)
        assert client.get("/").status_code == 200
        assert client.get("/account/").status_code == 200


def test_without_the_requirement_staff_are_not_redirected(app, client, make, db_session):
    assert app.config["REQUIRE_STAFF_MFA"] is None  # development: off unless configured
    coordinator = make.user("coord.free@example.org", role="coordinator", countries=("TR",))
    sign_in(client, db_session, coordinator.id)

    assert client.get("/").status_code == 200


# Turning off -----------------------------------------------------------------------------


def test_turning_two_step_off_needs_the_current_password(client, make, db_session):
    user_id, secret = _with_totp(make, db_session, "turnoff@example.org")
    sign_in(client, db_session, user_id)

    refused = client.post("/account/two-factor/off", data={"current": "not my password"})
    assert refused.status_code == 422
    assert db_session.get(User, user_id).totp_secret == secret

    missing = client.post("/account/two-factor/off", data={})
    assert missing.status_code == 422
    assert db_session.get(User, user_id).totp_secret == secret

    accepted = client.post("/account/two-factor/off", data={"current": PASSWORD})
    assert accepted.status_code == 302
    assert db_session.get(User, user_id).totp_secret is None
