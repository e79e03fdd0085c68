"""The iCalendar feeds as HTTP resources and as calendars: conditional requests, the
events a capped feed keeps, what a feed says of itself, its filters, and the Subscribe
disclosure of the pages that offer it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import update

from app.activities import ical
from app.activities.enums import ActivityType
from app.activities.models import Activity, ActivityLanguage
from app.activities.views import feeds
from app.geography.models import Region

YEAR = datetime.now(UTC).year + 1


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(YEAR, month, day, hour, tzinfo=UTC)


def uids(response) -> list[str]:
    """The activity ids of a feed, in its order."""
    assert response.status_code == 200, response.get_data(as_text=True)
    calendar = Calendar.from_ical(response.data)
    return [
        str(event["UID"]).removeprefix("activity-").split("@")[0]
        for event in calendar.walk("VEVENT")
    ]


def unfolded(response) -> str:
    return response.get_data(as_text=True).replace("\r\n ", "")


def in_region(db_session, make, code: str, **fields):
    return make.school(code[:2], region=db_session.get(Region, code), **fields)


# Conditional requests ------------------------------------------------------------------


def test_a_second_request_with_the_etag_gets_a_304_without_a_body(client, make, db_session):
    school = make.school("NO")
    make.activity(school, starts_at=at(7, 1), title="Summer school")
    path = f"/schools/{school.id}/calendar.ics"
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "Last-Modified" in first.headers

    again = client.get(path, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in again.headers["Vary"]
    assert "Content-Type" not in again.headers


def test_a_changed_feed_answers_the_old_etag_with_its_new_content(client, make, db_session):
    school = make.school("NO")
    activity_id = make.activity(school, starts_at=at(7, 1), title="Summer school").id
    path = f"/schools/{school.id}/calendar.ics"
    etag = client.get(path).headers["ETag"]

    db_session.execute(
        update(Activity).where(Activity.id == activity_id).values(title="Summer school in August")
    )
    db_session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Summer school in August" in unfolded(changed)


def test_the_etag_differs_between_languages_and_the_answer_varies_on_them(client, make):
    school = make.school("NO")
    make.activity(school, starts_at=at(7, 1))
    english = client.get("/calendar/NO.ics", headers={"Accept-Language": "en"})
    norwegian = client.get("/calendar/NO.ics", headers={"Accept-Language": "nb-NO"})

    assert "X-WR-CALNAME:eTwinning · Norway" in unfolded(english)
    assert "X-WR-CALNAME:eTwinning · Norge" in unfolded(norwegian)
    assert english.headers["ETag"] != norwegian.headers["ETag"]
    for response in (english, norwegian):
        assert "Accept-Language" in response.headers["Vary"]
    stale = client.get(
        "/calendar/NO.ics",
        headers={"Accept-Language": "nb-NO", "If-None-Match": english.headers["ETag"]},
    )
    assert stale.status_code == 200


# The events a capped feed keeps -----------------------------------------------------------


@pytest.fixture
def crowded(make):
    """Ten past and ten upcoming activities of a school, created out of time order."""
    school = make.school("RO")
    now = datetime.now(UTC).replace(microsecond=0)
    offsets = [-40, 30, -1, 2, 90, -10, 400, 5, -3, 60, -200, 1, -20, 10, -5, 20, -2, 200, -7, 3]
    made = {
        days: make.activity(school, starts_at=now + timedelta(days=days), title=f"Day {days}").id
        for days in offsets
    }
    return school.id, made


def test_a_capped_feed_keeps_the_nearest_upcoming_and_the_latest_past(client, crowded, monkeypatch):
    school_id, made = crowded
    monkeypatch.setattr(feeds, "FEED_LIMIT", 10)

    kept = uids(client.get(f"/schools/{school_id}/calendar.ics"))

    # Two places (a fifth) for the most recent past, eight for the next ones, in time order.
    assert kept == [str(made[days]) for days in (-2, -1, 1, 2, 3, 5, 10, 20, 30, 60)]


def test_the_past_fills_the_places_the_upcoming_leave(client, make, monkeypatch):
    school = make.school("RO")
    now = datetime.now(UTC)
    past = [make.activity(school, starts_at=now - timedelta(days=d)).id for d in range(1, 9)]
    upcoming = [make.activity(school, starts_at=now + timedelta(days=d)).id for d in (1, 2)]
    monkeypatch.setattr(feeds, "FEED_LIMIT", 5)

    kept = uids(client.get(f"/schools/{school.id}/calendar.ics"))

    assert kept == [str(i) for i in [*reversed(past[:3]), *upcoming]]


# What a feed says of itself ----------------------------------------------------------------


def test_a_feed_names_its_organiser_and_how_often_to_refresh(client, make):
    school = make.school(
        "RO",
        name='Colegiul Național "Mihai Eminescu"',
        contact_email="secretariat@eminescu.example",
    )
    make.activity(school, starts_at=at(5, 4))
    text = unfolded(client.get("/calendar/RO.ics"))

    assert (
        'ORGANIZER;CN="Colegiul Național “Mihai Eminescu”":'
        "mailto:no-reply@etwinning-network.example"
    ) in text
    assert "eminescu.example" not in text  # the school's contact is for members only
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    event = Calendar.from_ical(text.encode()).walk("VEVENT")[0]
    assert event["ORGANIZER"].params["CN"] == "Colegiul Național “Mihai Eminescu”"


def test_a_feed_writes_no_rdate_lists(client, make):
    school = make.school("NO")
    for month in (1, 4, 7, 11):
        make.activity(school, starts_at=at(month, 10))
    text = unfolded(client.get(f"/schools/{school.id}/calendar.ics"))

    assert "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text


# Filters ----------------------------------------------------------------------------------


@pytest.fixture
def oslo_and_bergen(make, db_session):
    oslo = in_region(db_session, make, "NO-03")
    bergen = in_region(db_session, make, "NO-46")
    return {
        "oslo_open_day": make.activity(oslo, starts_at=at(3, 1)).id,
        "oslo_training": make.activity(
            oslo,
            starts_at=at(3, 2),
            type=ActivityType.PROFESSIONAL_DEVELOPMENT,
            pillars=("collaboration",),
            languages=[ActivityLanguage(language="en")],
        ).id,
        "bergen_open_day": make.activity(bergen, starts_at=at(3, 3)).id,
    }


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/calendar/NO.ics?region=NO-03", ["oslo_open_day", "oslo_training"]),
        ("/calendar/NO.ics?region=NO-03&type=open_day", ["oslo_open_day"]),
        ("/calendar/NO.ics?language=en", ["oslo_training"]),
        ("/calendar/NO/NO-03.ics?pillar=collaboration", ["oslo_training"]),
        ("/calendar/NO/NO-46.ics?region=NO-03", ["bergen_open_day"]),  # not its filter
        (
            "/calendar/NO.ics?utm_source=mail&x=1",
            ["oslo_open_day", "oslo_training", "bergen_open_day"],
        ),
    ],
)
def test_feeds_apply_the_calendar_filters(client, oslo_and_bergen, path, expected):
    assert uids(client.get(path)) == [str(oslo_and_bergen[name]) for name in expected]


@pytest.mark.parametrize(
    "query",
    ["region=RO-CJ", "region=NO", "type=party", "pillar=joy", "language=xx"],
)
def test_a_feed_refuses_filters_the_calendar_refuses(client, make, query):
    response = client.get(f"/calendar/NO.ics?{query}", headers={"Accept-Language": "nb"})
    assert response.status_code == 400
    assert "Disse filtrene kan ikke brukes:" in response.get_data(as_text=True)


def test_a_filtered_feed_says_so_in_its_name(client, oslo_and_bergen):
    text = unfolded(client.get("/calendar/NO.ics?region=NO-03&type=open_day&lang=en"))
    assert "X-WR-CALNAME:eTwinning · Norway · Oslo · Open day\r\n" in text


# The Subscribe disclosure -------------------------------------------------------------------


def subscription(body: str) -> tuple[str, str]:
    """The webcal: link and the address to copy of a page's Subscribe disclosure."""
    disclosure = re.search(r'<details class="subscribe.*?</details>', body, re.S)
    assert disclosure, "no Subscribe disclosure"
    found = disclosure.group(0)
    link = re.search(r'href="(webcal://[^"]+)"', found).group(1)
    field = re.search(r'<input[^>]*id="([^"]+)"[^>]*value="([^"]+)"[^>]*readonly', found)
    assert f'<label class="form-label" for="{field.group(1)}">' in found
    assert "<summary" in found
    return html.unescape(link), html.unescape(field.group(2))


