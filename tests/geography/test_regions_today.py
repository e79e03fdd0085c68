"""Regions as they stand today: Norway's 15 counties of 2024, territories left out of the
dashboard, names in the reader's language and alphabet, and a CSV row with a new code."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.core.collation import collated
from app.core.i18n import region_name
from app.geography.models import Region
from app.geography.overrides import ABOLISHED, successors
from app.schools.importing import import_schools
from app.schools.models import School
from tests.principals import sign_in

COUNTIES_2024 = {
    "NO-03": "Oslo", "NO-11": "Rogaland", "NO-15": "Møre og Romsdal", "NO-18": "Nordland",
    "NO-31": "Østfold", "NO-32": "Akershus", "NO-33": "Buskerud", "NO-34": "Innlandet",
    "NO-39": "Vestfold", "NO-40": "Telemark", "NO-42": "Agder", "NO-46": "Vestland",
    "NO-50": "Trøndelag", "NO-55": "Troms", "NO-56": "Finnmark",
}  # fmt: skip


def test_norway_has_its_fifteen_counties_and_two_territories(app_ctx, db_session):
    regions = db_session.scalars(select(Region).where(Region.country_code == "NO")).all()
    current = {r.code: r.name for r in regions if r.status == "current"}
    assert current == COUNTIES_2024
    assert {r.code for r in regions if r.status == "territory"} == {"NO-21", "NO-22"}
    assert not {r.code for r in regions} & set(ABOLISHED)  # never created afresh


def test_caribbean_netherlands_are_territories(app_ctx, db_session):
    query = select(Region.code).where(Region.country_code == "NL", Region.on_dashboard())
    assert set(db_session.scalars(query)) == {
        "NL-DR", "NL-FL", "NL-FR", "NL-GE", "NL-GR", "NL-LI", "NL-NB", "NL-NH", "NL-OV",
        "NL-UT", "NL-ZE", "NL-ZH",
    }  # fmt: skip


def test_every_abolished_county_is_split_among_current_ones(app_ctx, db_session):
    for old, new in ABOLISHED.items():
        assert len(new) > 1, old
        assert all(db_session.get(Region, code).status == "current" for code in new)
    assert successors("NO-38") == ("NO-39", "NO-40")
    assert successors("NO-39") == ()


def _abolished_county(session) -> Region:
    """Vestfold og Telemark as a database migrated from before 2024 still has it."""
    county = Region(code="NO-38", country_code="NO", name="Vestfold og Telemark",
                    type="County", status="abolished")  # fmt: skip
    session.add(county)
    session.commit()
    return county


def _import(raw: str):
    return import_schools(
        raw.encode(), importer_id=None, allowed_countries=None, today=date.today(), dry_run=False
    )


def test_a_csv_row_in_troms_imports_and_one_in_an_abolished_county_does_not(app_ctx, db_session):
    _abolished_county(db_session)
    header = "external_id;name;country;region;city"
    rows = "NO-9001;Tromsø skole;NO;NO-55;Tromsø\r\nNO-9002;Skien skole;NO;NO-38;Skien"
    report = _import(f"{header}\r\n{rows}\r\n")
    assert [(e.line, e.column) for e in report.errors] == [(3, "region")]
    report = _import(f"{header}\r\nNO-9001;Tromsø skole;NO;55;Tromsø\r\n")
    assert not report.errors
    school = db_session.scalar(select(School).where(School.external_id == "NO-9001"))
    assert school.region_code == "NO-55"


def test_dashboard_of_norway_shows_the_counties_and_no_territory(client, make, db_session):
    coordinator = make.user("coord.no@example.org", role="coordinator", countries=("NO",))
    sign_in(client, db_session, coordinator.id)
    page = client.get("/dashboards/NO?lang=nb").get_data(as_text=True)
    # The region table with the regions folded under it (all of them, without data).
    regions = page[page.index('id="regions-title"') : page.index('id="heat-title"')]
    linked = set(re.findall(r"region=(NO-\d\d)", regions))
    assert linked == set(COUNTIES_2024)
    assert "Svalbard" not in page
    assert "Jan Mayen" not in page


def test_schools_left_in_a_split_county_are_listed_for_the_coordinator(client, make, db_session):
    make.school("NO", name="Skien videregående skole", region=_abolished_county(db_session))
    coordinator = make.user("coord.no@example.org", role="coordinator", countries=("NO",))
    sign_in(client, db_session, coordinator.id)
    page = client.get("/dashboards/NO?lang=en").get_data(as_text=True)
    listed = page[page.index('id="unplaced-title"') :]
    row = listed[listed.index("Skien videregående skole") :]
    row = row[: row.index("</tr>")]
    assert "Vestfold og Telemark" in row
    assert "Telemark, Vestfold" in row
    # The split county is on no list a school could be placed in.
    form = client.get("/schools/new?lang=en").get_data(as_text=True)
    assert 'value="NO-38"' not in form
    assert 'value="NO-39"' in form


@pytest.mark.parametrize(
    ("before", "name", "after"),
    [("Bursa", "Çanakkale", "Denizli"), ("Isparta", "İstanbul", "İzmir"),
     ("Sinop", "Şanlıurfa", "Şırnak")],
)  # fmt: skip
def test_turkish_provinces_follow_the_turkish_alphabet(app_ctx, db_session, before, name, after):
    regions = db_session.scalars(select(Region).where(Region.country_code == "TR")).all()
    names = [region_name(r.name, "tr") for r in collated(regions, lambda r: r.name, "tr")]
    assert names.index(before) < names.index(name) < names.index(after)


def test_calendar_region_filter_is_in_the_readers_alphabet(client):
    page = client.get("/calendar/TR?lang=tr").get_data(as_text=True)
    options = re.findall(r'<option value="TR-\d\d"[^>]*>([^<]+)</option>', page)
    assert len(options) == 81
    assert options.index("Bursa") < options.index("Çanakkale") < options.index("Denizli")
    assert options.index("Isparta") < options.index("İstanbul") < options.index("İzmir")


def test_norwegian_lists_end_with_their_own_letters(app_ctx):
    names = ["Østfold", "Agder", "Akershus", "Vestland", "Ålesund"]
    assert collated(names, str, "nb") == ["Agder", "Akershus", "Vestland", "Østfold", "Ålesund"]


def test_turkish_provinces_keep_their_spelling_in_romanian_and_dutch(app_ctx):
    for official in ("Eskişehir", "Şanlıurfa", "Uşak", "İstanbul", "Kahramanmaraş"):
        assert region_name(official, "ro") == official
    assert region_name("Aydın", "nl") == "Aydın"
    # Real exonyms stay: Antwerpen is Anvers in Romanian, Liège is Luik in Dutch.
    assert region_name("Antwerpen", "ro") == "Anvers"
    assert region_name("Liège", "nl") == "Luik"
    assert region_name("București", "nl") == "Boekarest"


def test_romanian_page_spells_turkish_provinces_as_turkey_does(client):
    page = client.get("/calendar/TR?lang=ro").get_data(as_text=True)
    assert "Eskişehir" in page
    assert "Eskișehir" not in page
    assert "Şanlıurfa" in page
