"""The calendar's list and month view are kept rendered under their country's listing
version: served again while nothing they show changed, new at once after any write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.activities.enums import Visibility
from app.geography.models import Country
from tests.activities.test_feed_cache import rename_unseen
from tests.principals import sign_in

NEXT_WEEK = datetime.now(UTC) + timedelta(days=7)
MONTH = NEXT_WEEK.strftime("%Y-%m")
PAGES = ("/calendar/TR", f"/calendar/TR/month?month={MONTH}")


def _versions(db_session, code: str) -> tuple[int, int]:
    db_session.expire_all()
    country = db_session.scalar(select(Country).where(Country.code == code))
    return country.listing_version, country.data_version


@pytest.fixture
def shown(caching_app, make, db_session):
    """An İstanbul school's activity next week, its calendar pages seen once."""
    school = make.school("TR")
    activity = make.activity(school, starts_at=NEXT_WEEK, title="First open day")
    client = caching_app.test_client()
    for page in PAGES:
        assert "First open day" in client.get(page).get_data(as_text=True)
    return client, school, activity.id


@pytest.mark.parametrize("page", PAGES)
def test_a_page_seen_again_is_served_from_the_cache(shown, db_session, page):
    client, _school, activity_id = shown
    rename_unseen(db_session, activity_id, "Renamed open day")

    again = client.get(page).get_data(as_text=True)

    assert "First open day" in again
    assert "Renamed open day" not in again


@pytest.mark.parametrize("page", PAGES)
def test_an_activity_planned_a_moment_ago_shows_at_once(shown, make, db_session, page):
    client, school, _activity_id = shown
    before = _versions(db_session, "TR")

    make.activity(school, starts_at=NEXT_WEEK + timedelta(hours=1), title="Second open day")

    assert "Second open day" in client.get(page).get_data(as_text=True)
    listing, data = _versions(db_session, "TR")
    assert listing == before[0] + 1
    assert data == before[1]  # a planned activity changes no dashboard figure


def test_a_school_renamed_shows_at_once(shown, db_session):
    client, school, _activity_id = shown
    school = db_session.merge(school)
    school.name = "Kadıköy Anadolu Lisesi"
    db_session.commit()

    assert "Kadıköy Anadolu Lisesi" in client.get("/calendar/TR").get_data(as_text=True)


def test_a_write_in_another_country_keeps_this_countrys_pages(shown, make, db_session):
    client, _school, activity_id = shown
    turkish = _versions(db_session, "TR")[0]

    make.activity(make.school("RO"), starts_at=NEXT_WEEK, title="Zi deschisă")
    rename_unseen(db_session, activity_id, "Renamed open day")

    assert _versions(db_session, "TR")[0] == turkish
    assert _versions(db_session, "RO")[0] > 0
    assert "First open day" in client.get("/calendar/TR").get_data(as_text=True)


def test_each_language_and_reader_has_its_own_page(caching_app, make, db_session):
    school = make.school("TR")
    make.activity(school, starts_at=NEXT_WEEK, title="Open to all")
    make.activity(school, starts_at=NEXT_WEEK, title="Network only", visibility=Visibility.NETWORK)
    member_id = make.user(school_id=school.id).id
    client = caching_app.test_client()

    anonymous = client.get("/calendar/TR").get_data(as_text=True)
    dutch = client.get("/calendar/TR?lang=nl").get_data(as_text=True)
    sign_in(client, db_session, member_id)
    network = client.get("/calendar/TR").get_data(as_text=True)

    assert "Network only" not in anonymous
    assert "Network only" in network
    assert "Open day" in anonymous
    assert "Open dag" in dutch


def test_the_apis_list_of_a_country_is_kept_and_shows_a_new_activity_at_once(
    shown, make, db_session
):
    client, school, activity_id = shown
    address = "/api/v1/events?country=TR"
    first = client.get(address).json["items"]
    rename_unseen(db_session, activity_id, "Renamed open day")
    kept = client.get(address).json["items"]

    make.activity(school, starts_at=NEXT_WEEK, title="Second open day")
    after = client.get(address).json["items"]

    assert [item["title"] for item in kept] == [item["title"] for item in first]
    assert "Second open day" in [item["title"] for item in after]
    assert "Renamed open day" in [item["title"] for item in after]
