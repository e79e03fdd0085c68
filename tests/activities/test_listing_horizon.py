"""Activities planned beyond the horizon (a quarter ahead) bump the country's later listing
version only: pages that show nothing so far ahead stay kept, the others show the
activity at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.activities.models import ActivityPillar
from app.activities.views import feeds
from app.geography.listing import HORIZON
from app.geography.models import Country
from tests.activities.test_feed_cache import rename_unseen

NEXT_WEEK = datetime.now(UTC) + timedelta(days=7)
FAR = datetime.now(UTC) + HORIZON + timedelta(days=30)
FAR_MONTH = f"/calendar/TR/month?month={FAR.strftime('%Y-%m')}"


def _versions(db_session, code: str = "TR") -> tuple[int, int]:
    db_session.expire_all()
    country = db_session.scalar(select(Country).where(Country.code == code))
    return country.listing_version, country.later_listing_version


def test_an_activity_planned_beyond_the_horizon_bumps_the_later_version_only(make, db_session):
    school = make.school("TR")
    before = _versions(db_session)

    make.activity(school, starts_at=FAR)

    assert _versions(db_session) == (before[0], before[1] + 1)


def test_an_activity_planned_next_week_bumps_the_first_version_only(make, db_session):
    school = make.school("TR")
    before = _versions(db_session)

    make.activity(school, starts_at=NEXT_WEEK)

    assert _versions(db_session) == (before[0] + 1, before[1])


def test_an_activity_moved_across_the_horizon_bumps_both(make, db_session):
    activity = make.activity(make.school("TR"), starts_at=FAR)
    before = _versions(db_session)

    activity = db_session.merge(activity)
    activity.starts_at, activity.ends_at = NEXT_WEEK, NEXT_WEEK + timedelta(hours=2)
    db_session.commit()

    assert _versions(db_session) == (before[0] + 1, before[1] + 1)


def test_a_far_activitys_pillars_and_its_deletion_bump_the_later_version(make, db_session):
    activity = make.activity(make.school("TR"), starts_at=FAR)
    before = _versions(db_session)

    db_session.add(ActivityPillar(activity_id=activity.id, pillar_code="collaboration"))
    db_session.commit()
    db_session.delete(db_session.merge(activity))
    db_session.commit()

    assert _versions(db_session) == (before[0], before[1] + 2)


@pytest.fixture
def full_first_page(caching_app, make, db_session):
    """Three activities next week, two to a page: the first page reaches next week only."""
    caching_app.config["PER_PAGE"] = 2
    school = make.school("TR")
    ids = [make.activity(school, starts_at=NEXT_WEEK, title=f"Near {n}").id for n in range(3)]
    client = caching_app.test_client()
    assert "Near 0" in client.get("/calendar/TR").get_data(as_text=True)
    yield client, school, ids
    caching_app.config["PER_PAGE"] = 20


def test_a_first_page_that_reaches_next_week_stays_kept_after_a_far_write(
    full_first_page, make, db_session
):
    client, school, ids = full_first_page
    rename_unseen(db_session, ids[0], "Renamed near")

    make.activity(school, starts_at=FAR, title="Next summer")

    page = client.get("/calendar/TR").get_data(as_text=True)
    assert "Near 0" in page
    assert "Renamed near" not in page


def test_the_last_page_shows_a_far_activity_at_once(full_first_page, make, db_session):
    client, school, _ids = full_first_page
    cursor_page = client.get("/calendar/TR").get_data(as_text=True)
    after = cursor_page.split("after=")[1].split('"')[0].split("&")[0]
    assert "Next summer" not in client.get(f"/calendar/TR?after={after}").get_data(as_text=True)

    make.activity(school, starts_at=FAR, title="Next summer")

    assert "Next summer" in client.get(f"/calendar/TR?after={after}").get_data(as_text=True)


def test_the_apis_first_page_is_kept_and_its_last_page_is_not(full_first_page, make, db_session):
    client, school, ids = full_first_page
    first = client.get("/api/v1/events?country=TR&limit=2").json
    following = first["next"].removeprefix("http://localhost")
    assert client.get(following).json["next"] is None
    rename_unseen(db_session, ids[0], "Renamed near")

    make.activity(school, starts_at=FAR, title="Next summer")

    kept = client.get("/api/v1/events?country=TR&limit=2").json
    assert [item["title"] for item in kept["items"]] == [i["title"] for i in first["items"]]
    assert "Next summer" in [item["title"] for item in client.get(following).json["items"]]


def test_this_months_view_is_kept_and_the_far_months_view_is_not(caching_app, make, db_session):
    school = make.school("TR")
    near_id = make.activity(school, starts_at=NEXT_WEEK, title="Near open day").id
    client = caching_app.test_client()
    this_month = f"/calendar/TR/month?month={NEXT_WEEK.strftime('%Y-%m')}"
    assert "Near open day" in client.get(this_month).get_data(as_text=True)
    assert "Next summer" not in client.get(FAR_MONTH).get_data(as_text=True)
    rename_unseen(db_session, near_id, "Renamed near")

    make.activity(school, starts_at=FAR, title="Next summer")

    assert "Near open day" in client.get(this_month).get_data(as_text=True)
    assert "Next summer" in client.get(FAR_MONTH).get_data(as_text=True)


def test_a_full_feed_is_kept_and_a_feed_with_room_shows_a_far_activity(
    caching_app, make, db_session, monkeypatch
):
    school = make.school("TR")
    near = [make.activity(school, starts_at=NEXT_WEEK, title=f"Near {n}").id for n in range(2)]
    client = caching_app.test_client()
    monkeypatch.setattr(feeds, "FEED_LIMIT", 2)
    full = client.get("/calendar/TR.ics").get_data(as_text=True)
    monkeypatch.setattr(feeds, "FEED_LIMIT", 500)
    roomy = client.get(f"/schools/{school.id}/calendar.ics").get_data(as_text=True)
    assert "Near 0" in full
    assert "Near 0" in roomy
    rename_unseen(db_session, near[0], "Renamed near")

    make.activity(school, starts_at=FAR, title="Next summer")

    monkeypatch.setattr(feeds, "FEED_LIMIT", 2)
    assert "Near 0" in client.get("/calendar/TR.ics").get_data(as_text=True)
    monkeypatch.setattr(feeds, "FEED_LIMIT", 500)
    assert "Next summer" in client.get(f"/schools/{school.id}/calendar.ics").get_data(as_text=True)
