"""Absolute links are built on ``PUBLIC_URL``, never on the host a request names; production
needs the setting and answers no other host."""

from __future__ import annotations

import pytest
from flask import url_for

from app import create_app
from app.core.extensions import cache
from tests.api.test_schools_and_mentoring import SCHOOL
from tests.support.web import extra_app, limiter_state_restored, link_in

PUBLIC = "https://network.example.org"
EVIL = {"Host": "evil.example"}
#: What nginx passes on when the client sent ``Host: evil.example`` (``proxy_set_header
#: X-Forwarded-Host $host``).
EVIL_BEHIND_PROXY = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}


def _public_app(database_url, **settings):
    with limiter_state_restored():
        return extra_app(database_url, PUBLIC_URL=PUBLIC, **settings)


@pytest.mark.parametrize(
    ("settings", "headers"), [({}, EVIL), ({"PROXY_COUNT": 1}, EVIL_BEHIND_PROXY)]
)
def test_a_reset_link_points_to_the_public_address_whatever_host_the_request_names(
    app, database_url, make, outbox, settings, headers
):
    make.user("reset.host@example.org")
    client = _public_app(database_url, **settings).test_client()

    response = client.post("/reset", data={"email": "reset.host@example.org"}, headers=headers)

    assert response.status_code == 200
    [message] = outbox
    assert link_in(message).startswith(f"{PUBLIC}/reset/")


def test_registration_mails_link_to_the_public_address(app, database_url, make, outbox):
    make.user("taken.host@example.org")
    client = _public_app(database_url).test_client()
    password = "a long sentence nobody else would think of"
    for email in ("new.host@example.org", "taken.host@example.org"):
        data = {"name": "Ada", "email": email, "password": password, "confirm": password}
        assert client.post("/register", data=data, headers=EVIL).status_code == 200

    links = [link_in(message) for message in outbox]
    assert len(links) == 2
    assert all(link.startswith(f"{PUBLIC}/") for link in links), links


def test_api_locations_and_next_links_point_to_the_public_address(
    app, database_url, make, db_session
):
    from app.accounts.operations import issue_token

    token = issue_token(make.user("api.host@example.org"))
    make.school("TR")
    make.school("TR")
    db_session.commit()
    client = _public_app(database_url).test_client()
    headers = {**EVIL, "Authorization": f"Bearer {token}"}

    created = client.post("/api/v1/schools", json=SCHOOL, headers=headers)
    listed = client.get("/api/v1/schools?limit=1", headers=headers)

    assert created.status_code == 201
    assert created.headers["Location"].startswith(f"{PUBLIC}/api/v1/schools/")
    assert listed.get_json()["next"].startswith(f"{PUBLIC}/api/v1/schools?")


@pytest.fixture
def caching(app):
    yield
    cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})


def _feed(client, school_id: int, **headers) -> str:
    response = client.get(f"/schools/{school_id}/calendar.ics", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("\r\n ", "")


@pytest.mark.usefixtures("caching")
def test_a_cached_feed_never_holds_the_host_of_the_request_that_filled_the_cache(
    app, database_url, make, db_session
):
    school = make.school("TR")
    activity_id = make.activity(school).id
    db_session.commit()
    with limiter_state_restored():
        public = extra_app(database_url, PUBLIC_URL=PUBLIC, CACHE_TYPE="SimpleCache")
        development = extra_app(database_url, CACHE_TYPE="SimpleCache", SERVER_NAME=None)

    # The first request of each app fills its cache, the second is served from it.
    first = _feed(public.test_client(), school.id, **EVIL)
    assert f"URL:{PUBLIC}/activities/{activity_id}" in first
    assert "evil.example" not in _feed(public.test_client(), school.id)
    # Development without PUBLIC_URL: links follow the host, and each host has its own entry.
    assert "URL:http://evil.example/" in _feed(development.test_client(), school.id, **EVIL)
    assert "evil.example" not in _feed(development.test_client(), school.id)


def test_links_made_outside_a_request_use_the_public_address(app, database_url):
    public = _public_app(database_url, SERVER_NAME=None)

    with public.app_context():
        assert url_for("auth.reset_request") == f"{PUBLIC}/reset"


# Production ------------------------------------------------------------------------------


def _production(**settings):
    return create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            **settings,
        }
    )


@pytest.mark.parametrize("public_url", [None, "", "http://network.example.org"])
def test_production_refuses_to_start_without_an_https_public_address(public_url):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        _production(PUBLIC_URL=public_url)


@pytest.mark.parametrize(
    "public_url",
    ["network.example.org", "https://network.example.org/network", "https://x.org/?a=1",
     "javascript:alert(1)"],
)  # fmt: skip
def test_a_public_address_with_a_path_or_without_a_scheme_is_refused_anywhere(public_url):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": public_url})


def test_production_answers_only_the_public_host(app):
    with limiter_state_restored():
        production = _production(PUBLIC_URL=PUBLIC, PROXY_COUNT=1)
    client = production.test_client()
    https = {"X-Forwarded-Proto": "https"}

    assert production.config["TRUSTED_HOSTS"] == ["network.example.org"]
    assert client.get("/login", headers={**https, "Host": "network.example.org"}).status_code == 200
    assert client.get("/login", headers={**https, "Host": "evil.example"}).status_code == 400
    refused = client.get("/login", headers={**https, "X-Forwarded-Host": "evil.example"})
    assert refused.status_code == 400
    assert "evil.example" not in refused.get_data(as_text=True)
