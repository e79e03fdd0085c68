"""The dashboards' CSV and XLSX exports: the figures as typed cells, the reader's language
and separator, neutralised formulas, and the files as LibreOffice opens them."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.activities.enums import ActivityType
from app.core.extensions import db
from app.core.i18n import region_name
from app.core.models import AuditEntry
from app.core.school_years import school_year_label
from app.geography.models import Region
from app.mission.models import PILLAR_CODES
from tests.dashboards.test_dashboards import (
    ANKARA,
    EXPECTED,
    EXPECTED_PILLARS,
    ISTANBUL,
    IZMIR,
    TR_ZONE,
    Data,
    _download,
    _signed_in,
    build_data,
)
from tests.support.paths import TRANSLATIONS
from tests.support.spreadsheets import BOM, cells, download_form, workbook

PO_TR = TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.po"


@pytest.fixture
def data(make, db_session) -> Data:
    return build_data(make, db_session)


def _names(app, locale: str) -> dict[str, str]:
    with app.app_context():
        return {
            code: region_name(db.session.get(Region, code).name, locale)
            for code in (ANKARA, ISTANBUL, IZMIR)
        }


def _last_activity(data, code: str):
    """The day of a region's last activity in Türkiye, as the page shows it."""
    return max(data.held_moments[code]).astimezone(ZoneInfo(TR_ZONE)).date()


def _table(body: bytes, delimiter: str = ",") -> list[list[str]]:
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_regions_csv_has_the_figures(app, client, db_session, data):
    _signed_in(client, db_session, data)
    status, body = _download(client, f"/dashboards/TR/export/regions.csv?year={data.year}")
    assert status == 200
    table = _table(body)
    header, rows = table[0], {row[0]: row for row in table[1:]}
    kinds = [str(kind.label) for kind in ActivityType]
    assert header[:4] == ["Region", "Schools", "eTwinning Schools", "Ambassador schools"]
    assert header[4 : 4 + len(kinds)] == kinds
    names = _names(app, "en")
    assert len(rows) == len(table) - 1 == 81
    for code, name in names.items():
        e = EXPECTED[code]
        row = rows[name]
        assert row[1:4] == [str(e["schools"]), str(e["labelled"]), str(e["ambassadors"])]
        assert row[4 : 4 + len(kinds)] == [str(e["held"].get(k.value, 0)) for k in ActivityType]
        assert row[4 + len(kinds) :] == [
            str(e["participants"]),
            str(e["reached"]),
            str(e["open_requests"]),
            str(e["waiting_long"]),
            str(e["active_matches"]),
            str(e["free_capacity"]),
            _last_activity(data, code).isoformat(),  # ISO: a date in every spreadsheet
        ]
    quiet = next(row for name, row in rows.items() if name not in names.values())
    assert quiet[-1] == ""
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "dashboard.export")
        ).all()
    assert [(e.actor_id, e.country_code, e.object_id, e.details) for e in entries] == [
        (data.users["coordinator_tr"], "TR", "TR", {"table": "regions", "format": "csv"})
    ]


def test_regions_xlsx_holds_counts_as_numbers_and_the_last_activity_as_a_date(
    app, client, db_session, data
):
    _signed_in(client, db_session, data)
    status, body = _download(client, f"/dashboards/TR/export/regions.xlsx?year={data.year}")
    assert status == 200
    sheet = workbook(body).worksheets[0]
    assert sheet.title == f"Regions {school_year_label(data.year)}"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}82"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for code, name in _names(app, "en").items():
        row = rows[name]
        assert (row[1].value, row[1].data_type) == (EXPECTED[code]["schools"], "n")
        last = row[-1]
        assert last.value == datetime.combine(_last_activity(data, code), datetime.min.time())
        assert (last.data_type, last.is_date, last.number_format) == ("d", True, "m/d/yyyy")
    assert not [cell.coordinate for cell in cells(sheet) if cell.data_type == "f"]


def test_pillars_xlsx_has_the_figures(app, client, db_session, data):
    _signed_in(client, db_session, data)
    status, body = _download(client, f"/dashboards/TR/export/pillars.xlsx?year={data.year}")
    assert status == 200
    sheet = workbook(body).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][0] == "Region"
    assert len(table[0]) == 1 + len(PILLAR_CODES)
    rows = {row[0]: row[1:] for row in table[1:]}
    for code, name in _names(app, "en").items():
        assert rows[name] == [EXPECTED_PILLARS[code].get(p, 0) for p in PILLAR_CODES], code
    assert sum(sum(row) for row in rows.values()) == 7
    assert sheet.title == f"Pillars {school_year_label(data.year)}"
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dashboard.export"))
    assert entry.details == {"table": "pillars", "format": "xlsx"}


