"""Rendered iCalendar feeds are cached per address, filters, language and listing version."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import text, update

from app.activities.models import Activity
from app.core.extensions import cache


@pytest.fixture
def read_then_renamed(caching_app, make, db_session):
    """A school's feed read once, then its activity renamed: (client, school, first answer)."""
    school = make.school(country="NO")
    activity_id = make.activity(school, title="Kept open day").id
    client = caching_app.test_client()
    before = client.get(f"/schools/{school.id}/calendar.ics")
    rename_unseen(db_session, activity_id, "Renamed open day")
    return client, school, before


def rename_unseen(db_session, activity_id: int, title: str) -> None:
    """Rename in SQL, past the application (its listing version stays): an answer that
    still shows the old title came from the cache."""
    db_session.connection().execute(
        text("UPDATE activity SET title = :title WHERE id = :id"),
        {"title": title, "id": activity_id},
    )
    db_session.commit()


def _rename(db_session, activity_id: int, title: str) -> None:
    db_session.execute(update(Activity).where(Activity.id == activity_id).values(title=title))
    db_session.commit()


def test_a_feed_is_served_from_the_cache_while_its_listings_stand(read_then_renamed):
    client, school, before = read_then_renamed
    again = client.get(f"/schools/{school.id}/calendar.ics")
    filtered = client.get(f"/schools/{school.id}/calendar.ics?type=open_day")
    in_turkish = client.get(f"/schools/{school.id}/calendar.ics?lang=tr")

    assert b"Kept open day" in before.data
    assert again.data == before.data  # the cached rendering
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert b"Renamed open day" in filtered.data  # other filters: another entry
    assert b"Renamed open day" in in_turkish.data  # another language: another entry


def test_a_change_made_through_the_application_shows_in_the_next_answer(
    caching_app, make, db_session
):
    school = make.school(country="NO")
    activity_id = make.activity(school, title="Kept open day").id
    client = caching_app.test_client()
    before = client.get(f"/schools/{school.id}/calendar.ics")
    _rename(db_session, activity_id, "Renamed open day")

    after = client.get(f"/schools/{school.id}/calendar.ics")

    assert b"Kept open day" in before.data
    assert b"Renamed open day" in after.data


def test_parameters_a_feed_does_not_read_are_served_from_its_cache(read_then_renamed):
    client, school, before = read_then_renamed
    for query in ("?utm_source=newsletter", "?nonce=12345", "?region=NO-03", "?type="):
        again = client.get(f"/schools/{school.id}/calendar.ics{query}")
        assert again.data == before.data, query  # the same entry, not a new rendering
    assert b"Renamed open day" in client.get(f"/calendar/NO.ics?region={school.region_code}").data


def test_the_last_modified_date_is_kept_while_the_content_stays_the_same(
    caching_app, make, db_session
):
    school = make.school(country="RO")
    activity_id = make.activity(school, title="Kept open day").id
    db_session.commit()
    client = caching_app.test_client()
    path = f"/schools/{school.id}/calendar.ics"
    first = client.get(path)
    modified = first.headers["Last-Modified"]

    not_modified = client.get(path, headers={"If-Modified-Since": modified})
    _forget_rendered_feeds()
    rendered_again = client.get(path, headers={"If-Modified-Since": modified})
    _rename(db_session, activity_id, "Renamed open day")
    _forget_rendered_feeds()
    changed = client.get(path, headers={"If-Modified-Since": modified})

    assert (not_modified.status_code, not_modified.data) == (304, b"")
    assert (rendered_again.status_code, rendered_again.data) == (304, b"")
    assert changed.status_code == 200
    assert b"Renamed open day" in changed.data
    assert parsedate_to_datetime(changed.headers["Last-Modified"]) > parsedate_to_datetime(modified)


def _forget_rendered_feeds() -> None:
    """As if the rendered feeds had expired; what the cache remembers of them stays."""
    store = cache.cache._cache
    for key in [key for key in store if "feed:" in key and not key.endswith("#seen")]:
        del store[key]