def test_the_calendar_subscription_keeps_its_filters_but_not_its_dates(client, oslo_and_bergen):
    page = client.get(
        "/calendar/NO?region=NO-03&type=professional_development&pillar=collaboration"
        "&date_from=2020-01-01"
    ).get_data(as_text=True)

    link, address = subscription(page)

    assert address == (
        "http://localhost/calendar/NO/NO-03.ics?type=professional_development&pillar=collaboration"
    )
    assert link == "webcal://" + address.removeprefix("http://")
    assert "The subscription keeps the filters chosen on this page." in page
    assert uids(client.get(address)) == [str(oslo_and_bergen["oslo_training"])]


def test_the_unfiltered_calendar_subscribes_to_the_country(client):
    page = client.get("/calendar/NO").get_data(as_text=True)
    assert subscription(page)[1] == "http://localhost/calendar/NO.ics"
    assert "The subscription keeps the filters" not in page


def test_the_region_page_links_the_region_feed(client, db_session):
    page = client.get("/directory/NO/NO-03").get_data(as_text=True)
    assert subscription(page)[1] == "http://localhost/calendar/NO/NO-03.ics"


def test_the_school_pages_link_the_school_feed(client, make):
    school = make.school("NO")
    for path in (f"/schools/{school.id}", f"/schools/{school.id}/activities"):
        page = client.get(path).get_data(as_text=True)
        assert subscription(page)[1] == f"http://localhost/schools/{school.id}/calendar.ics"


def test_a_feed_written_from_remembered_events_equals_one_written_afresh(client, make):
    school = make.school("RO")
    for month in (3, 7, 11):  # both sides of the clock changes
        make.activity(school, starts_at=at(month, 2))
    client.get(f"/schools/{school.id}/calendar.ics?lang=ro")  # writes and keeps the events
    remembered = client.get(f"/schools/{school.id}/calendar.ics?lang=nl").data
    ical._EVENT_TEXTS._texts.clear()

    afresh = client.get(f"/schools/{school.id}/calendar.ics").data

    assert remembered.split(b"BEGIN:VEVENT", 1)[1] == afresh.split(b"BEGIN:VEVENT", 1)[1]


def test_the_remembered_events_are_bounded():
    texts = ical._EventTexts(2)
    for key in ("a", "b", "a", "c"):  # "a" used again: "b" is the least recently used
        texts.get((key,), lambda key=key: key.encode())

    assert list(texts._texts) == [("a",), ("c",)]
