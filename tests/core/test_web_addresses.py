"""Only http(s) addresses are stored as a school's website or an activity's online link,
on the pages and in the API; an address typed without a scheme gets https://."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.models import Activity
from app.core.web_addresses import is_web_address, with_scheme
from app.schools.models import School
from tests.activities.test_activities import form_data
from tests.api.helpers import body, call, event_payload, invalid
from tests.api.test_schools_and_mentoring import SCHOOL
from tests.principals import sign_in
from tests.schools.test_schools import SCHOOL_FORM

REFUSED = [
    "javascript:alert(document.cookie)",
    "javascript://example.org/%0Aalert(document.cookie)",
    "JavaScript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/",
    "https://",
    "https://exa mple.org/",
]
#: What is typed → what is stored.
ACCEPTED = {
    "example.org": "https://example.org",
    "www.school.example.org/about?lang=tr": "https://www.school.example.org/about?lang=tr",
    "  http://school.example.org  ": "http://school.example.org",
    "HTTPS://School.Example.org/Open-Day": "HTTPS://School.Example.org/Open-Day",
    "meet.example.org:8443/room": "https://meet.example.org:8443/room",
}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def member(make, db_session):
    """Ids of a verified school of Türkiye and of one of its members."""
    school = make.school("TR")
    return school.id, make.member(school).id


@pytest.fixture
def api(client):
    return lambda method, url, **kwargs: call(client, method, url, **kwargs)


@pytest.fixture
def token_for(db_session):
    def issue(user_id: int) -> str:
        plain = issue_token(db_session.get(User, user_id))
        db_session.commit()
        return plain

    return issue


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("website", REFUSED)
def test_a_school_website_that_is_not_http_is_refused(client, make, db_session, website):
    sign_in(client, db_session, make.user().id)
    before = _count(db_session, School)

    response = client.post("/schools/new", data={**SCHOOL_FORM, "website": website})

    assert response.status_code == 422
    assert "Enter a full address such as https://school.example." in response.get_data(True)
    assert _count(db_session, School) == before


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED.items())
def test_a_school_website_is_stored_as_an_http_address(client, make, db_session, typed, stored):
    sign_in(client, db_session, make.user().id)

    response = client.post("/schools/new", data={**SCHOOL_FORM, "website": typed})

    assert response.status_code == 302
    school = db_session.scalar(select(School).where(School.name == SCHOOL_FORM["name"]))
    assert school.website == stored


@pytest.mark.parametrize("link", REFUSED)
def test_an_online_link_that_is_not_http_is_refused(client, db_session, member, link):
    school_id, user_id = member
    sign_in(client, db_session, user_id)
    data = form_data(mode="online", online_url=link)

    response = client.post(f"/schools/{school_id}/activities/new", data=data)

    assert response.status_code == 422
    assert "Enter a full address such as https://meet.example." in response.get_data(True)
    assert _count(db_session, Activity) == 0


def test_an_online_link_without_a_scheme_gets_https(client, db_session, member):
    school_id, user_id = member
    sign_in(client, db_session, user_id)
    data = form_data(mode="online", online_url="meet.example.org/open-day")

    assert client.post(f"/schools/{school_id}/activities/new", data=data).status_code == 302
    assert db_session.scalars(select(Activity)).one().online_url == (
        "https://meet.example.org/open-day"
    )


# The API ----------------------------------------------------------------------------------


def test_the_api_refuses_the_same_addresses(api, member, token_for, db_session):
    school_id, user_id = member
    token = token_for(user_id)
    for address in REFUSED:
        school_body = {**SCHOOL, "website": address}
        assert "website" in invalid(api("POST", "schools", token=token, json=school_body))
        event = event_payload(school_id, mode="online", location="", online_url=address)
        assert "online_url" in invalid(api("POST", "events", token=token, json=event))
    assert _count(db_session, Activity) == 0


def test_the_api_stores_an_address_without_a_scheme_with_https(api, member, token_for):
    school_id, user_id = member
    token = token_for(user_id)
    made = body(api("POST", "schools", token=token, json={**SCHOOL, "website": "example.org"}), 201)
    event = event_payload(school_id, online_url="meet.example.org/x")
    held = body(api("POST", "events", token=token, json=event), 201)

    assert made["website"] == "https://example.org"
    assert held["online_url"] == "https://meet.example.org/x"


# Showing what was stored before ------------------------------------------------------------


def test_a_website_stored_before_is_shown_as_text_not_as_a_link(client, make, db_session):
    school = make.school("TR", website="javascript:alert(document.cookie)")

    page = client.get(f"/schools/{school.id}").get_data(as_text=True)

    assert "javascript:alert(document.cookie)" in page
    assert 'href="javascript:' not in page


def test_the_filter_and_the_check_agree():
    assert with_scheme("  example.org ") == "https://example.org"
    assert with_scheme("javascript:alert(1)") == "javascript:alert(1)"
    assert with_scheme(None) is None
    assert not is_web_address("https://example.org/\nx")
    assert is_web_address("http://192.0.2.1/")
