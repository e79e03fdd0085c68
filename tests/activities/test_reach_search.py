"""Schools reached, chosen by search: ids sent with the report, checked like the API's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.activities.test_activities import fresh, member, school, signed_in  # noqa: F401 - fixtures


@pytest.fixture
def started(make, school):  # noqa: F811 - the fixture above
    return make.activity(school, starts_at=datetime.now(UTC) - timedelta(hours=1)).id


def test_chosen_schools_are_linked_with_the_typed_names(signed_in, make, started, db_session):  # noqa: F811
    first = make.school("TR", name="Kadıköy Anadolu Lisesi", city="İstanbul").id
    second = make.school("TR", name="Bursa Fen Lisesi", city="Bursa").id

    response = signed_in.post(
        f"/activities/{started}/report",
        data={"reached_ids": f"{second},{first},{first}", "reached": "Yeni Okul"},
    )

    assert response.status_code == 302
    reached = fresh(db_session, started).reached
    assert sorted(row.school_id for row in reached if row.school_id) == sorted([first, second])
    assert [row.school_name for row in reached if row.school_name] == ["Yeni Okul"]
    form = signed_in.get(f"/activities/{started}/report").get_data(as_text=True)
    assert f'data-id="{first}"' in form
    assert f'data-id="{second}"' in form


@pytest.mark.parametrize("kind", ["abroad", "pending", "itself", "garbage"])
def test_a_school_that_cannot_be_reached_is_refused(signed_in, make, started, school, kind):  # noqa: F811
    ids = {
        "abroad": lambda: str(make.school("RO", name="Liceul Nr. 1").id),
        "pending": lambda: str(make.school("TR", name="Yeni Lise", status="pending").id),
        "itself": lambda: str(school.id),
        "garbage": lambda: "1,x",
    }[kind]()

    response = signed_in.post(f"/activities/{started}/report", data={"reached_ids": ids})

    assert response.status_code == 422
    assert "Choose the schools from the list." in response.get_data(as_text=True)
