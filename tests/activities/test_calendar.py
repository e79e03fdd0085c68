"""The country calendars: filters, keyset pages, the month view and iCal feeds (the exports:
:mod:`tests.activities.test_calendar_exports`)."""

from __future__ import annotations

import html
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import text

from app.activities.enums import ActivityStatus, ActivityType, Visibility
from app.activities.models import ActivityLanguage
from app.core.enums import Mode
from app.geography.models import Region
from app.schools.enums import SchoolStatus

YEAR = datetime.now(UTC).year + 1
UID_DOMAIN = "@etwinning-network.example"


# Helpers ---------------------------------------------------------------------


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A UTC instant next year."""
    return datetime(YEAR, month, day, hour, minute, tzinfo=UTC)


def listed_ids(body: str) -> list[int]:
    """The activities of a list page, in the order shown."""
    return [
        int(found)
        for found in re.findall(
            r'<p class="activity-title mb-1"><a href="/activities/(\d+)">', body
        )
    ]


def next_link(body: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', body)
    return html.unescape(found.group(1)) if found else None


def calendar_ids(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return listed_ids(response.get_data(as_text=True))


def region(db_session, code: str) -> Region:
    found = db_session.get(Region, code)
    assert found is not None, code
    assert found.is_leaf, code
    return found


def month_cells(body: str) -> dict[int, list[str]]:
    """Day of the month → the titles shown in its cell (days of other months left out)."""
    cells = re.findall(
        r'<td class="([^"]*)">\s*<span class="day-number">(\d+)</span>(.*?)</td>', body, re.S
    )
    return {
        int(day): [
            html.unescape(title)
            for title in re.findall(r'<a href="/activities/\d+">[^<]*?(?:AM|PM) ([^<]*)</a>', cell)
        ]
        for classes, day, cell in cells
        if "other-month" not in classes
    }


def read_feed(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, object]:
    """UID → VEVENT."""
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(activity_id: int) -> str:
    return f"activity-{activity_id}{UID_DOMAIN}"


@pytest.fixture
def istanbul(make, db_session):
    return make.school("TR", name="Kadıköy Anadolu Lisesi", region=region(db_session, "TR-34"))


@pytest.fixture
def ankara(make, db_session):
    return make.school("TR", name="Çankaya Fen Lisesi", region=region(db_session, "TR-06"))


# Filters ----------------------------------------------------------------------


@pytest.fixture
def varied(make, istanbul, ankara):
    """Upcoming activities that differ in one way each; ids by name."""
    made = {
        "open_day": make.activity(istanbul, starts_at=at(3, 1), title="Open day"),
        "info": make.activity(
            istanbul,
            starts_at=at(3, 2),
            title="Info session",
            type=ActivityType.INFO_SESSION,
            pillars=("models_for_other_schools",),
        ),
        "training": make.activity(
            ankara,
            starts_at=at(3, 3),
            title="Training in Ankara",
            type=ActivityType.PROFESSIONAL_DEVELOPMENT,
            pillars=("models_for_other_schools", "collaboration"),
            languages=[ActivityLanguage(language="tr"), ActivityLanguage(language="en")],
        ),
        "leadership": make.activity(
            ankara,
            starts_at=at(3, 4),
            title="Shared leadership day",
            pillars=("shared_leadership",),
            languages=[ActivityLanguage(language="en")],
            mode=Mode.ONLINE,
        ),
        "past": make.activity(
            istanbul, starts_at=datetime.now(UTC) - timedelta(days=2), title="Last week"
        ),
    }
    return {name: activity.id for name, activity in made.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["open_day", "info", "training", "leadership"]),
        ("?type=info_session", ["info"]),
        ("?type=professional_development", ["training"]),
        ("?pillar=collaboration", ["training"]),
        ("?pillar=shared_leadership", ["leadership"]),
        ("?pillar=models_for_other_schools", ["open_day", "info", "training"]),
        ("?region=TR-06", ["training", "leadership"]),
        ("?region=TR-34", ["open_day", "info"]),
        ("?language=en", ["training", "leadership"]),
        ("?language=tr", ["training"]),
        ("?language=tr&pillar=shared_leadership", []),
        (
            "?region=TR-06&pillar=models_for_other_schools&type=professional_development",
            ["training"],
        ),
        ("?type=&pillar=&region=&language=", ["open_day", "info", "training", "leadership"]),
    ],
)
def test_the_calendar_filters(client, varied, query, expected):
    assert calendar_ids(client, f"/calendar/TR{query}") == [varied[name] for name in expected]


def test_the_calendar_starts_today_unless_asked(client, varied):
    assert varied["past"] not in calendar_ids(client, "/calendar/TR")
    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    assert calendar_ids(client, f"/calendar/TR?date_from={since}")[0] == varied["past"]


def test_the_country_code_may_be_lower_case(client, varied):
    assert calendar_ids(client, "/calendar/tr") == calendar_ids(client, "/calendar/TR")


@pytest.mark.parametrize(
    ("country", "late_evening", "after_midnight"),
    [
        # 23:30 local on the 10th and 00:30 local on the 11th, both on the 10th in UTC.
        ("TR", at(5, 10, 20, 30), at(5, 10, 21, 30)),
        ("NO", at(5, 10, 21, 30), at(5, 10, 22, 30)),
        ("RO", at(12, 10, 21, 30), at(12, 10, 22, 30)),
        ("NL", at(12, 10, 22, 30), at(12, 10, 23, 30)),
    ],
)
def test_date_filters_use_the_days_of_the_country(
    client, make, country, late_evening, after_midnight
):
    school = make.school(country)
    evening = make.activity(school, starts_at=late_evening, title="Late evening").id
    night = make.activity(school, starts_at=after_midnight, title="After midnight").id
    month = late_evening.strftime("%Y-%m")
    tenth, eleventh = f"{month}-10", f"{month}-11"

    assert calendar_ids(client, f"/calendar/{country}?date_from={tenth}&date_to={tenth}") == [
        evening
    ]
    assert calendar_ids(client, f"/calendar/{country}?date_from={eleventh}&date_to={eleventh}") == [
        night
    ]
    assert calendar_ids(client, f"/calendar/{country}?date_from={eleventh}") == [night]
    assert calendar_ids(client, f"/calendar/{country}?date_from={tenth}&date_to={eleventh}") == [
        evening,
        night,
    ]


@pytest.mark.parametrize(
    "query",
    [
        "date_to=9999-12-31",
        "date_from=0001-01-01",
        "date_from=0001-01-01&date_to=9999-12-31",
    ],
)
@pytest.mark.parametrize("path", ["/calendar/TR", "/calendar/TR/export.csv"])
def test_dates_at_the_ends_of_the_calendar_are_a_400_not_an_error(client, path, query):
    with client.get(f"{path}?{query}") as response:
        assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("type=bogus", "Not a valid choice"),
        ("pillar=world_peace", "Not a valid choice"),
        ("region=RO-CJ", "Not a valid choice"),  # a region of another country
        ("region=TR-99", "Not a valid choice"),
        ("language=xx", "Not a valid choice"),
        ("date_from=yesterday", "Not a valid date value"),
        ("date_to=2026-02-30", "Not a valid date value"),
        (
            f"date_from={YEAR}-05-02&date_to={YEAR}-05-01",
            "The end of the period must not be before its start.",
        ),
    ],
)
@pytest.mark.parametrize("path", ["/calendar/TR", "/calendar/TR/month", "/calendar/TR/export.csv"])
def test_bad_filter_values_are_a_400_with_a_message(client, path, query, problem):
    response = client.get(f"{path}?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    if path == "/calendar/TR" and "date_to=" in query:
        # A wrong end date: the calendar stays, with the message beside the date.
        assert 'id="date_to-error"' in body
        assert 'id="calendar-filters"' in body
        # The downloads give the list shown: without the end date the page left out.
        assert 'type="hidden" name="date_to"' not in body
        [xlsx] = re.findall(r'href="(/calendar/TR/export\.xlsx[^"]*)"', body)
        assert "date_to=" not in xlsx
    else:
        assert "These filters cannot be used:" in body
    assert problem in html.unescape(body)


def test_bad_filter_messages_are_translated(client):
    response = client.get("/calendar/TR?type=bogus", headers={"Accept-Language": "nb"})
    assert response.status_code == 400
    assert "Disse filtrene kan ikke brukes:" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/ZZ",
        "/calendar/DE",  # a real country the network has not set up
        "/calendar/ZZ/month",
        "/calendar/ZZ/export.csv",
        "/calendar/ZZ/export.xlsx",
        "/calendar/ZZ.ics",
        "/calendar/TR/RO-CJ.ics",
        "/calendar/TR/TR-99.ics",
    ],
)
def test_an_unknown_country_or_region_is_a_404(client, path):
    assert client.get(path).status_code == 404


# Keyset pages -------------------------------------------------------------------


@pytest.fixture
def many(make, istanbul, ankara):
    """45 upcoming public activities in Türkiye, created out of order, with equal start
    times; plus activities that must never appear (network-only, abroad, past)."""
    starts = [at(4, 1 + index // 3, 8 + index % 3) for index in range(39)]
    starts += [at(6, 1, 9, 0)] * 6  # six at exactly the same time: the id breaks the tie
    random.Random(20).shuffle(starts)
    made = []
    for number, start in enumerate(starts):
        school = istanbul if number % 2 else ankara
        kind = ActivityType.INFO_SESSION if number % 3 == 0 else ActivityType.OPEN_DAY
        activity = make.activity(school, starts_at=start, type=kind, title=f"Activity {number}")
        made.append((activity.starts_at, activity.id, kind))
    make.activity(istanbul, starts_at=at(4, 5), visibility=Visibility.NETWORK, title="Hidden")
    make.activity(make.school("RO"), starts_at=at(4, 5), title="Abroad")
    make.activity(istanbul, starts_at=datetime.now(UTC) - timedelta(days=1), title="Past")
    return sorted(made)


def walk(client, url: str) -> list[list[int]]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        pages.append(listed_ids(body))
        url = next_link(body)
        assert len(pages) < 10, "the pages never end"
    return pages


def test_keyset_pages_list_every_activity_once_in_order(app, client, db_session, many):
    if db_session.get_bind().dialect.name == "postgresql":
        # The cursor must not depend on the connection's time zone.
        db_session.execute(text("SET TIME ZONE 'America/New_York'"))
    per_page = app.config["PER_PAGE"]
    assert per_page == 20

    pages = walk(client, "/calendar/TR")

    assert [len(page) for page in pages] == [20, 20, 5]
    shown = [activity_id for page in pages for activity_id in page]
    assert shown == [activity_id for _start, activity_id, _kind in many]
    assert len(set(shown)) == 45


def test_keyset_pages_keep_the_filters(client, many):
    expected = [
        activity_id for _start, activity_id, kind in many if kind is ActivityType.INFO_SESSION
    ]
    assert len(expected) == 15
    pages = walk(client, "/calendar/TR?type=info_session&region=")
    assert [activity_id for page in pages for activity_id in page] == expected
    pages = walk(client, "/calendar/TR?type=open_day")
    assert [len(page) for page in pages] == [20, 10]


def test_a_page_exactly_full_has_no_next_link(client, make, istanbul):
    for day in range(1, 21):
        make.activity(istanbul, starts_at=at(4, day))
    assert [len(page) for page in walk(client, "/calendar/TR")] == [20]


@pytest.mark.parametrize(
    "after",
    [
        "garbage",
        "%%%",
        "W10",  # []
        "WyJ4IiwxXQ",  # ["x", 1]
        "WzEsMl0",  # [1, 2]
        "eyJ0IjoiMjAyNy0wMS0wMSJ9",  # a dict, not a list
    ],
)
def test_a_garbage_cursor_is_a_400(client, many, after):
    assert client.get(f"/calendar/TR?after={after}").status_code == 400


def test_the_school_list_pages_newest_first(client, make, istanbul):
    school_id = istanbul.id
    made = [
        (activity.starts_at, activity.id)
        for activity in (make.activity(istanbul, starts_at=at(5, 1 + n % 28)) for n in range(25))
    ]
    pages = walk(client, f"/schools/{school_id}/activities")
    assert [len(page) for page in pages] == [20, 5]
    expected = [activity_id for _start, activity_id in sorted(made, reverse=True)]
    assert [activity_id for page in pages for activity_id in page] == expected


# Month view ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "first_of_month", "last_of_month", "before"),
    [
        # 00:30 local on 1 June, 23:30 local on 30 June, 23:30 local on 31 May.
        ("TR", at(5, 31, 21, 30), at(6, 30, 20, 30), at(5, 31, 20, 30)),
        ("NO", at(5, 31, 22, 30), at(6, 30, 21, 30), at(5, 31, 21, 30)),
        ("RO", at(5, 31, 21, 30), at(6, 30, 20, 30), at(5, 31, 20, 30)),
    ],
)
def test_the_month_view_groups_by_local_day(
    client, make, country, first_of_month, last_of_month, before
):
    school = make.school(country)
    make.activity(school, starts_at=first_of_month, title="Just after midnight")
    make.activity(school, starts_at=last_of_month, title="Late on the last day")
    make.activity(school, starts_at=before, title="Still May")
    make.activity(
        school, starts_at=at(6, 15, 10), title="Cancelled one", status=ActivityStatus.CANCELLED
    )
    make.activity(
        school, starts_at=at(6, 16, 10), title="Network one", visibility=Visibility.NETWORK
    )

    response = client.get(
        f"/calendar/{country}/month?month={YEAR}-06", headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200
    days = month_cells(response.get_data(as_text=True))
    assert sorted(days) == list(range(1, 31))
    assert days[1] == ["Just after midnight"]
    assert days[30] == ["Late on the last day"]
    assert days[15] == ["Cancelled one"]
    assert days[16] == []  # network-only: not for anonymous visitors
    assert all("Still May" not in titles for titles in days.values())
    may = month_cells(
        client.get(f"/calendar/{country}/month?month={YEAR}-05").get_data(as_text=True)
    )
    assert may[31] == ["Still May"]
    assert all("Just after midnight" not in titles for titles in may.values())


def test_the_month_view_shows_local_times(client, make):
    school = make.school("TR")
    make.activity(school, starts_at=at(6, 1, 7, 0), title="Morning")
    response = client.get(f"/calendar/TR/month?month={YEAR}-06", headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert re.search(r">10:00\s?AM Morning</a>", body.replace("\u202f", " "))


def test_the_month_view_applies_the_filters(client, make, istanbul, ankara):
    make.activity(istanbul, starts_at=at(6, 3), title="In Istanbul")
    make.activity(ankara, starts_at=at(6, 3, 12), title="In Ankara")
    body = client.get(f"/calendar/TR/month?month={YEAR}-06&region=TR-06").get_data(as_text=True)
    assert month_cells(body)[3] == ["In Ankara"]


@pytest.mark.parametrize("month", ["garbage", "2026-13", "2026", "1999-12", "2101-01", "26-01"])
def test_a_bad_month_is_a_400(client, month):
    response = client.get(f"/calendar/TR/month?month={month}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Give the month as year and month, for example 2026-09." in response.get_data(
        as_text=True
    )


def test_the_month_view_defaults_to_this_month(client):
    response = client.get("/calendar/TR/month", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert str(datetime.now(UTC).year) in response.get_data(as_text=True)


# iCalendar feeds -------------------------------------------------------------------


@pytest.fixture
def feed_world(make, istanbul, ankara):
    ids = {
        "istanbul": make.activity(
            istanbul,
            starts_at=at(9, 1, 7, 0),
            title="Istanbul open day",
            location="Kadıköy",
        ).id,
        "ankara": make.activity(
            ankara,
            starts_at=at(9, 2, 7, 0),
            title="Ankara training",
            type=ActivityType.PROFESSIONAL_DEVELOPMENT,
            pillars=("collaboration",),
            mode=Mode.ONLINE,
            online_url="https://meet.example/ankara",
        ).id,
        "cancelled": make.activity(
            istanbul,
            starts_at=at(9, 3, 7, 0),
            title="Cancelled visit",
            status=ActivityStatus.CANCELLED,
        ).id,
        "network": make.activity(
            istanbul, starts_at=at(9, 4, 7, 0), title="Members only", visibility=Visibility.NETWORK
        ).id,
        "abroad": make.activity(make.school("RO"), starts_at=at(9, 5), title="Abroad").id,
    }
    ids["istanbul_school"], ids["ankara_school"] = istanbul.id, ankara.id
    return ids


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/calendar/TR.ics", ["istanbul", "ankara", "cancelled"]),
        ("/calendar/tr.ics", ["istanbul", "ankara", "cancelled"]),
        ("/calendar/TR/TR-34.ics", ["istanbul", "cancelled"]),
        ("/calendar/TR/TR-06.ics", ["ankara"]),
        ("/calendar/TR.ics?pillar=collaboration", ["ankara"]),
        ("/calendar/TR.ics?type=open_day", ["istanbul", "cancelled"]),
        ("/calendar/TR.ics?type=professional_development&pillar=collaboration", ["ankara"]),
        ("/calendar/TR.ics?type=info_session", []),
        ("/calendar/TR/TR-34.ics?pillar=collaboration", []),
        ("school:istanbul_school", ["istanbul", "cancelled"]),
        ("school:ankara_school?type=professional_development", ["ankara"]),
    ],
)
def test_feeds_hold_the_public_activities_they_name(client, feed_world, path, expected):
    if path.startswith("school:"):
        name, _, query = path.removeprefix("school:").partition("?")
        path = f"/schools/{feed_world[name]}/calendar.ics" + (f"?{query}" if query else "")
    calendar = read_feed(client.get(path))
    assert set(events(calendar)) == {uid(feed_world[name]) for name in expected}
    assert str(calendar["VERSION"]) == "2.0"


def test_a_feed_holds_the_time_zone_and_local_times(client, feed_world):
    calendar = read_feed(client.get("/calendar/TR.ics"))

    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Istanbul"]
    event = events(calendar)[uid(feed_world["istanbul"])]
    start, end = event["DTSTART"], event["DTEND"]
    assert start.params["TZID"] == "Europe/Istanbul"
    assert end.params["TZID"] == "Europe/Istanbul"
    assert start.dt.replace(tzinfo=None) == datetime(YEAR, 9, 1, 10, 0)
    assert end.dt.replace(tzinfo=None) == datetime(YEAR, 9, 1, 12, 0)
    assert start.dt == at(9, 1, 7, 0)
    assert f"DTSTART;TZID=Europe/Istanbul:{YEAR}0901T100000" in response_text(
        client, "/calendar/TR.ics"
    )
    assert str(event["SUMMARY"]) == "Istanbul open day"
    assert str(event["LOCATION"]) == "Kadıköy"
    assert str(event["URL"]).endswith(f"/activities/{feed_world['istanbul']}")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)


def test_public_feeds_do_not_publish_online_join_links(client, feed_world):
    # The activity page shows the join link to signed-in members only; a public,
    # cacheable feed must not hand it to everyone.
    response = client.get("/calendar/TR.ics")
    online = events(read_feed(response))[uid(feed_world["ankara"])]
    assert "meet.example/ankara" not in response_text(client, "/calendar/TR.ics")
    assert "meet.example" not in str(online.get("LOCATION", ""))
    page = client.get(f"/activities/{feed_world['ankara']}").get_data(as_text=True)
    assert "meet.example/ankara" not in page


def response_text(client, path: str) -> str:
    return client.get(path).get_data(as_text=True).replace("\r\n ", "")


@pytest.mark.parametrize(
    ("country", "zone", "utc_start", "local_start"),
    [
        ("NO", "Europe/Oslo", at(7, 1, 8, 0), datetime(YEAR, 7, 1, 10, 0)),
        ("NO", "Europe/Oslo", at(1, 15, 8, 0), datetime(YEAR, 1, 15, 9, 0)),
        ("RO", "Europe/Bucharest", at(7, 1, 8, 0), datetime(YEAR, 7, 1, 11, 0)),
        ("BE", "Europe/Brussels", at(12, 1, 8, 0), datetime(YEAR, 12, 1, 9, 0)),
        ("NL", "Europe/Amsterdam", at(7, 1, 8, 0), datetime(YEAR, 7, 1, 10, 0)),
    ],
)
def test_a_school_feed_uses_the_school_zone(client, make, country, zone, utc_start, local_start):
    school = make.school(country)
    school_id = school.id
    activity_id = make.activity(school, starts_at=utc_start).id

    calendar = read_feed(client.get(f"/schools/{school_id}/calendar.ics"))

    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == zone
    assert {component.name for component in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    start = events(calendar)[uid(activity_id)]["DTSTART"]
    assert start.params["TZID"] == zone
    assert start.dt.replace(tzinfo=None) == local_start
    assert start.dt == utc_start


def test_a_feed_of_several_zones_has_a_timezone_for_each(client, make, db_session):
    # Each activity keeps the zone it was recorded in, even if the school's changes later.
    school = make.school("TR")
    make.activity(school, starts_at=at(3, 1))
    moved = make.activity(school, starts_at=at(3, 2))
    moved.timezone = "Europe/Oslo"
    db_session.commit()
    calendar = read_feed(client.get("/calendar/TR.ics"))
    assert sorted(str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")) == [
        "Europe/Istanbul",
        "Europe/Oslo",
    ]
    tzids = {event["DTSTART"].params["TZID"] for event in calendar.walk("VEVENT")}
    assert tzids == {"Europe/Istanbul", "Europe/Oslo"}


def test_cancelled_activities_stay_in_feeds_as_cancelled(client, feed_world):
    calendar = read_feed(client.get("/calendar/TR.ics"))
    found = events(calendar)
    assert str(found[uid(feed_world["cancelled"])]["STATUS"]) == "CANCELLED"
    assert str(found[uid(feed_world["istanbul"])]["STATUS"]) == "CONFIRMED"


def test_feeds_never_hold_network_only_activities(client, auth, make, feed_world):
    make.member(make.school("TR"), email="reader@example.org")
    auth.login("reader@example.org")
    for path in (
        "/calendar/TR.ics",
        "/calendar/TR/TR-34.ics",
        f"/schools/{feed_world['istanbul_school']}/calendar.ics",
    ):
        response = client.get(path)
        assert uid(feed_world["network"]) not in set(events(read_feed(response))), path
        assert "Members only" not in response.get_data(as_text=True), path


def test_uids_are_stable_and_sequence_grows_with_edits(client, auth, make, istanbul, db_session):
    school_id = istanbul.id
    make.member(istanbul, email="editor@example.org")
    activity_id = make.activity(
        istanbul, starts_at=at(10, 1, 7, 0), title="Before", location="Hall"
    ).id
    path = f"/schools/{school_id}/calendar.ics"
    before = events(read_feed(client.get(path)))[uid(activity_id)]
    assert int(before["SEQUENCE"]) == 1

    auth.login("editor@example.org")
    form = {
        "type": "open_day",
        "title": "After",
        "starts_at": f"{YEAR}-10-01T11:00",
        "ends_at": f"{YEAR}-10-01T12:00",
        "mode": "in_person",
        "location": "Hall",
        "visibility": "public",
        "pillars": ["models_for_other_schools"],
        "version": "1",
    }
    assert client.post(f"/activities/{activity_id}/edit", data=form).status_code == 302

    after = events(read_feed(client.get(path)))[uid(activity_id)]
    assert str(after["UID"]) == str(before["UID"]) == uid(activity_id)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["SUMMARY"]) == "After"
    assert after["DTSTART"].dt == at(10, 1, 8, 0)
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt

    assert client.post(f"/activities/{activity_id}/cancel").status_code == 302
    cancelled = events(read_feed(client.get(path)))[uid(activity_id)]
    assert str(cancelled["UID"]) == uid(activity_id)
    assert int(cancelled["SEQUENCE"]) > int(after["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/TR.ics?pillar=world_peace",
        "/calendar/TR.ics?type=party",
        "/calendar/TR/TR-34.ics?type=party",
        "/calendar/TR.ics?pillar=COLLABORATION",
        "/schools/{school}/calendar.ics?pillar=nope",
        "/schools/{school}/calendar.ics?type=open_day&pillar=nope",
    ],
)
def test_a_bad_feed_filter_is_a_400(client, istanbul, path):
    assert client.get(path.format(school=istanbul.id)).status_code == 400


def test_feeds_of_unknown_or_unverified_schools_are_a_404(client, make):
    pending = make.school("TR", status=SchoolStatus.PENDING)
    pending_id = pending.id
    assert client.get(f"/schools/{pending_id}/calendar.ics").status_code == 404
    assert client.get("/schools/999999/calendar.ics").status_code == 404


def test_an_empty_feed_is_still_a_calendar(client):
    calendar = read_feed(client.get("/calendar/BE.ics"))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"]) == "-//eTwinning School Network//Activities//EN"


def test_a_busy_day_shows_its_first_five_and_links_to_all_of_them(client, make):
    school = make.school("TR")
    for minute in range(7):
        make.activity(school, starts_at=at(6, 10, 8, minute), title=f"Session {minute}")

    body = client.get(f"/calendar/TR/month?month={YEAR}-06&type=open_day").get_data(as_text=True)

    assert month_cells(body)[10] == [f"Session {minute}" for minute in range(5)]
    day = f"{YEAR}-06-10"
    assert f'href="/calendar/TR?date_from={day}&amp;date_to={day}&amp;type=open_day"' in body
    assert "All activities of 10 June" in body
    assert month_cells(body)[11] == []
