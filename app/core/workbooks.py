"""XLSX workbooks of one table, made with openpyxl's own features.

Dates, times and numbers are real cells (sortable, filterable, summable) shown in the
reader's short date and time format, taken from Babel (CLDR) and written as Excel number
formats with four-digit years: the figures are the reader's familiar ones, and Excel's
"Format cells" shows any other. The header row is bold and frozen, an autofilter covers
the table, the columns are as wide as their content (within bounds), and text that a
spreadsheet would take for a formula is a text cell with the quote prefix set: Excel and
LibreOffice show it as typed, without an apostrophe, and keep it text when it is edited.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from babel.dates import get_date_format, get_time_format
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.core.exports import formula_like, naive

MIN_WIDTH, MAX_WIDTH = 6, 60
#: Excel refuses these in sheet names, and names over 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_LENGTH = 31
ISO_DATE = "yyyy-mm-dd"
_LDML_FIELD = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|.", re.S)


def sheet_title(text: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, no apostrophe at either end, at most 31
    characters cut at a space (a word or a date is left out whole, never cut)."""
    title = " ".join(_SHEET_FORBIDDEN.sub(" ", text).split()).strip("'").strip()
    if len(title) > SHEET_LENGTH:
        cut = title[: SHEET_LENGTH + 1].rsplit(" ", 1)[0]
        title = cut if len(cut) <= SHEET_LENGTH else title[:SHEET_LENGTH]
        title = title.strip("'").strip()
    if title.casefold() == "history":  # Excel keeps "History" for itself
        title += " 1"
    return title or "Sheet1"


def _excel_pattern(ldml: str) -> str | None:
    """An Excel number format for a CLDR date or time pattern; None for one we cannot say."""
    parts, twelve_hours = [], False
    for match in _LDML_FIELD.finditer(ldml):
        field, letter = match.group(0), match.group(1)
        if letter is None:
            literal = field[1:-1].replace("''", "'") if field.startswith("'") else field
            literal = literal.replace("\u202f", " ").replace("\xa0", " ")
            parts.append("".join(c if c in " -.,:/" else f"\\{c}" for c in literal))
            continue
        width = len(field)
        if letter == "y":
            parts.append("yyyy")  # two-digit years are ambiguous in a file kept for years
        elif letter in "ML" and width <= 4:
            parts.append("m" * width)
        elif letter == "d" and width <= 2:
            parts.append("d" * width)
        elif letter in "Hh" and width <= 2:
            parts.append("h" * width)
            twelve_hours = twelve_hours or letter == "h"
        elif letter == "m" and width <= 2:
            parts.append("m" * width)
        elif letter == "s" and width <= 2:
            parts.append("ss")
        elif letter == "a":
            parts.append("AM/PM")
        else:
            return None
    pattern = "".join(parts)
    return pattern if "AM/PM" in pattern or not twelve_hours else pattern + " AM/PM"


@lru_cache(maxsize=16)
def number_formats(locale: str) -> dict[type, str]:
    """Excel formats of dates, times and date-times in ``locale``'s short style."""
    day = _excel_pattern(get_date_format("short", locale).pattern) or ISO_DATE
    clock = _excel_pattern(get_time_format("short", locale).pattern) or "hh:mm"
    return {date: day, time: clock, datetime: f"{day} {clock}"}


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        naive(value)  # refused before the workbook starts writing
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, time):
        return 8
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    return len(str(value))


def _widths(headers: Sequence[str], rows: list[Sequence]) -> list[float]:
    widths = [_width(header) + 2 for header in headers]  # room for the filter's button
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _width(value))
    return [min(max(width + 1, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _cell(sheet, value: object, formats: dict[type, str]):
    """The cell of a typed value: plain values as they are, a styled cell for dates and
    times, and for text openpyxl would take for a formula (starting with ``=``)."""
    if value is None or type(value) in (int, float, bool, Decimal):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, naive(value))
        cell.number_format = formats[datetime]
        return cell
    if isinstance(value, date | time):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = formats[date if isinstance(value, date) else time]
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not text:
        return None  # no text is an empty cell, not ""
    if not formula_like(text):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def build(title: str, headers: Sequence[str], rows: Iterable[Sequence], locale: str) -> bytes:
    """The workbook's bytes: one sheet named after ``title``, the header row, the rows."""
    rows = list(rows)
    formats = number_formats(locale)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, width in enumerate(_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", str(header)))
        cell.data_type, cell.quotePrefix = "s", formula_like(cell.value)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value, formats) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
