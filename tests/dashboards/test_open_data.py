"""Open data: regional statistics per school year, small counts suppressed, totals that add up."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

import pytest

from app.activities.enums import ActivityStatus, ActivityType
from app.core.school_years import school_year_bounds, school_year_label, school_year_of
from app.geography.models import Region

ANKARA, IZMIR = "TR-06", "TR-35"


@pytest.fixture
def last_year(db_session, make) -> str:
    """Last school year: Ankara held 3 open days and 6 information sessions, İzmir 7 open
    days; this school year, one open day in İzmir."""
    current = school_year_of(datetime.now(UTC).date())
    start = school_year_bounds(current - 1)[0] + timedelta(days=10)
    for code, kind, count, day in (
        (ANKARA, ActivityType.OPEN_DAY, 3, start),
        (ANKARA, ActivityType.INFO_SESSION, 6, start),
        (IZMIR, ActivityType.OPEN_DAY, 7, start),
        (IZMIR, ActivityType.OPEN_DAY, 1, school_year_bounds(current)[0]),
    ):
        school = make.school("TR", region=db_session.get(Region, code))
        for _ in range(count):
            make.activity(
                school,
                type=kind,
                starts_at=datetime.combine(day, time(9), tzinfo=UTC),
                status=ActivityStatus.HELD,
            )
    return school_year_label(current - 1)


def _rows(client) -> list[dict]:
    response = client.get("/open-data/TR.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _cell(rows, year, region, dimension, category) -> dict:
    (row,) = [
        r
        for r in rows
        if (r["school_year"], r["region"], r["dimension"], r["category"])
        == (year, region, dimension, category)
    ]
    return row


def test_a_region_with_three_activities_of_a_kind_has_that_cell_suppressed(client, last_year):
    rows = _rows(client)
    three = _cell(rows, last_year, ANKARA, "type", "open_day")
    assert (three["activities"], three["suppressed"]) == ("", "true")
    six = _cell(rows, last_year, ANKARA, "type", "info_session")
    assert (six["activities"], six["suppressed"]) == ("6", "false")
    total = _cell(rows, last_year, ANKARA, "total", "activities")
    assert (total["activities"], total["complete"]) == ("6", "false")
    izmir = _cell(rows, last_year, IZMIR, "type", "open_day")
    assert izmir["activities"] == "7"
    assert _cell(rows, last_year, IZMIR, "total", "activities")["complete"] == "true"
    assert {row["licence"] for row in rows} == {
        "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/"
    }


def test_every_total_adds_up_from_the_published_counts(client, last_year):
    rows = _rows(client)
    published = defaultdict(int)
    for row in rows:
        if row["region"] and row["dimension"] in ("type", "pillar"):
            value = int(row["activities"] or 0)
            published[(row["school_year"], row["dimension"], row["category"])] += value
            if row["dimension"] == "type":
                published[(row["school_year"], row["region"], "total")] += value
    for row in rows:
        if row["dimension"] == "total" and row["region"]:
            key = (row["school_year"], row["region"], "total")
            assert int(row["activities"]) == published[key], row
        elif not row["region"] and row["dimension"] != "total":
            key = (row["school_year"], row["dimension"], row["category"])
            assert int(row["activities"]) == published[key], row
    country = _cell(rows, last_year, "", "type", "open_day")
    assert (country["activities"], country["complete"]) == ("7", "false")
    whole = _cell(rows, last_year, "", "total", "activities")
    assert int(whole["activities"]) == 13


def test_the_current_school_year_is_provisional(client, last_year):
    rows = _rows(client)
    years = {row["school_year"]: row["provisional"] for row in rows}
    assert years[last_year] == "false"
    assert list(years.values())[-1] == "true"
    assert len(years) == 3


def test_the_json_and_the_page_state_the_licence_and_mark_suppressed_cells(client, last_year):
    answer = client.get("/api/v1/open-data/TR.json").get_json()
    assert answer["licence"] == "CC BY 4.0"
    assert answer["csv"].endswith("/open-data/TR.csv")
    (cell,) = [
        c
        for c in answer["cells"]
        if (c["school_year"], c["region"], c["category"]) == (last_year, ANKARA, "open_day")
    ]
    assert (cell["activities"], cell["suppressed"]) == (None, True)
    page = client.get("/open-data/TR").get_data(as_text=True)
    assert 'rel="license"' in page
    assert "CC BY 4.0" in page
    assert "&lt;5" in page
    assert "/open-data/TR" in client.get("/directory/TR").get_data(as_text=True)


def test_an_unknown_country_has_no_open_data(client):
    assert client.get("/open-data/XX").status_code == 404
    assert client.get("/open-data/XX.csv").status_code == 404
    assert client.get("/api/v1/open-data/XX.json").status_code == 404
