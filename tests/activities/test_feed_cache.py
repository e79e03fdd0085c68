"""Rendered iCalendar feeds are cached per address, filters and language, for a while."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.activities.models import Activity
from app.core.extensions import cache


@pytest.fixture
def caching_app(app):
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    yield app
    cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})


def test_a_feed_is_served_from_the_cache_until_it_expires(caching_app, make, db_session):
    school = make.school(country="TR")
    first_id = make.activity(school, title="Kept open day").id
    db_session.commit()
    client = caching_app.test_client()
    before = client.get(f"/schools/{school.id}/calendar.ics")

    db_session.execute(
        update(Activity).where(Activity.id == first_id).values(title="Renamed open day")
    )
    db_session.commit()
    again = client.get(f"/schools/{school.id}/calendar.ics")
    filtered = client.get(f"/schools/{school.id}/calendar.ics?type=open_day")
    in_turkish = client.get(f"/schools/{school.id}/calendar.ics?lang=tr")

    assert b"Kept open day" in before.data
    assert again.data == before.data  # the cached rendering
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert b"Renamed open day" in filtered.data  # other filters: another entry
    assert b"Renamed open day" in in_turkish.data  # another language: another entry
