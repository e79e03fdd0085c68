"""Lists: keyset pages followed to the end, bad cursors and limits, the calendar's filters,
and network-only activities that only token holders see."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from app.activities.enums import ActivityStatus, ActivityType, Visibility
from app.geography.models import Region
from tests.api.helpers import NEXT_YEAR, body, error, every_page, ids


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(NEXT_YEAR, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def calendar(make, db_session) -> dict[str, int]:
    """Activities in two Turkish regions and in Romania, by name."""
    istanbul = make.school("TR", region=db_session.get(Region, "TR-34"))
    ankara = make.school("TR", region=db_session.get(Region, "TR-06"))
    cluj = make.school("RO")
    made = {
        "istanbul_open_day": make.activity(istanbul, at(3, 10), ("collaboration",)),
        # 22:30 UTC is 01:30 on the next day in Istanbul
        "istanbul_late": make.activity(istanbul, at(3, 10, 22, 30), ("collaboration",)),
        "ankara_info": make.activity(
            ankara, at(4, 2), ("shared_leadership",), type=ActivityType.INFO_SESSION
        ),
        "ankara_held": make.activity(ankara, at(3, 20), status=ActivityStatus.HELD),
        "ankara_network": make.activity(ankara, at(3, 25), visibility=Visibility.NETWORK),
        "cluj_cancelled": make.activity(cluj, at(3, 10), status=ActivityStatus.CANCELLED),
    }
    return {name: activity.id for name, activity in made.items()}


def _names(calendar: dict[str, int], items: list[dict]) -> set[str]:
    by_id = {activity_id: name for name, activity_id in calendar.items()}
    return {by_id[item["id"]] for item in items}


def test_following_next_reads_every_row_once_in_order(api, calendar, make, token_for):
    token = token_for(make.user(role="coordinator", countries=("RO",)).id)  # in the network
    items, pages = every_page(api, "events?limit=2", token)
    assert pages == 3
    assert sorted(ids(items)) == sorted(calendar.values())
    assert len(set(ids(items))) == len(items)
    keys = [(datetime.fromisoformat(item["starts_at"]), item["id"]) for item in items]
    assert keys == sorted(keys)


def test_the_next_link_keeps_the_filters(api, calendar):
    first = body(api("GET", "events?country=TR&limit=1&lang=tr"))
    query = parse_qs(urlsplit(first["next"]).query)
    assert {name: query[name] for name in ("country", "limit", "lang")} == {
        "country": ["TR"],
        "limit": ["1"],
        "lang": ["tr"],
    }
    items, pages = every_page(api, "events?country=TR&limit=1")
    assert _names(calendar, items) == {
        "istanbul_open_day",
        "istanbul_late",
        "ankara_info",
        "ankara_held",
    }
    assert pages == 4


@pytest.mark.parametrize("url", ["schools", "mentors", "mentoring-requests", "matches"])
def test_other_lists_page_the_same_way(api, two, make, token_for, url):
    token = token_for(make.user(role="admin").id)  # sees every row of both countries
    whole = body(api("GET", url, token=token))
    assert whole["next"] is None
    assert len(whole["items"]) >= 2
    items, pages = every_page(api, f"{url}?limit=1", token)
    assert ids(items) == ids(whole["items"])
    assert pages == len(items)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzFd", "W10", "eyJhIjoxfQ"])
def test_a_bad_cursor_is_400(api, calendar, cursor):
    problem = error(api("GET", f"events?after={cursor}", headers={"Accept-Language": "en"}), 400)
    assert problem["message"] == "This page cursor is not valid. Start again from the first page."


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "2.5"])
def test_a_limit_outside_1_to_100_is_400(api, limit):
    response = api("GET", f"schools?limit={limit}", headers={"Accept-Language": "en"})
    problem = error(response, 400, "bad_request")
    assert problem["message"] == "limit must be a whole number from 1 to 100."


def test_the_largest_limit_is_accepted(api, calendar):
    assert len(body(api("GET", "events?limit=100"))["items"]) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=RO", {"cluj_cancelled"}),
        ("region=TR-06", {"ankara_info", "ankara_held"}),
        ("type=info_session", {"ankara_info"}),
        ("pillar=collaboration", {"istanbul_open_day", "istanbul_late"}),
        ("status=held", {"ankara_held"}),
        ("status=cancelled", {"cluj_cancelled"}),
        ("country=TR&status=planned", {"istanbul_open_day", "istanbul_late", "ankara_info"}),
        # Days are the country's: 22:30 UTC on the 10th is the 11th in Istanbul.
        (
            f"country=TR&from={NEXT_YEAR}-03-11&to={NEXT_YEAR}-03-31",
            {"istanbul_late", "ankara_held"},
        ),
        (f"country=TR&to={NEXT_YEAR}-03-10", {"istanbul_open_day"}),
        (f"from={NEXT_YEAR}-04-01", {"ankara_info"}),
        ("region=TR-34&type=info_session", set()),
        ("country=TR&region=TR-34", {"istanbul_open_day", "istanbul_late"}),
    ],
)
def test_event_filters_return_only_matching_rows(api, calendar, query, expected):
    items, _pages = every_page(api, f"events?{query}")
    assert _names(calendar, items) == expected


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "region=TR-99",
        "school=abc",
        "type=party",
        "pillar=peace",
        "status=done",
        "from=1990-01-01",
        "to=tomorrow",
        "from=2026-02-30",
        "country=RO&region=TR-34",
    ],
)
def test_an_unknown_filter_value_is_400(api, query):
    error(api("GET", f"events?{query}"), 400, "bad_request")


def test_network_only_activities_are_hidden_from_anonymous(api, calendar, make, token_for):
    network = calendar["ankara_network"]
    assert network not in ids(every_page(api, "events")[0])
    error(api("GET", f"events/{network}"), 404, "not_found")
    outsider = token_for(make.user().id)  # signed up, in no school: not in the network
    assert network not in ids(every_page(api, "events", outsider)[0])
    error(api("GET", f"events/{network}", token=outsider), 404, "not_found")
    token = token_for(make.user(role="coordinator", countries=("RO",)).id)
    assert network in ids(every_page(api, "events", token)[0])
    assert body(api("GET", f"events/{network}", token=token))["visibility"] == "network"
