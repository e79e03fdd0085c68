"""Unknown query parameters never make a 500: every GET route, with the options of
``url_for`` (``_external``, ``_method``, ``_anchor``, ``_scheme``) and the names of URL
arguments in its query string, on lists long enough to link to a next page."""

from __future__ import annotations

import pytest
from flask import url_for

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.schools.models import School
from tests.principals import build_world, sign_in
from tests.test_access_matrix import _routes, _url_values

#: The options ``url_for`` takes as keywords, and a parameter nobody knows.
OPTIONS = "_external=1&_method=POST&_anchor=x&_scheme=javascript&x=1"
#: Every URL argument name of the application, with values no route expects.
ARGUMENTS = "cc=ZZ&region_code=ZZ-99&school_id=x&activity_id=x&fmt=pdf&code=x&table=x&endpoint=x"


@pytest.fixture
def world(app, make, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 1)  # every list of two has a next page
    world = build_world(make, db_session)  # two activities of a school of Türkiye
    school_a = db_session.get(School, world.school_a)
    make.activity(school_a)  # two upcoming ones, then
    make.ambassador(school_a)
    make.ambassador(make.school("TR", name="Second school of Türkiye", region=school_a.region))
    return world


def _urls(app, world) -> list[str]:
    urls = []
    for method, endpoint, _rule in _routes(app):
        if method != "GET" or endpoint in ("static", "bootstrap.static"):
            continue
        with app.test_request_context():
            rule = app.url_map._rules_by_endpoint[endpoint][0]
            values = {
                name: value
                for name, value in _url_values(world, endpoint).items()
                if name in rule.arguments
            }
            urls.append(url_for(endpoint, **values))
    return urls


@pytest.mark.parametrize("principal", ["anonymous", "admin"])
@pytest.mark.parametrize("query", [OPTIONS, ARGUMENTS], ids=["options", "arguments"])
def test_no_get_route_answers_500_to_unknown_query_parameters(
    app, world, db_session, principal, query
):
    user_id = world.user_ids[principal]
    token = issue_token(db_session.get(User, user_id)) if user_id else None
    db_session.commit()
    failures = []
    for url in _urls(app, world):
        client = app.test_client()
        headers = {}
        if url.startswith("/api/") and token:
            headers["Authorization"] = f"Bearer {token}"
        else:
            sign_in(client, db_session, user_id)
        full = f"{url}{'&' if '?' in url else '?'}{query}&limit=1"
        with client.get(full, headers=headers) as response:
            if response.status_code >= 500:
                failures.append(f"{full}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_next_page_link_keeps_the_filters_and_nothing_else(app, world, client):
    body = client.get(f"/calendar/TR?type=open_day&{OPTIONS}").get_data(as_text=True)

    [link] = [part.split('"')[0] for part in body.split('rel="next" href="')[1:]]
    assert link.startswith("/calendar/TR?")
    assert "type=open_day" in link
    assert "after=" in link
    for unknown in ("_external", "_method", "_anchor", "_scheme", "x=1"):
        assert unknown not in link


def test_an_api_next_link_keeps_the_filters_and_nothing_else(app, world, client):
    payload = client.get(f"/api/v1/events?country=TR&limit=1&{OPTIONS}").get_json()

    following = payload["next"]
    assert following.startswith("http://localhost/api/v1/events?")
    assert "country=TR" in following
    assert "limit=1" in following
    for unknown in ("_external", "_method", "_anchor", "_scheme", "x=1"):
        assert unknown not in following
