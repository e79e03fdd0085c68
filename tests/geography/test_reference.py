"""Regions come from pycountry, idempotently, parents before children."""

import pytest
from sqlalchemy import func, select

from app.geography.models import Country, Region
from app.geography.regions import UnknownCountry, country_timezones, load_regions


def test_demo_countries_have_their_subdivisions(app_ctx, db_session):
    query = select(Region.country_code, func.count()).group_by(Region.country_code)
    counts = dict(db_session.execute(query).tuples().all())
    assert counts["TR"] == 81
    assert counts["RO"] == 42
    assert db_session.get(Region, "TR-34").name == "İstanbul"
    assert db_session.get(Region, "NL-UT").country_code == "NL"


def test_belgian_provinces_sit_under_their_regions(app_ctx, db_session):
    antwerp = db_session.get(Region, "BE-VAN")
    assert antwerp.parent_code == "BE-VLG"
    assert antwerp.is_leaf
    assert not db_session.get(Region, "BE-VLG").is_leaf
    assert db_session.get(Region, "BE-BRU").is_leaf  # Brussels has no provinces


def test_loading_again_changes_nothing(app_ctx, db_session):
    before = db_session.scalar(select(func.count()).select_from(Region))
    load_regions(["TR", "be"])
    assert db_session.scalar(select(func.count()).select_from(Region)) == before


def test_a_new_country_gets_its_time_zone(app_ctx, db_session):
    load_regions(["PT"])
    assert db_session.get(Country, "PT").timezone == "Europe/Lisbon"
    assert db_session.get(Region, "PT-11") is not None


def test_unknown_country_is_refused(app_ctx):
    with pytest.raises(UnknownCountry):
        load_regions(["XX"])


def test_time_zones_of_the_demo_countries():
    zones = country_timezones()
    assert [zones[c] for c in ("TR", "RO", "NO", "NL", "BE")] == [
        "Europe/Istanbul",
        "Europe/Bucharest",
        "Europe/Oslo",
        "Europe/Amsterdam",
        "Europe/Brussels",
    ]


def test_cli_reports_each_country_and_rejects_unknown_codes(runner):
    result = runner.invoke(args=["regions", "load", "NO"])
    assert result.exit_code == 0
    assert "NO: 17 regions" in result.output  # 15 counties of 2024, Svalbard, Jan Mayen
    result = runner.invoke(args=["regions", "load", "ZZ"])
    assert result.exit_code == 2
    assert "unknown country code ZZ" in result.output
