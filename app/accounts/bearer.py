"""Who is asking the API: the user of a valid bearer token, else anonymous.

Cookies sign nobody in there. Installed by ``create_app`` as the API's authenticator.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import or_, select, update

from app.accounts import totp
from app.accounts.models import ApiToken, User
from app.accounts.operations import token_digest
from app.core.api.shell import unauthorized
from app.core.database import begin_write
from app.core.extensions import db

#: ``last_used_at`` is refreshed at most this often, so reads stay reads.
TOUCH_INTERVAL = timedelta(minutes=5)


def _presented_token() -> ApiToken | None:
    """The unrevoked token of the request's ``Authorization: Bearer`` header, looked up once
    per request (the rate limit asks first, then the sign-in)."""
    if "api_token_row" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        row = None
        if scheme.lower() == "bearer" and token.strip():
            row = db.session.scalar(
                select(ApiToken).where(
                    ApiToken.token_hash == token_digest(token.strip()),
                    ApiToken.revoked_at.is_(None),
                )
            )
        g.api_token_row = row
    return g.api_token_row


def identify() -> int | None:
    """The user id of the request's valid token, for the rate limit (counted per user)."""
    row = _presented_token()
    return row.user_id if row is not None else None


def authenticate() -> None:
    """Who is asking: the user of a valid bearer token, else anonymous. Cookies are ignored."""
    g._login_user = AnonymousUserMixin()
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        unauthorized()
    row = _presented_token()
    user = db.session.get(User, row.user_id) if row is not None else None
    if user is None or not user.active:
        unauthorized()
    if totp.missing(user):
        abort(
            403,
            description=_(
                "Coordinators and administrators must turn on two-step sign-in before their"
                " API tokens work."
            ),
        )
    now, token_id = datetime.now(UTC), row.id
    if row.last_used_at is None or now - row.last_used_at > TOUCH_INTERVAL:
        _touch(token_id, now)
    g._login_user = user
    g.api_token_id = token_id


def _touch(token_id: int, now: datetime) -> None:
    """Note the token's use in the request's transaction, a writer from its start (SQLite),
    so simultaneous first uses of one token queue for the lock instead of failing with 500."""
    begin_write(db.session)
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_INTERVAL))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
