"""Bearer tokens: revoked and malformed ones are refused, cookies are ignored, tokens are
made on the account page (only their digest stored) and by ``flask users token``."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts.models import ApiToken, User
from app.accounts.operations import token_digest
from tests.api.helpers import body, error
from tests.principals import sign_in

SHOWN_TOKEN = re.compile(r'id="new-token"[^>]*value="([^"]+)"')
PRIVATE = "mentoring-requests"  # a list that needs a token


def _row(session, plain: str) -> ApiToken:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(plain)))


def _refused(response) -> dict:
    problem = error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    return problem


def test_a_valid_token_is_accepted_and_its_use_noted(api, make, token_for, db_session):
    user_id = make.user().id
    plain = token_for(user_id)
    assert body(api("GET", PRIVATE, token=plain)) == {"items": [], "next": None}
    assert _row(db_session, plain).last_used_at is not None


def test_a_revoked_token_gets_401_with_the_error_shape(api, make, token_for, db_session):
    plain = token_for(make.user().id)
    assert api("GET", PRIVATE, token=plain).status_code == 200
    _row(db_session, plain).revoked_at = datetime.now(UTC)
    db_session.commit()
    problem = _refused(api("GET", PRIVATE, token=plain, headers={"Accept-Language": "en"}))
    assert problem == {
        "code": "unauthorized",
        "message": "This token is not valid or has been revoked.",
        "fields": {},
    }


def test_the_token_of_a_deactivated_user_gets_401(api, make, token_for, db_session):
    user_id = make.user().id
    plain = token_for(user_id)
    db_session.get(User, user_id).active = False
    db_session.commit()
    _refused(api("GET", PRIVATE, token=plain))


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc", "Bearerabc", "Bearer not-a-token"],
)
def test_a_malformed_or_unknown_authorization_header_gets_401(api, header):
    # Even a public list refuses a request whose credentials are wrong.
    _refused(api("GET", "pillars", headers={"Authorization": header}))


def test_cookies_are_ignored_a_signed_in_session_is_anonymous(app, client, make, db_session):
    user_id = make.user().id
    sign_in(client, db_session, user_id)
    assert client.get("/account/tokens").status_code == 200  # signed in on the pages
    response = client.get(f"/api/v1/{PRIVATE}", headers={"Accept-Language": "en"})
    problem = _refused(response)
    assert problem["message"] == "This needs an API token. Create one on your account page."


def _create_on_page(client, name: str):
    response = client.post("/account/tokens", data={"name": name})
    page = response.get_data(as_text=True)
    shown = [html.unescape(value) for value in SHOWN_TOKEN.findall(page)]
    return response, page, shown


def test_a_token_made_on_the_account_page_is_shown_once_and_stored_as_a_digest(
    api, client, make, db_session
):
    user_id = make.user().id
    sign_in(client, db_session, user_id)
    response, page, shown = _create_on_page(client, "Regional website")
    assert response.status_code == 201
    assert len(shown) == 1
    (plain,) = shown
    assert page.count(plain) == 1
    rows = db_session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)).all()
    assert [(row.name, row.token_hash) for row in rows] == [
        ("Regional website", hashlib.sha256(plain.encode()).hexdigest())
    ]
    assert plain not in {row.token_hash for row in rows}
    assert body(api("GET", PRIVATE, token=plain))["items"] == []
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Regional website" in listing
    assert plain not in listing  # never shown again


def test_a_token_needs_a_name(client, make, db_session):
    user_id = make.user().id
    sign_in(client, db_session, user_id)
    response, _page, shown = _create_on_page(client, "  ")
    assert (response.status_code, shown) == (422, [])
    assert db_session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)).all() == []


def test_revoking_on_the_account_page_stops_the_token(api, client, make, db_session):
    user_id = make.user().id
    sign_in(client, db_session, user_id)
    _response, _page, (plain,) = _create_on_page(client, "NSO report")
    token_id = _row(db_session, plain).id
    assert api("GET", PRIVATE, token=plain).status_code == 200
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert _row(db_session, plain).revoked_at is not None
    _refused(api("GET", PRIVATE, token=plain))


def test_another_users_token_cannot_be_revoked(api, client, make, token_for, db_session):
    owner_id, other_id = make.user().id, make.user().id
    plain = token_for(owner_id)
    token_id = _row(db_session, plain).id
    sign_in(client, db_session, other_id)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert _row(db_session, plain).revoked_at is None
    assert api("GET", PRIVATE, token=plain).status_code == 200


def test_flask_users_token_prints_a_working_token(api, runner, make, db_session):
    user_id = make.user("cli.user@example.org").id
    result = runner.invoke(args=["users", "token", "cli.user@example.org", "--name", "cron"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", plain)
    row = _row(db_session, plain)
    assert (row.user_id, row.name, row.revoked_at) == (user_id, "cron", None)
    assert body(api("GET", PRIVATE, token=plain)) == {"items": [], "next": None}


def test_flask_users_token_refuses_an_unknown_address(runner, db_session):
    result = runner.invoke(args=["users", "token", "nobody@example.org"])
    assert result.exit_code != 0
    assert "no user with the address nobody@example.org" in result.output
    assert db_session.scalars(select(ApiToken)).all() == []
