"""Registration, e-mail confirmation, signing in and out, sessions, password reset and
password rules."""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import random
import re
import secrets
import string
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from app.accounts import credentials
from app.accounts.models import PasswordResetToken, User
from app.accounts.operations import PASSWORD_HASHER, hash_password, hashing_thread, verify_password
from app.core.database import utcnow
from app.core.models import AuditEntry
from tests.factories import PASSWORD
from tests.principals import sign_in
from tests.support.web import (
    REMEMBER_COOKIE,
    client_with_cookie,
    cookie_value,
    link_in,
    path_of,
    translated,
)

NEW_PASSWORD = "tomatoes grow best when the summer is long and warm"
RESET_INVALID = "This link no longer works"


def _user(session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def _user_count(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


def _audit(session, action: str, **filters) -> list[AuditEntry]:
    query = select(AuditEntry).filter_by(action=action, **filters).order_by(AuditEntry.id)
    return list(session.scalars(query))


def _register(client, email: str, password: str = NEW_PASSWORD, name: str = "Elif Şahin", **kw):
    data = {"name": name, "email": email, "password": password, "confirm": password}
    return client.post("/register", data=data, **kw)


def _page(response, *echoed: str) -> str:
    """The page without what differs between any two visitors: their CSRF token and what
    they typed into the form themselves."""
    text = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', response.get_data(True))
    for value in echoed:
        text = text.replace(value, "[typed]")
    return text


def _signed_in(client) -> bool:
    """Whether the client's cookies open a page only signed-in users may see."""
    with client.get("/account/") as response:
        return response.status_code == 200


# Registration ----------------------------------------------------------------------------


def test_registration_creates_an_unverified_user_and_mails_a_confirmation_in_their_language(
    app, client, db_session, outbox
):
    response = _register(client, "Elif.Sahin@Example.org", headers={"Accept-Language": "tr"})

    assert response.status_code == 200
    user = _user(db_session, "elif.sahin@example.org")
    assert user is not None
    assert user.email_verified_at is None
    assert user.locale == "tr"
    assert user.password_hash.startswith("$argon2id$")
    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == "elif.sahin@example.org"
    assert message["Content-Language"] == "tr"
    assert message["Subject"] == translated(app, "tr", "Confirm your e-mail address")
    assert message["Subject"] != "Confirm your e-mail address"  # Turkish, not the source
    assert path_of(link_in(message)).startswith("/confirm/")


def test_registering_a_known_address_looks_the_same_and_tells_the_owner_by_mail(
    app, make, db_session, outbox
):
    owner = make.user("taken@example.org", name="Ioana Popescu", locale="ro")
    owner_id, owner_hash = owner.id, owner.password_hash
    users_before = _user_count(db_session)

    fresh = _register(app.test_client(), "free@example.org")
    known = _register(app.test_client(), "taken@example.org", name="Somebody Else")

    assert known.status_code == fresh.status_code == 200
    assert _page(known, "taken@example.org", "Somebody Else") == _page(
        fresh, "free@example.org", "Elif Şahin"
    )
    assert _user_count(db_session) == users_before + 1  # only the free address
    owner = db_session.get(User, owner_id)
    assert (owner.name, owner.password_hash) == ("Ioana Popescu", owner_hash)
    assert [m["To"] for m in outbox] == ["free@example.org", "taken@example.org"]
    notice = outbox[1]
    assert notice["Content-Language"] == "ro"  # the owner's language, not the visitor's
    assert notice["Subject"] == translated(app, "ro", "Someone tried to register with your address")
    assert notice["Subject"] != "Someone tried to register with your address"
    assert path_of(link_in(notice)) == "/reset"


def test_the_confirmation_link_verifies_the_address(client, db_session, outbox, auth):
    _register(client, "confirm.me@example.org")
    link = path_of(link_in(outbox[0]))

    response = client.get(link)

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert _user(db_session, "confirm.me@example.org").email_verified_at is not None
    assert _audit(db_session, "account.confirm_email")
    assert auth.login("confirm.me@example.org", NEW_PASSWORD).status_code == 302


def _tampered_tokens(app, token: str, other: User) -> list[str]:
    payload, timestamp, signature = token.split(".")
    borrowed = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="confirm-email").dumps(
        {"user": other.id, "email": other.email}
    )
    forged = URLSafeTimedSerializer("another-secret-key", salt="confirm-email").dumps(
        {"user": other.id, "email": other.email}
    )
    return [
        # someone else's address with this token's signature
        f"{borrowed.split('.')[0]}.{timestamp}.{signature}",
        # a payload signed with a key that is not the app's
        forged,
        # a character changed in the middle of the payload
        payload[:5]
        + ("A" if payload[5] != "A" else "B")
        + payload[6:]
        + f".{timestamp}.{signature}",
        token[: len(token) // 2],
    ]


def test_a_tampered_confirmation_link_is_a_404_and_confirms_nothing(
    app, client, make, db_session, outbox
):
    other = make.user("other@example.org", verified=False)
    other_id = other.id
    _register(client, "tamper@example.org")
    token = path_of(link_in(outbox[0])).removeprefix("/confirm/")

    for tampered in _tampered_tokens(app, token, db_session.get(User, other_id)):
        assert client.get(f"/confirm/{tampered}").status_code == 404, tampered

    assert db_session.get(User, other_id).email_verified_at is None
    assert _user(db_session, "tamper@example.org").email_verified_at is None


# Signing in ------------------------------------------------------------------------------


def test_an_unverified_user_cannot_sign_in(client, make, auth, db_session):
    user = make.user("unverified@example.org", verified=False)
    user_id = user.id

    response = auth.login("unverified@example.org")

    assert response.status_code == 403
    assert not _signed_in(client)
    assert _audit(db_session, "account.login", actor_id=user_id) == []


def test_a_wrong_password_is_a_401_and_an_audited_failure(client, make, auth, db_session):
    user = make.user("careless@example.org")
    user_id = user.id

    response = auth.login("careless@example.org", "not the password at all")

    assert response.status_code == 401
    assert not _signed_in(client)
    [entry] = _audit(db_session, "account.login", actor_id=user_id)
    assert entry.outcome == "failure"


def test_an_unknown_address_is_answered_like_a_wrong_password(make, app, db_session):
    make.user("known@example.org")
    known = app.test_client().post(
        "/login", data={"email": "known@example.org", "password": "wrong password here"}
    )
    unknown = app.test_client().post(
        "/login", data={"email": "unknown@example.org", "password": "wrong password here"}
    )

    assert known.status_code == unknown.status_code == 401
    assert _page(known, "known@example.org") == _page(unknown, "unknown@example.org")
    failures = _audit(db_session, "account.login", outcome="failure")
    assert len(failures) == 2


def test_signing_in_is_audited_and_recorded_on_the_user(client, make, auth, db_session):
    user = make.user("punctual@example.org")
    user_id = user.id

    response = auth.login("punctual@example.org")

    assert response.status_code == 302
    assert _signed_in(client)
    [entry] = _audit(db_session, "account.login", actor_id=user_id)
    assert entry.outcome == "success"
    assert db_session.get(User, user_id).last_login_at is not None


def test_signing_in_starts_a_new_session(client, make, auth):
    make.user("fixation@example.org")
    with client.session_transaction() as cookie:
        cookie["planted"] = "by someone who had this cookie before"
        cookie["locale"] = "nl"
    before = cookie_value(client)

    auth.login("fixation@example.org")

    after = cookie_value(client)
    assert before is not None
    assert after is not None
    assert after != before
    with client.session_transaction() as cookie:
        assert "planted" not in cookie
        assert cookie["locale"] == "nl"  # the chosen language survives the new session
        assert cookie["_user_id"]


@pytest.mark.parametrize(
    ("role", "remembered"),
    [("member", True), ("coordinator", False), ("admin", False)],
)
def test_only_members_may_stay_signed_in_with_remember_me(client, make, role, remembered):
    make.user("remember@example.org", role=role, countries=("TR",) if role == "coordinator" else ())

    response = client.post(
        "/login",
        data={"email": "remember@example.org", "password": PASSWORD, "remember": "y"},
    )

    assert response.status_code == 302
    assert (cookie_value(client, REMEMBER_COOKIE) is not None) is remembered


# Signing out and ending other sessions ---------------------------------------------------


def test_logout_only_answers_post(client, make, auth):
    make.user("stay@example.org")
    auth.login("stay@example.org")

    assert client.get("/logout").status_code == 405
    assert _signed_in(client)


def test_a_session_cookie_copied_before_logout_no_longer_works(app, client, make, auth):
    make.user("leaving@example.org")
    auth.login("leaving@example.org")
    copied = cookie_value(client)
    assert _signed_in(client_with_cookie(app, copied))  # the copy works while signed in

    assert auth.logout().status_code == 302

    assert not _signed_in(client)
    assert not _signed_in(client_with_cookie(app, copied))


def test_a_remember_me_cookie_copied_before_logout_no_longer_works(app, client, make):
    make.user("remembered@example.org")
    client.post(
        "/login",
        data={"email": "remembered@example.org", "password": PASSWORD, "remember": "y"},
    )
    copied = cookie_value(client, REMEMBER_COOKIE)
    assert _signed_in(client_with_cookie(app, copied, REMEMBER_COOKIE))

    client.post("/logout")

    assert not _signed_in(client_with_cookie(app, copied, REMEMBER_COOKIE))


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client, make, auth):
    make.user("changer@example.org")
    auth.login("changer@example.org")
    copied = cookie_value(client)

    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(client_with_cookie(app, copied))


def test_deactivation_by_an_admin_ends_the_users_sessions(app, client, make, auth, db_session):
    user = make.user("deactivated@example.org", name="Lars Berg")
    admin = make.user("admin.deact@example.org", role="admin")
    user_id, admin_id = user.id, admin.id
    auth.login("deactivated@example.org")
    copied = cookie_value(client)
    admin_client = app.test_client()
    sign_in(admin_client, db_session, admin_id)

    response = admin_client.post(f"/admin/users/{user_id}", data={"name": "Lars Berg"})

    assert response.status_code == 302
    assert db_session.get(User, user_id).active is False
    assert not _signed_in(client)
    assert not _signed_in(client_with_cookie(app, copied))
    assert auth.login("deactivated@example.org").status_code == 401


# Password reset --------------------------------------------------------------------------


def test_a_reset_request_looks_the_same_for_known_and_unknown_addresses(
    app, make, outbox, db_session
):
    make.user("forgetful@example.org")

    known = app.test_client().post("/reset", data={"email": "forgetful@example.org"})
    unknown = app.test_client().post("/reset", data={"email": "stranger@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert _page(known, "forgetful@example.org") == _page(unknown, "stranger@example.org")
    # Each address gets one mail: a link for the account, a word that there is none.
    assert [m["To"] for m in outbox] == ["forgetful@example.org", "stranger@example.org"]
    assert "/reset/" in link_in(outbox[0])
    assert link_in(outbox[1]) == "http://localhost/register"
    assert outbox[1]["Subject"] == "No account with this address"
    assert db_session.scalar(select(func.count()).select_from(PasswordResetToken)) == 1


def _request_reset(app, email: str, outbox) -> str:
    outbox.clear()
    response = app.test_client().post("/reset", data={"email": email})
    assert response.status_code == 200
    [message] = outbox
    return path_of(link_in(message))


def _choose(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_a_reset_link_sets_a_new_password_and_works_only_once(
    app, client, make, auth, db_session, outbox
):
    make.user("once@example.org")
    path = _request_reset(app, "once@example.org", outbox)

    assert client.get(path).status_code == 200
    response = _choose(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"

    again = client.get(path)
    assert again.status_code == 404
    assert RESET_INVALID in again.get_data(as_text=True)
    assert _choose(client, path, "an attacker wants this password").status_code == 404
    assert auth.login("once@example.org", PASSWORD).status_code == 401
    assert auth.login("once@example.org", NEW_PASSWORD).status_code == 302
    assert _audit(db_session, "account.password_reset")


def test_a_reset_link_ends_existing_sessions(app, client, make, auth, outbox):
    make.user("hijacked@example.org")
    auth.login("hijacked@example.org")
    copied = cookie_value(client)
    path = _request_reset(app, "hijacked@example.org", outbox)

    _choose(app.test_client(), path)

    assert not _signed_in(client_with_cookie(app, copied))


@pytest.mark.parametrize(("age_minutes", "status"), [(4, 200), (6, 404)])
def test_a_reset_token_expires_after_the_configured_minutes(
    app, client, make, monkeypatch, age_minutes, status
):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MINUTES", 5)
    user = make.user("late@example.org")
    with app.app_context():
        token = credentials.start_password_reset(
            user, now=utcnow() - timedelta(minutes=age_minutes)
        )
        make.session.commit()

    assert client.get(f"/reset/{token}").status_code == status
    assert _choose(client, f"/reset/{token}").status_code == (302 if status == 200 else 404)


def test_a_reset_token_past_its_expiry_in_the_database_is_refused(
    app, client, make, db_session, outbox
):
    make.user("expired@example.org")
    path = _request_reset(app, "expired@example.org", outbox)
    row = db_session.scalar(select(PasswordResetToken))
    row.created_at = utcnow() - timedelta(hours=2)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()

    assert client.get(path).status_code == 404
    assert _choose(client, path).status_code == 404


def test_usable_reset_token_honours_the_expiry_boundary(app, make):
    user = make.user("boundary@example.org")
    start = utcnow()
    minutes = app.config["PASSWORD_RESET_MINUTES"]
    with app.app_context():
        token = credentials.start_password_reset(user, now=start)
        just_before = start + timedelta(minutes=minutes) - timedelta(seconds=1)
        at_expiry = start + timedelta(minutes=minutes)
        assert credentials.usable_reset_token(token, now=just_before) is not None
        assert credentials.usable_reset_token(token, now=at_expiry) is None


def test_a_new_reset_link_cancels_earlier_unused_ones(app, client, make, outbox):
    make.user("twice@example.org")
    first = _request_reset(app, "twice@example.org", outbox)
    second = _request_reset(app, "twice@example.org", outbox)

    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_reset_tokens_carry_at_least_128_bits_and_only_a_digest_is_stored(
    app, make, db_session, outbox
):
    make.user("entropy@example.org")
    token = _request_reset(app, "entropy@example.org", outbox).removeprefix("/reset/")

    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert len(token) >= len(secrets.token_urlsafe(32))
    [row] = db_session.scalars(select(PasswordResetToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


# Password rules --------------------------------------------------------------------------


def _random_password(length: int) -> str:
    rng = random.Random(length)
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("k7#Qm2!", id="7-characters"),
        pytest.param("password1", id="common-password1"),
        pytest.param("iloveyou", id="common-iloveyou"),
        pytest.param("qwerty123", id="common-qwerty123"),
        pytest.param(_random_password(257), id="257-characters"),
    ],
)
def test_weak_or_oversized_passwords_are_refused(client, db_session, password):
    response = _register(client, "rules@example.org", password)

    assert response.status_code == 422
    assert _user(db_session, "rules@example.org") is None


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("k7#Qm2!x", id="8-characters"),
        pytest.param(_random_password(64), id="64-characters"),
        pytest.param(_random_password(256), id="256-characters"),
        pytest.param("my grandmother keeps bees behind the old school", id="lowercase-sentence"),
    ],
)
def test_passwords_need_length_not_composition(client, db_session, auth, password):
    response = _register(client, "rules@example.org", password)

    assert response.status_code == 200
    user = _user(db_session, "rules@example.org")
    assert user is not None
    user.email_verified_at = utcnow()
    db_session.commit()
    assert auth.login("rules@example.org", password).status_code == 302


def test_passwords_are_stored_with_argon2id(db_session, client):
    _register(client, "hashed@example.org")

    stored = _user(db_session, "hashed@example.org").password_hash

    assert stored.startswith("$argon2id$")
    assert NEW_PASSWORD not in stored


def _weak_hash(password: str) -> str:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(password)


def test_an_outdated_hash_is_upgraded_at_the_next_sign_in(make, db_session, auth):
    user = make.user("legacy@example.org")
    user_id = user.id
    user.password_hash = old = _weak_hash(PASSWORD)
    db_session.commit()

    assert auth.login("legacy@example.org").status_code == 302

    upgraded = db_session.get(User, user_id).password_hash
    assert upgraded != old
    assert upgraded.startswith("$argon2id$")
    assert not PASSWORD_HASHER.check_needs_rehash(upgraded)
    assert PASSWORD_HASHER.verify(upgraded, PASSWORD)


def test_a_failed_sign_in_leaves_an_outdated_hash_alone(make, db_session, auth):
    user = make.user("legacy.fail@example.org")
    user_id = user.id
    user.password_hash = old = _weak_hash(PASSWORD)
    db_session.commit()

    assert auth.login("legacy.fail@example.org", "a wrong password entirely").status_code == 401

    assert db_session.get(User, user_id).password_hash == old


def test_passwords_are_hashed_at_the_owasp_setting():
    assert hash_password(PASSWORD).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_hashes_run_one_at_a_time_on_one_thread_whoever_asks():
    """Each request thread would otherwise keep its own 19 MiB block after a sign-in."""
    running, most, names = [0], [0], set()
    guard = threading.Lock()

    def hashing(password: str) -> str:
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
            names.add(threading.current_thread().name)
        time.sleep(0.02)
        with guard:
            running[0] -= 1
        return PASSWORD_HASHER.hash(password)

    with ThreadPoolExecutor(max_workers=6) as pool:
        hashes = list(pool.map(lambda i: hashing_thread.run(hashing, f"secret {i}"), range(12)))

    assert most[0] == 1
    assert len(names) == 1
    assert next(iter(names)).startswith("argon2")
    assert all(PASSWORD_HASHER.verify(h, f"secret {i}") for i, h in enumerate(hashes))


def test_a_wrong_password_is_refused_through_the_hashing_thread(make, db_session):
    user = make.user("threads@example.org")

    assert verify_password(user, PASSWORD)
    assert not verify_password(user, "not the password")


def test_a_forked_worker_hashes_on_a_thread_of_its_own():
    """gunicorn forks its workers; the parent's hashing thread does not come along."""
    hash_password("in the parent first")  # the parent's thread now exists
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        stored = pool.apply_async(hash_password, ("in the child",)).get(timeout=30)
    assert PASSWORD_HASHER.verify(stored, "in the child")
