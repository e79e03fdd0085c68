"""Calling the JSON API in tests: bearer tokens, JSON bodies, the error shape, lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match
from app.schools.enums import SchoolStatus
from tests.support.mentoring import add_mentor, add_request, etwinning_school

API = "/api/v1"
#: A year the activity form accepts (it refuses dates more than five years ahead).
NEXT_YEAR = datetime.now(UTC).year + 1


def call(client, method: str, url: str, *, token=None, json=None, headers=None, **kwargs):
    """One API request; ``url`` is relative to ``/api/v1`` unless it is absolute."""
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if not url.startswith(("/", "http")):
        url = f"{API}/{url}"
    return client.open(url, method=method, json=json, headers=headers, **kwargs)


def body(response, status: int = 200) -> dict:
    """The JSON body of a response that must have ``status``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.content_type
    return response.get_json()


def error(response, status: int, code: str | None = None) -> dict:
    """The ``error`` object of an API error, after checking its shape."""
    payload = body(response, status)
    assert list(payload) == ["error"]
    problem = payload["error"]
    assert set(problem) == {"code", "message", "fields"}
    assert isinstance(problem["message"], str)
    assert problem["message"]
    if code is not None:
        assert problem["code"] == code
    return problem


def invalid(response) -> dict[str, list[str]]:
    """The fields a 422 names, each with at least one message."""
    fields = error(response, 422, "invalid")["fields"]
    assert fields
    assert all(isinstance(messages, list) and messages for messages in fields.values())
    return fields


def every_page(api, url: str, token=None) -> tuple[list[dict], int]:
    """All items of a list, following ``next``; also the number of pages read."""
    items, pages = [], 0
    while url is not None:
        payload = body(api("GET", url, token=token))
        assert set(payload) == {"items", "next"}
        items.extend(payload["items"])
        url, pages = payload["next"], pages + 1
        assert pages < 100, "the list never ends"
    return items, pages


def ids(items: list[dict]) -> list[int]:
    return [item["id"] for item in items]


def event_payload(school_id: int, **changes) -> dict:
    """A valid planned activity of a Turkish school (Europe/Istanbul is UTC+3)."""
    return {
        "school_id": school_id,
        "type": "info_session",
        "title": "Pillars for our neighbours",
        "description": "How we share leadership.",
        "starts_at": f"{NEXT_YEAR}-05-04T10:00:00+03:00",
        "ends_at": f"{NEXT_YEAR}-05-04T12:30:00+03:00",
        "mode": "hybrid",
        "location": "School library",
        "online_url": "https://meet.example/pillars",
        "languages": ["en", "tr"],
        "audience": ["school_leaders", "teachers"],
        "visibility": "public",
        "pillars": ["collaboration", "shared_leadership"],
        **changes,
    }


@dataclass
class TwoCountries:
    """Ids of the same things in Türkiye and Romania (one of each per country)."""

    school: dict[str, int]  # verified, valid eTwinning School label
    pending: dict[str, int]  # waiting for verification
    member: dict[str, int]  # a member of ``school``
    coordinator: dict[str, int]
    mentor: dict[str, int]  # a profile taking schools
    paused: dict[str, int]  # a paused profile
    request: dict[str, int]  # an open request of ``school``
    match: dict[str, int]  # a proposal (made by hand) for ``request``


def build_two_countries(make, session) -> TwoCountries:
    world = TwoCountries({}, {}, {}, {}, {}, {}, {}, {})
    for country in ("TR", "RO"):
        school = etwinning_school(
            make,
            country,
            name=f"Okul {country}",
            pupil_count=400,
            contact_name=f"Contact {country}",
            contact_email=f"contact.{country.lower()}@example.org",
        )
        world.school[country] = school.id
        world.pending[country] = make.school(country, status=SchoolStatus.PENDING).id
        world.member[country] = make.member(school).id
        world.coordinator[country] = make.user(role="coordinator", countries=(country,)).id
        mentor = add_mentor(make, session, school, languages=["tr", "ro", "en"])
        world.mentor[country] = mentor.id
        world.paused[country] = add_mentor(make, session, school, paused=True).id
        request = add_request(session, school, languages=["en"])
        world.request[country] = request.id
        match = Match(request_id=request.id, mentor_id=mentor.id, status=MatchStatus.PROPOSED)
        session.add(match)
        session.commit()
        world.match[country] = match.id
    return world
