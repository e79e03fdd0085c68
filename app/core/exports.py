"""CSV and XLSX downloads that spreadsheet programs read as their users expect, safely.

Pages pass typed values: ``str``, ``int``, ``float``/``Decimal``, ``date``, ``time``,
naive ``datetime`` (local time, the page says which zone) or ``None``. The format decides
how each is written:

- XLSX (:mod:`app.core.workbooks`) holds real date, time and number cells, shown in the
  reader's short date and time format; text that a spreadsheet would take for a formula is
  a plain text cell marked "quote prefix", so it stays text without a visible apostrophe.
- CSV is text that the spreadsheet parses again: dates are ISO 8601 (``2026-02-01``,
  ``2026-02-01 10:00``), which every locale's Excel and LibreOffice read as a date,
  whereas a national format is misread where the day and month orders differ. The
  separator is the one the reader's Excel expects: ``;`` where the decimal mark is a
  comma (nl, nb, ro, tr), ``,`` elsewhere; ``?sep=comma|semicolon`` chooses. The file
  is UTF-8 with a byte order mark, every text field is quoted, and a formula is
  neutralised (a leading apostrophe) at the start of a field and after any character a
  spreadsheet might split on (``,``, ``;``, tab, line break), so a title such as
  ``Open day;=cmd|' /C calc'!A0`` cannot start a cell whatever separator the reader uses.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from babel.numbers import get_decimal_symbol
from flask import Response, abort, request
from flask_babel import gettext as _

from app.core import i18n

#: Characters a spreadsheet program may split a line on, so a cell may start after them.
SPLITTERS = ",;\t\r\n"
_LEADING = re.compile(r"[=+\-@\t\r]|[ ]+[=+\-@]")
_INNER = re.compile(rf"([{re.escape(SPLITTERS)}][ \t]*)(?=[=+\-@])")

#: The ``sep`` parameter's values.
SEPARATORS = {"comma": ",", "semicolon": ";"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula when it starts a cell.

    Leading spaces count: importers that trim them would find the formula."""
    return bool(_LEADING.match(text))


def neutralise(value: object) -> object:
    """A CSV field that no spreadsheet reads as a formula: an apostrophe before the formula
    at the start, and after each separator character inside; other values unchanged."""
    if not isinstance(value, str) or not any(sign in value for sign in "=+-@\t\r"):
        return value
    if formula_like(value):
        value = "'" + value
    return _INNER.sub(r"\1'", value)


def default_separator(locale: str | None = None) -> str:
    """``semicolon`` where the locale's decimal mark is a comma (Excel's list separator
    there), else ``comma``."""
    return "semicolon" if get_decimal_symbol(locale or i18n.current_locale()) == "," else "comma"


def requested_separator() -> str:
    """``?sep=`` if given (answered 400 unless comma or semicolon), else the locale's."""
    chosen = request.args.get("sep")
    if chosen is None or chosen == "":
        return default_separator()
    if chosen not in SEPARATORS:
        abort(
            400,
            description=_("The separator of a CSV file can be “comma” or “semicolon”."),
        )
    return chosen


def csv_text(value: object, decimal_mark: str = ".") -> object:
    """A CSV field of a typed value: numbers stay numbers, anything else becomes text."""
    if type(value) is str:
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return str(value).replace(".", decimal_mark)
    if isinstance(value, datetime):
        return naive(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    return neutralise(str(value))


def naive(moment: datetime) -> datetime:
    """Spreadsheets have no time zones: pages pass local times and name the zone."""
    if moment.tzinfo is not None:
        raise TypeError("exports take naive local datetimes; convert and name the zone")
    return moment


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_chunks(
    headers: Sequence[str], rows: Iterable[Sequence], separator: str = "comma"
) -> Iterator[str]:
    """The CSV file in pieces of about 64 kB."""
    delimiter = SEPARATORS[separator]
    decimal_mark = "," if delimiter == ";" else "."
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC)
    buffer.write("\ufeff")  # lets spreadsheet programs recognise UTF-8
    writer.writerow([csv_text(header) for header in headers])
    for row in rows:
        writer.writerow([csv_text(value, decimal_mark) for value in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], separator: str = "comma"
) -> Response:
    """Streams ``rows``, which must not need the database any more (a list, say)."""
    body = csv_chunks(headers, rows, separator)
    return Response(body, mimetype="text/csv", headers=_attachment(f"{filename}.csv"))


def file_bytes(
    fmt: str, headers: Sequence[str], rows: Iterable[Sequence], *, sheet: str, separator: str
) -> tuple[bytes, str, str]:
    """The export as a file to keep (a job's result): its bytes, type and extension."""
    if fmt == "xlsx":
        from app.core import workbooks

        return workbooks.build(sheet, headers, rows, i18n.current_locale()), XLSX_TYPE, "xlsx"
    body = "".join(csv_chunks(headers, rows, separator)).encode()
    return body, "text/csv", "csv"


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet: str
) -> Response:
    from app.core import workbooks  # openpyxl on first export only: a large library

    body = workbooks.build(sheet, headers, rows, i18n.current_locale())
    return Response(body, mimetype=XLSX_TYPE, headers=_attachment(f"{filename}.xlsx"))


def download(
    fmt: str,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet: str,
) -> Response:
    """The export in ``fmt``; ``sheet`` names the XLSX sheet (made to fit Excel's rules),
    the CSV separator is the request's (:func:`requested_separator`)."""
    if fmt == "xlsx":
        return xlsx_response(filename, headers, rows, sheet)
    return csv_response(filename, headers, rows, requested_separator())
