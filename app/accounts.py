"""Account operations: passwords, users and API tokens. They flush; callers commit."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.models import ApiToken, CoordinatorCountry, Country, Membership, School, User
from app.models.enums import MembershipRole, MembershipStatus

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check a password, upgrading the stored hash when its parameters are outdated."""
    if not user.password_hash:
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


class AccountError(ValueError):
    pass


def create_user(
    email: str,
    name: str,
    password: str | None = None,
    *,
    role: str = "member",
    countries: tuple[str, ...] = (),
    school_id: int | None = None,
    locale: str | None = None,
    password_hash: str | None = None,
    verified: bool = False,
) -> User:
    """Create a user with the role the design names: admin, coordinator or member.

    ``verified``: the address is known to be the user's (created by an administrator).
    """
    if find_user(email):
        raise AccountError(f"a user with the address {email} exists already")
    user = User(
        email=normalise_email(email),
        name=name,
        locale=locale,
        is_admin=role == "admin",
        password_hash=password_hash or (hash_password(password) if password else None),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    if role == "coordinator":
        if not countries:
            raise AccountError("a coordinator needs at least one --country")
        for code in countries:
            if db.session.get(Country, code.upper()) is None:
                raise AccountError(f"country {code} is not loaded (flask regions load {code})")
            user.coordinator_countries.append(CoordinatorCountry(country_code=code.upper()))
    if school_id is not None:
        if db.session.get(School, school_id) is None:
            raise AccountError(f"no school with id {school_id}")
        user.memberships.append(
            Membership(
                school_id=school_id,
                role=MembershipRole.MEMBER,
                status=MembershipStatus.APPROVED,
            )
        )
    db.session.flush()
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "") -> str:
    """Create an API token for ``user``; the plain token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=token_digest(token)))
    db.session.flush()
    return token
