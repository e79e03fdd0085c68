"""Credentials: e-mail confirmation, password resets, password changes (the second factor
is :mod:`app.accounts.totp`).

Reset tokens carry 256 bits, are stored only as a SHA-256 digest, work once and
expire after ``PASSWORD_RESET_MINUTES``. Every change of credentials bumps the
user's session version, so cookies issued before it stop working.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from app.accounts.models import PasswordResetToken, User
from app.accounts.operations import hash_password, revoke_tokens, token_digest
from app.core.database import utcnow
from app.core.extensions import db

CONFIRMATION_MAX_AGE = 7 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def confirmation_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "email": user.email})


def confirm_email(token: str) -> User | None:
    """The user whose address the token confirms (idempotent), or None when invalid."""
    try:
        data = _serializer().loads(token, max_age=CONFIRMATION_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def start_password_reset(user: User | None, now: datetime | None = None) -> str:
    """A new single-use reset token for ``user``; earlier unused tokens stop working.

    Without a user (nobody has the address asked for) as many statements run, on no row,
    and no token is kept: the answer takes as long and tells nothing."""
    now = now or utcnow()
    db.session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.user_id == (user.id if user is not None else None),
            PasswordResetToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    if user is None:
        digest = token_digest(token)
        db.session.execute(
            select(PasswordResetToken.id).where(PasswordResetToken.token_hash == digest)
        )
        return token
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.session.flush()
    return token


def usable_reset_token(token: str, now: datetime | None = None) -> PasswordResetToken | None:
    now = now or utcnow()
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def complete_password_reset(token: str, password: str) -> tuple[User, int] | None:
    """Set the password if the token is still good; the token is used up either way.
    The user, and how many of their API tokens the new password revoked."""
    now = utcnow()
    # Mark the token used with a conditional update, so two concurrent uses cannot both win.
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.token_hash == token_digest(token),
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(PasswordResetToken.user_id)
    ).scalar_one_or_none()
    if claimed is None:
        return None
    user = db.session.get(User, claimed)
    revoked = set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = now  # the reset link proves the address too
    return user, revoked


def set_password(user: User, password: str) -> int:
    """A new password signs out every other session and revokes every API token (a
    token made by whoever knew the old password must not outlive it); how many."""
    user.password_hash = hash_password(password)
    invalidate_sessions(user)
    return revoke_tokens(user)


def invalidate_sessions(user: User) -> None:
    user.session_version += 1