def test_a_custom_period_names_the_sheet_by_its_dates(client, db_session, data):
    _signed_in(client, db_session, data)
    start, end = data.period.start.isoformat(), data.today.isoformat()
    url = f"/dashboards/TR/export/regions.xlsx?from={start}&to={end}"
    status, body = _download(client, url, **{"Accept-Language": "nl"})
    assert status == 200
    assert workbook(body).worksheets[0].title == f"Regio's {start}–{end}"


def test_export_headers_and_separator_in_the_readers_language(app, client, db_session, data):
    with PO_TR.open("rb") as po:
        catalog = read_po(po)
    schools_reached = catalog.get("Schools reached").string
    open_requests = catalog.get("Open requests").string
    region = catalog.get("Region").string
    assert schools_reached
    assert open_requests
    assert region
    _signed_in(client, db_session, data)
    status, body = _download(
        client, f"/dashboards/TR/export/regions.csv?year={data.year}", **{"Accept-Language": "tr"}
    )
    assert status == 200
    assert body.decode("utf-8-sig").startswith(f'"{region}";"')  # Turkish Excel splits on ;
    header = _table(body, ";")[0]
    assert header[0] == region
    assert schools_reached in header
    assert open_requests in header
    assert "Schools reached" not in header
    status, body = _download(
        client,
        f"/dashboards/TR/export/regions.csv?year={data.year}&sep=comma",
        **{"Accept-Language": "tr"},
    )
    assert status == 200
    assert _table(body)[0][0] == region


def test_a_bad_separator_is_a_400_and_no_export_is_recorded(app, client, db_session, data):
    _signed_in(client, db_session, data)
    url = f"/dashboards/TR/export/regions.csv?year={data.year}&sep=pipe"
    status, body = _download(client, url, **{"Accept-Language": "ro"})
    assert status == 400
    assert "Separatorul unui fișier CSV" in body.decode()
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dashboard.export"))
            is None
        )


def test_exports_neutralise_formulas(app, client, db_session, data, monkeypatch):
    from app.dashboards.views import routes

    monkeypatch.setattr(routes, "region_name", lambda name, locale=None: "=HYPERLINK(" + name)
    _signed_in(client, db_session, data)
    _status, body = _download(client, f"/dashboards/TR/export/regions.csv?year={data.year}")
    names = [row[0] for row in _table(body)[1:]]
    assert names
    assert all(name.startswith("'=HYPERLINK(") for name in names)
    _status, body = _download(client, f"/dashboards/TR/export/pillars.xlsx?year={data.year}")
    sheet = workbook(body).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert names
    assert all(cell.value.startswith("=HYPERLINK(") for cell in names)  # no apostrophe shown
    assert {(cell.data_type, cell.quotePrefix) for cell in names} == {("s", True)}


def test_the_page_offers_the_separator_beside_each_download(client, db_session, data):
    _signed_in(client, db_session, data)
    response = client.get(f"/dashboards/TR?year={data.year}", headers={"Accept-Language": "ro"})
    page = response.get_data(as_text=True)
    for table in ("regions", "pillars"):
        form = download_form(page, f"/dashboards/TR/export/{table}.csv")
        assert f'<input type="hidden" name="year" value="{data.year}">' in form
        assert '<option value="semicolon" selected>' in form
        assert f'href="/dashboards/TR/export/{table}.xlsx?year={data.year}"' in page
    ids = re.findall(r'<select class="form-select form-select-sm" id="([^"]+)" name="sep">', page)
    assert len(ids) == len(set(ids)) == 2


@pytest.mark.libreoffice
def test_libreoffice_reads_the_regions_xlsx_as_written(
    client, db_session, data, libreoffice, tmp_path
):
    _signed_in(client, db_session, data)
    url = f"/dashboards/TR/export/regions.xlsx?year={data.year}"
    _status, body = _download(client, url, **{"Accept-Language": "nb"})
    source = tmp_path / "regions.xlsx"
    source.write_bytes(body)
    ours = workbook(body).worksheets[0]
    theirs = workbook(libreoffice.convert(source, "xlsx").read_bytes()).worksheets[0]
    assert theirs.title == ours.title

    def typed(sheet):
        return [[(c.value, c.data_type, c.is_date) for c in row] for row in sheet.iter_rows()]

    for theirs_row, ours_row in zip(typed(theirs), typed(ours), strict=True):
        assert theirs_row == ours_row
    dates = [row[-1] for row in typed(theirs)[1:] if row[-1][0] is not None]
    assert len(dates) == 3
    assert all(is_date for _value, _type, is_date in dates)
