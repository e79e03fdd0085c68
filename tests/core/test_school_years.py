"""School years start on a day of each country: 1 September in most, 15 August in Norway.

Core computes with the start it is given; ``flask regions load`` (and the migration) set
Norway's; dashboards' school years, label validity, mentor eligibility, ambassador periods
and the import's latest label year follow the school's country.
"""

from __future__ import annotations

from datetime import date

import pytest

from app import policy
from app.accounts.operations import issue_token
from app.core.school_years import (
    LabelState,
    label_state,
    parse_start,
    school_year_bounds,
    school_year_of,
    valid_label_years,
)
from app.geography.models import Country
from app.mentoring import pool
from app.schools.operations import apply_for_ambassador
from tests.api.helpers import body, call
from tests.schools.test_school_import import csv_bytes, run
from tests.support.mentoring import add_mentor

NORWAY = (8, 15)


@pytest.mark.parametrize(
    ("day", "september", "norway"),
    [
        (date(2026, 8, 14), 2025, 2025),
        (date(2026, 8, 15), 2025, 2026),  # Norway's new school year, the others' summer
        (date(2026, 8, 31), 2025, 2026),
        (date(2026, 9, 1), 2026, 2026),
        (date(2027, 1, 10), 2026, 2026),
    ],
)
def test_the_school_year_of_a_day_depends_on_where_it_starts(day, september, norway):
    assert school_year_of(day) == september
    assert school_year_of(day, NORWAY) == norway


def test_bounds_and_label_validity_follow_the_start():
    assert school_year_bounds(2026) == (date(2026, 9, 1), date(2027, 8, 31))
    assert school_year_bounds(2026, NORWAY) == (date(2026, 8, 15), date(2027, 8, 14))
    day = date(2026, 8, 20)  # a label of 2024–25 runs out on 14 August 2026 in Norway
    assert label_state(2024, day) is LabelState.EXPIRING
    assert label_state(2024, day, NORWAY) is LabelState.EXPIRED
    assert valid_label_years(day) == (2024, 2025)
    assert valid_label_years(day, NORWAY) == (2025, 2026)


@pytest.mark.parametrize("value", ["02-29", "13-01", "9-1x", ""])
def test_a_start_is_a_day_of_every_year(value):
    with pytest.raises(ValueError):  # noqa: PT011 - any malformed value
        parse_start(value)


def test_loading_the_regions_sets_each_countrys_start(app_ctx, db_session):
    assert db_session.get(Country, "NO").school_year_start == "08-15"
    assert db_session.get(Country, "NO").year_start == NORWAY
    assert {db_session.get(Country, c).school_year_start for c in ("TR", "RO", "NL", "BE")} == {
        "09-01"
    }


def test_a_norwegian_dashboard_year_starts_in_august(app, client, make, db_session):
    coordinator = make.user(role="coordinator", countries=("NO", "TR"))
    token = issue_token(coordinator)
    db_session.commit()

    norway = body(call(client, "GET", "dashboards/NO?year=2025", token=token))
    turkey = body(call(client, "GET", "dashboards/TR?year=2025", token=token))

    assert (norway["from"], norway["to"]) == ("2025-08-15", "2026-08-14")
    assert (turkey["from"], turkey["to"]) == ("2025-09-01", "2026-08-31")


def test_mentors_and_ambassadors_follow_their_countrys_school_year(app_ctx, make, db_session):
    day = date(2026, 8, 20)  # Norway is in 2026–27 already, Türkiye still in 2025–26
    mentors = {
        (country, year): add_mentor(make, db_session, make.school(country, label_year=year))
        for country in ("NO", "TR")
        for year in (2024, 2026)
    }
    eligible = {
        key for key, mentor in mentors.items()
        if policy.can_offer_mentoring(mentor.user, mentor.school, day)
    }  # fmt: skip
    assert eligible == {("NO", 2026), ("TR", 2024)}
    matched = {
        (mentor.country_code, mentor.school.label_year)
        for country in ("NO", "TR")
        for mentor in (m for m, _held in pool.free_mentors(country, day))
    }
    assert matched == eligible

    oslo = mentors[("NO", 2026)].school
    admin = make.member(oslo)
    period = apply_for_ambassador(oslo, admin, "We open our doors.", 2026, 1)
    assert (period.starts_on, period.ends_on) == (date(2026, 8, 15), date(2027, 8, 14))


def test_the_import_accepts_the_label_of_the_countrys_current_school_year(app_ctx, db_session):
    header = "external_id;name;country;region;label_year"
    rows = ("NO-1;Oslo skole;NO;NO-03;2026", "TR-1;Okul;TR;TR-34;2026")
    report = run(csv_bytes(*rows, header=header), today=date(2026, 8, 20))
    assert [(error.line, error.column) for error in report.errors] == [(3, "label_year")]
    assert "2025" in str(report.errors[0].message)  # Türkiye's latest label year
