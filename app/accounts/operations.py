"""Account operations: passwords, users and API tokens. They flush; callers commit."""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from app.accounts.addresses import email_key, mixes_scripts
from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import ApiToken, CoordinatorCountry, Membership, User
from app.core.database import utcnow
from app.core.extensions import db
from app.geography.models import Country
from app.schools.models import School

#: argon2id at OWASP's recommended setting (19 MiB, 2 passes, 1 lane). The library's
#: default (64 MiB, 4 lanes) holds 64 MiB per sign-in in progress: four threads signing
#: in at once would put a worker past its 250 MB budget.
PASSWORD_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class _HashingThread:
    """Runs the hashes of a process on one thread of their own, one at a time.

    The allocator keeps each thread's freed 19 MiB block for that thread's next hash: on
    a threaded worker, hashing on the request threads would hold one block per thread.
    A burst of sign-ins waits a few tens of milliseconds each instead.
    """

    def __init__(self) -> None:
        self._renew()  # the executor starts its thread at the first hash
        os.register_at_fork(after_in_child=self._renew)  # a child has none of its threads

    def _renew(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2")

    def run(self, function, *args):
        return self._executor.submit(function, *args).result()


hashing_thread = _HashingThread()


def hash_password(password: str) -> str:
    return hashing_thread.run(PASSWORD_HASHER.hash, password)


@functools.cache
def _stand_in_hash() -> str:
    """The hash of a password nobody knows, made once per process with the same parameters."""
    return hash_password(secrets.token_urlsafe(32))


def verify_password(user: User | None, password: str) -> bool:
    """Check a password, upgrading the stored hash when its parameters are outdated.

    Without a user (an unknown address) or a stored hash, the password is checked against
    a stand-in hash all the same: the answer then takes as long as for a wrong password,
    and does not tell whether the address has an account.
    """
    stored = user.password_hash if user is not None else None
    try:
        hashing_thread.run(PASSWORD_HASHER.verify, stored or _stand_in_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if not stored:
        return False
    if PASSWORD_HASHER.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    return True


def normalise_email(email: str) -> str:
    """The address as stored and shown: trimmed, lower case."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """The account of ``email`` or of an address that reads the same (``email_key``)."""
    return db.session.scalar(select(User).where(User.email_key == email_key(email)))


#: The longest address a column holds (RFC 5321's path limit).
MAX_ADDRESS = 254


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
    if mixes_scripts(email) or len(email_key(email)) > MAX_ADDRESS:
        raise AccountError(f"{email} mixes the letters of several scripts or is too long")
    if find_user(email):
        raise AccountError(f"a user with the address {email} (or one like it) exists already")
    user = User(
        email=normalise_email(email),  # and its comparison key (User._compare_as)
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
    """Create an API token for ``user``; the plain token is returned once and never stored.
    (The page and the command first refuse staff without a required second factor.)"""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=token_digest(token)))
    db.session.flush()
    return token


def revoke_tokens(user: User) -> int:
    """Revoke every API token of ``user`` (a changed or reset password); how many."""
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return revoked.rowcount


def coordinators_of(country_code: str) -> list[User]:
    """The active national coordinators of ``country_code``."""
    return list(
        db.session.scalars(
            select(User)
            .join(CoordinatorCountry)
            .where(CoordinatorCountry.country_code == country_code, User.active.is_(True))
            .order_by(User.id)
        )
    )
