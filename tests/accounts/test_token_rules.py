"""API tokens follow the account's credentials: a coordinator or admin who must use two-step
sign-in gets no token and cannot use one without it, and a new password (changed or
reset) revokes every token."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from app.accounts.models import ApiToken, User
from app.accounts.operations import issue_token
from tests.api.helpers import call, error
from tests.factories import PASSWORD
from tests.principals import sign_in
from tests.support.web import link_in, path_of

NEW_PASSWORD = "tomatoes grow best when the summer is long and warm"
PRIVATE = "mentoring-requests"  # a list that needs a token
REVOKED = "Your API tokens have been revoked with the old password"


def _token(db_session, user_id: int) -> str:
    plain = issue_token(db_session.get(User, user_id), "report")
    db_session.commit()
    return plain


def _active_tokens(db_session, user_id: int) -> int:
    db_session.expire_all()
    rows = db_session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)).all()
    return sum(row.revoked_at is None for row in rows)


@pytest.fixture
def staff_mfa_required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_STAFF_MFA", True)


# Staff and the second factor ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_a_staff_token_does_not_work_without_the_required_second_factor(
    app, client, make, db_session, monkeypatch, role
):
    staff = make.user(role=role, countries=("TR",) if role == "coordinator" else ())
    staff_id = staff.id
    plain = _token(db_session, staff_id)  # issued while the requirement was off
    monkeypatch.setitem(app.config, "REQUIRE_STAFF_MFA", True)

    refused = call(client, "GET", PRIVATE, token=plain, headers={"Accept-Language": "en"})

    problem = error(refused, 403, "forbidden")
    assert "must turn on two-step sign-in" in problem["message"]
    db_session.get(User, staff_id).totp_secret = pyotp.random_base32()
    db_session.commit()
    assert call(client, "GET", PRIVATE, token=plain).status_code == 200


@pytest.mark.usefixtures("staff_mfa_required")
def test_no_token_is_issued_to_staff_without_the_second_factor(runner, make, db_session):
    staff_id = make.user("coord.cli@example.org", role="coordinator", countries=("TR",)).id

    result = runner.invoke(args=["users", "token", "coord.cli@example.org"])

    assert result.exit_code != 0
    assert "two-step sign-in" in result.output
    assert _active_tokens(db_session, staff_id) == 0


@pytest.mark.usefixtures("staff_mfa_required")
def test_members_and_staff_with_a_second_factor_keep_their_tokens(client, make, db_session):
    member = make.member(make.school("TR"))
    admin = make.user(role="admin")
    admin.totp_secret = pyotp.random_base32()
    db_session.commit()
    for user_id in (member.id, admin.id):
        assert call(client, "GET", PRIVATE, token=_token(db_session, user_id)).status_code == 200


# A new password revokes the tokens ----------------------------------------------------------


def test_a_password_reset_revokes_every_token(app, client, make, db_session, outbox):
    user_id = make.user("forgot.tokens@example.org").id
    tokens = [_token(db_session, user_id), _token(db_session, user_id)]

    client.post("/reset", data={"email": "forgot.tokens@example.org"})
    link = path_of(link_in(outbox[-1]))
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert done.status_code == 302
    assert _active_tokens(db_session, user_id) == 0
    for plain in tokens:
        error(call(app.test_client(), "GET", PRIVATE, token=plain), 401, "unauthorized")
    assert REVOKED in client.get("/login").get_data(as_text=True)  # said on the next page


def test_a_password_change_revokes_every_token(app, client, make, db_session):
    user_id = make.user("changes.password@example.org").id
    plain = _token(db_session, user_id)
    sign_in(client, db_session, user_id)

    changed = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert changed.status_code == 200
    assert REVOKED in changed.get_data(as_text=True)
    assert _active_tokens(db_session, user_id) == 0
    error(call(app.test_client(), "GET", PRIVATE, token=plain), 401, "unauthorized")


def test_without_tokens_a_new_password_says_nothing_about_them(client, make, db_session):
    user_id = make.user("no.tokens@example.org").id
    sign_in(client, db_session, user_id)

    changed = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert "Your password has been changed." in changed.get_data(as_text=True)
    assert REVOKED not in changed.get_data(as_text=True)


def test_the_tokens_page_says_a_new_password_revokes_them(client, make, db_session):
    sign_in(client, db_session, make.user().id)

    page = client.get("/account/tokens").get_data(as_text=True)

    assert "Changing or resetting your password revokes all your tokens." in page
