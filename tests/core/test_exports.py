"""The export core: formula neutralisation, CSV fields by type, XLSX cells, sheet names."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.core import exports, workbooks
from app.core.exports import csv_text, neutralise
from app.core.i18n import LOCALES
from app.core.workbooks import number_formats, sheet_title
from tests.support import spreadsheets


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("=", "'="),
        (" =1", "' =1"),  # importers that trim spaces would find the formula
        ("'=already quoted", "'=already quoted"),
        ("a=b", "a=b"),
        ("Harmless = title", "Harmless = title"),
        ("Open day;=cmd|' /C calc'!A0;", "Open day;'=cmd|' /C calc'!A0;"),
        ("Open day,=1+1", "Open day,'=1+1"),
        ("a; -1", "a; '-1"),
        ("a\t@x", "a\t'@x"),
        ("\n=1", "\n'=1"),
        ("line one\r\n+2", "line one\r\n'+2"),
        ("=a;=b", "'=a;'=b"),
        ("a;b, c", "a;b, c"),
        ("", ""),
        ("Plain text", "Plain text"),
        (-1, -1),
        (12, 12),
        (1.5, 1.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
    assert type(neutralise(value)) is type(expected)


@pytest.mark.parametrize(
    ("value", "mark", "expected"),
    [
        (None, ".", ""),
        (12, ",", 12),
        (-3, ".", -3),
        (1.5, ".", "1.5"),
        (1.5, ",", "1,5"),
        (Decimal("2.25"), ",", "2,25"),
        (date(2026, 2, 1), ",", "2026-02-01"),
        (datetime(2026, 2, 1, 10, 5, 30), ",", "2026-02-01 10:05"),
        (time(9, 30), ",", "09:30"),
        ("=1", ",", "'=1"),
    ],
)
def test_csv_fields_by_type(value, mark, expected):
    assert csv_text(value, mark) == expected


def test_aware_datetimes_are_refused_in_both_formats():
    with pytest.raises(TypeError):
        csv_text(datetime(2026, 2, 1, tzinfo=UTC))
    with pytest.raises(TypeError):
        workbooks.build("Sheet", ["When"], [[datetime(2026, 2, 1, tzinfo=UTC)]], "en")


@pytest.mark.parametrize(
    ("locale", "separator"), [("en", "comma"), ("nl", "semicolon"), ("nb", "semicolon")]
)
def test_the_default_separator_follows_the_decimal_mark(locale, separator):
    assert exports.default_separator(locale) == separator


def test_every_locale_has_excel_formats_with_four_digit_years():
    for locale in LOCALES:
        formats = number_formats(locale)
        assert "yyyy" in formats[date], locale
        assert formats[datetime] == f"{formats[date]} {formats[time]}"
    assert number_formats("nl")[date] == "dd-mm-yyyy"
    assert number_formats("tr")[date] == "d.mm.yyyy"
    assert number_formats("en")[time] == "h:mm AM/PM"
    assert number_formats("ro")[time] == "hh:mm"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("dd/MM/y", "dd/mm/yyyy"),
        ("d MMM y", "d mmm yyyy"),
        ("y-MM-dd", "yyyy-mm-dd"),
        ("h:mm a", "h:mm AM/PM"),
        ("h:mm", "h:mm AM/PM"),
        ("HH.mm 'Uhr'", "hh.mm \\U\\h\\r"),
        ("EEEE d MMMM", None),  # a weekday: no Excel field we trust, ISO instead
    ],
)
def test_cldr_patterns_become_excel_formats(pattern, expected):
    assert workbooks._excel_pattern(pattern) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Activities in Türkiye", "Activities in Türkiye"),
        ("Regions 2025-09-01–2026-08-31 extra", "Regions 2025-09-01–2026-08-31"),
        ("Misyon sütunları 2025-09-01–2026-08-31", "Misyon sütunları"),
        ("Activities in Bosnia and Herzegovina", "Activities in Bosnia and"),
        ("a/b\\c[d]e:f*g?h", "a b c d e f g h"),
        ("'quoted'", "quoted"),
        ("", "Sheet1"),
        ("[]", "Sheet1"),
        ("History", "History 1"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_titles_fit_excels_rules(title, expected):
    assert sheet_title(title) == expected
    assert len(sheet_title(title)) <= 31


def test_a_workbook_of_no_rows_still_has_its_header_filter_and_frozen_row():
    sheet = load_workbook(io.BytesIO(workbooks.build("Empty", ["A", "B"], [], "nl"))).active
    assert [cell.value for cell in sheet[1]] == ["A", "B"]
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:B1"
    assert sheet.freeze_panes == "A2"


def test_workbook_cells_are_typed_and_text_stays_text():
    rows = [
        ["=SUM(1)", 3, 2.5, date(2026, 2, 1), time(9, 30), "", "bell\x07 rings", None],
        ["x" * 500, -4, Decimal("1.25"), None, None, "line\nbreak", "+cmd", True],
    ]
    body = workbooks.build("Typed", list("ABCDEFGH"), rows, "nb")
    sheet = load_workbook(io.BytesIO(body)).active
    first = sheet[2]
    assert (first[0].value, first[0].data_type, first[0].quotePrefix) == ("=SUM(1)", "s", True)
    assert [(c.value, c.data_type) for c in first[1:3]] == [(3, "n"), (2.5, "n")]
    assert (first[3].value, first[3].number_format) == (datetime(2026, 2, 1), "dd.mm.yyyy")
    assert (first[4].value, first[4].number_format) == (time(9, 30), "hh:mm")
    assert first[5].value is None  # no text is an empty cell
    assert first[6].value == "bell rings"  # characters XML cannot hold are left out
    second = sheet[3]
    assert second[2].value == 1.25
    assert (second[6].value, second[6].quotePrefix) == ("+cmd", True)
    assert second[7].value is True
    assert sheet.column_dimensions["A"].width == workbooks.MAX_WIDTH
    assert sheet.column_dimensions["H"].width == workbooks.MIN_WIDTH


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_the_libreoffice_tests_fail_in_ci_without_soffice(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(spreadsheets.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="libreoffice-calc-nogui"):
        spreadsheets.libreoffice(tmp_path)
