"""Flask-Login's user loader: a session is valid only for the user's current session version."""

from __future__ import annotations

from app.accounts.models import User
from app.core.extensions import db


def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
