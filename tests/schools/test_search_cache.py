"""One country's school search is kept rendered under its listing version: served again
while its schools stand, new at once after a school, its languages or its ambassador
periods change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.schools.enums import AmbassadorStatus
from app.schools.models import AmbassadorPeriod

SEARCH = "/schools?q=kadikoy&country=TR"


@pytest.fixture
def caching_client(caching_app):
    return caching_app.test_client()


@pytest.fixture
def school(make):
    return make.school("TR", name="Kadıköy Anadolu Lisesi")


def _rename_unseen(db_session, school_id: int, name: str) -> None:
    """Rename in SQL, past the application (no version moves)."""
    db_session.connection().execute(
        text("UPDATE school SET name = :name WHERE id = :id"), {"name": name, "id": school_id}
    )
    db_session.commit()


def test_a_search_made_again_is_served_from_the_cache(caching_client, school, db_session):
    first = caching_client.get(SEARCH).get_data(as_text=True)
    _rename_unseen(db_session, school.id, "Kadıköy Fen Lisesi")

    again = caching_client.get(SEARCH).get_data(as_text=True)

    assert "Kadıköy Anadolu Lisesi" in first
    assert "Kadıköy Anadolu Lisesi" in again


def test_a_search_of_every_country_is_not_kept(caching_client, school, db_session):
    caching_client.get("/schools?q=kadikoy")
    _rename_unseen(db_session, school.id, "Kadıköy Fen Lisesi")

    assert "Kadıköy Fen Lisesi" in caching_client.get("/schools?q=kadikoy").get_data(as_text=True)


def test_a_school_renamed_shows_at_once(caching_client, school, db_session):
    caching_client.get(SEARCH)
    school = db_session.merge(school)
    school.name = "Kadıköy Fen Lisesi"
    db_session.commit()

    assert "Kadıköy Fen Lisesi" in caching_client.get(SEARCH).get_data(as_text=True)


def test_a_new_ambassador_shows_at_once(caching_client, school, db_session):
    before = caching_client.get(SEARCH).get_data(as_text=True)
    db_session.add(
        AmbassadorPeriod(
            school_id=school.id,
            status=AmbassadorStatus.APPROVED,
            starts_on=date.today() - timedelta(days=1),
            ends_on=date.today() + timedelta(days=300),
        )
    )
    db_session.commit()

    after = caching_client.get(SEARCH).get_data(as_text=True)

    assert "ambassador-badge" not in before
    assert "ambassador-badge" in after
