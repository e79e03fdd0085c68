"""HTTP security: headers, caching, cookies, redirects, CSRF and rate limits."""

from __future__ import annotations

import re
import uuid

import pytest
import redis
from babel.messages.pofile import read_po
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter

from app import create_app
from tests.factories import PASSWORD
from tests.principals import sign_in
from tests.support.paths import TRANSLATIONS
from tests.support.web import (
    REMEMBER_COOKIE,
    SESSION_COOKIE,
    extra_app,
    limiter_state_restored,
)

REDIS_URL = "redis://127.0.0.1:6379"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
#: State-changing routes that may do without a CSRF token. Add one only with a reason
#: (e.g. an API authenticated by a bearer token, never by a cookie).
CSRF_EXEMPT: set[str] = {
    # RFC 8058: a mail client's one-click unsubscribe is a POST without a form token,
    # authorised by the signed token in the URL, never by a cookie.
    "notifications.unsubscribe_now",
}


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def _set_cookie(response, name: str) -> list[str]:
    """The attributes of the Set-Cookie header for ``name``, lower-cased."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return [part.strip().lower() for part in header.split(";")[1:]]
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.getlist('Set-Cookie')}")


def _production_app():
    return create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 40,
            "PUBLIC_URL": "https://localhost",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
        }
    )


@pytest.fixture
def production_app(app):
    with limiter_state_restored():
        yield _production_app()


# Headers ---------------------------------------------------------------------------------


def _assert_security_headers(response) -> None:
    csp = _csp(response)
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts, "no policy for scripts"
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/login", 200),
        ("POST", "/login", 422),
        ("GET", "/account/", 302),
        ("GET", "/nowhere", 404),
        ("GET", "/logout", 405),
        ("GET", "/api/v1/nothing", 404),
        ("GET", "/static/css/app.css", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path, status):
    with client.open(path, method=method) as response:
        assert response.status_code == status
        _assert_security_headers(response)
        assert "Strict-Transport-Security" not in response.headers  # not in development


def test_signed_in_pages_carry_the_security_headers_too(client, make, db_session):
    sign_in(client, db_session, make.user("headers@example.org").id)

    with client.get("/account/") as response:
        assert response.status_code == 200
        _assert_security_headers(response)


def test_production_adds_hsts_and_sends_plain_http_to_https(production_app):
    client = production_app.test_client()

    with client.get("/login", base_url="https://localhost") as secure:
        assert secure.status_code == 200
        _assert_security_headers(secure)
        hsts = secure.headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts
    with client.get("/login") as plain:
        assert plain.status_code in (301, 302)
        assert plain.headers["Location"].startswith("https://")


def test_pages_for_signed_in_users_are_not_cached(client, make, db_session):
    with client.get("/") as anonymous:
        assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    sign_in(client, db_session, make.user("cache@example.org").id)

    for path in ("/", "/account/", "/account/privacy"):
        with client.get(path) as response:
            assert response.status_code == 200
            assert "no-store" in response.headers["Cache-Control"], path


def test_an_anonymous_page_held_already_is_answered_without_its_body(client):
    first = client.get("/pillars")

    again = client.get("/pillars", headers={"If-None-Match": first.headers["ETag"]})

    assert first.headers["Cache-Control"] == "private, no-cache"  # its forms' CSRF token
    assert "Accept-Language" in first.headers["Vary"]
    assert again.status_code == 304
    assert again.data == b""


def test_an_anonymous_page_that_changed_is_sent_again(client):
    first = client.get("/pillars")

    other = client.get("/pillars?lang=nl", headers={"If-None-Match": first.headers["ETag"]})

    assert other.status_code == 200
    assert other.headers["ETag"] != first.headers["ETag"]


def test_an_anonymous_api_answer_may_be_stored_but_is_checked_each_time(client):
    first = client.get("/api/v1/pillars")

    again = client.get("/api/v1/pillars", headers={"If-None-Match": first.headers["ETag"]})

    assert first.headers["Cache-Control"] == "no-cache"
    assert again.status_code == 304


def test_signed_in_pages_carry_no_etag(client, make, db_session):
    sign_in(client, db_session, make.user("etag@example.org").id)

    response = client.get("/pillars")

    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


# Cookies ---------------------------------------------------------------------------------


def test_session_and_remember_cookies_are_httponly_and_samesite_lax(client, make):
    make.user("cookies@example.org")

    response = client.post(
        "/login", data={"email": "cookies@example.org", "password": PASSWORD, "remember": "y"}
    )

    assert response.status_code == 302
    for name in (SESSION_COOKIE, REMEMBER_COOKIE):
        attributes = _set_cookie(response, name)
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        assert "secure" not in attributes, name  # development runs on plain http


def test_production_cookies_are_secure(production_app):
    client = production_app.test_client()

    with client.get("/login", base_url="https://localhost") as response:
        attributes = _set_cookie(response, SESSION_COOKIE)

    assert {"secure", "httponly", "samesite=lax"} <= set(attributes)
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True


# Redirects after sign-in -----------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.org/",
        "http://evil.example.org/account/",
        "//evil.example.org/",
        "/\\evil.example.org/",
        "\\\\evil.example.org/",
        "\\/evil.example.org/",
        "https:evil.example.org",
        "javascript:alert(1)",
        "account/",
    ],
)
def test_sign_in_never_redirects_off_site(client, make, target):
    make.user("redirect@example.org")

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "redirect@example.org", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/home"  # the signed-in home, not the target


def test_sign_in_follows_a_local_next(client, make):
    make.user("local.next@example.org")

    response = client.post(
        "/login",
        query_string={"next": "/account/privacy"},
        data={"email": "local.next@example.org", "password": PASSWORD},
    )

    assert response.headers["Location"] == "/account/privacy"


# CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(app, database_url):
    with limiter_state_restored():
        yield extra_app(database_url, WTF_CSRF_ENABLED=True)


def _sample_value(converter):
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _state_changing_urls(app) -> list[tuple[str, str, str]]:
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            values = {name: _sample_value(conv) for name, conv in rule._converters.items()}
            with app.test_request_context():
                url = url_for(rule.endpoint, **values)
            endpoint, _arguments = adapter.match(url, method=method)
            assert endpoint == rule.endpoint, f"{url} reaches {endpoint}, not {rule.endpoint}"
            urls.append((method, rule.endpoint, url))
    return urls


def test_the_sweep_finds_the_state_changing_routes(csrf_app):
    endpoints = {endpoint for _method, endpoint, _url in _state_changing_urls(csrf_app)}

    assert {"auth.login", "auth.logout", "account.delete", "admin.user"} <= endpoints


@pytest.mark.parametrize("principal", ["anonymous", "admin"])
def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(
    csrf_app, make, db_session, principal
):
    client = csrf_app.test_client()
    if principal == "admin":
        sign_in(client, db_session, make.user("csrf.admin@example.org", role="admin").id)
    accepted = []
    for method, endpoint, url in _state_changing_urls(csrf_app):
        if endpoint in CSRF_EXEMPT or endpoint.startswith("api."):
            continue  # the API authenticates by bearer token only: no cookie to ride on
        with client.open(url, method=method, data={"x": "y"}) as response:
            body = response.get_data(as_text=True)
            if response.status_code != 400 or "CSRF" not in body:
                accepted.append(f"{method} {url}: {response.status_code}")
    assert accepted == [], "state-changing routes that accept a request without a CSRF token"


def test_the_api_ignores_the_session_cookie(csrf_app, make, db_session):
    """CSRF protection is off for the API because a cookie there signs nobody in."""
    client = csrf_app.test_client()
    sign_in(client, db_session, make.user("cookie.admin@example.org", role="admin").id)

    response = client.post("/api/v1/schools", json={"name": "Forged"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_request_with_the_csrf_token_gets_past_the_check(csrf_app, make):
    make.user("csrf.ok@example.org")
    client = csrf_app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)

    response = client.post(
        "/login",
        data={"email": "csrf.ok@example.org", "password": PASSWORD, "csrf_token": token},
    )

    assert response.status_code == 302


# Rate limits -----------------------------------------------------------------------------


def _turkish(msgid: str) -> str:
    with (TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="tr")
    message = catalog.get(msgid)
    assert message is not None, f"{msgid!r} is not in the Turkish catalogue"
    assert message.string, f"no Turkish translation of {msgid!r}"
    return message.string


def _rate_limited_app(database_url: str, **settings):
    return extra_app(
        database_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute", **settings
    )


def _exhaust_login(app) -> object:
    client = app.test_client()
    for attempt in range(3):
        with client.post("/login", data={"email": "flood@example.org", "password": "x"}) as r:
            assert r.status_code == 401, f"attempt {attempt + 1}"
    return client.post(
        "/login",
        data={"email": "flood@example.org", "password": "x"},
        headers={"Accept-Language": "tr"},
    )


def _assert_localised_429(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    body = response.get_data(as_text=True)
    assert '<html lang="tr">' in body
    assert _turkish("Too many requests") in body
    assert _turkish("Please wait a moment before you try again.") in body
    assert "per 1 minute" not in body  # not Flask-Limiter's English description
    _assert_security_headers(response)


@pytest.fixture
def memory_limited_app(app, database_url):
    with limiter_state_restored():
        yield _rate_limited_app(database_url)


def test_the_fourth_sign_in_attempt_a_minute_is_refused_with_a_localised_429(
    memory_limited_app,
):
    response = _exhaust_login(memory_limited_app)

    _assert_localised_429(response)


def test_the_limit_applies_to_posts_only(memory_limited_app):
    _exhaust_login(memory_limited_app)
    client = memory_limited_app.test_client()

    assert client.get("/login").status_code == 200
    assert client.post("/login", data={}).status_code == 429


@pytest.fixture
def redis_limited_app(app, database_url):
    prefix = f"etwinning-test-{uuid.uuid4().hex}"
    server = redis.Redis.from_url(REDIS_URL)
    try:
        with limiter_state_restored():
            yield (
                _rate_limited_app(
                    database_url, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix
                ),
                server,
                prefix,
            )
    finally:
        keys = list(server.scan_iter(match=f"*{prefix}*"))
        if keys:
            server.delete(*keys)
        server.close()


def test_the_limit_holds_with_redis_storage(redis_limited_app):
    limited_app, server, prefix = redis_limited_app

    response = _exhaust_login(limited_app)

    _assert_localised_429(response)
    assert list(server.scan_iter(match=f"*{prefix}*")), "the counts were not kept in Redis"
