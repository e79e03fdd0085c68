"""CSV and XLSX downloads with headers in the reader's language.

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Streams ``rows``, which must not need the database any more (a list, say)."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # lets spreadsheet programs recognise UTF-8
        writer.writerow([neutralise(str(header)) for header in headers])
        for row in rows:
            writer.writerow([neutralise(value) for value in row])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(generate(), mimetype="text/csv", headers=_attachment(f"{filename}.csv"))


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Response:
    from openpyxl import Workbook  # on first export only: a large library

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([neutralise(str(header)) for header in headers])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return Response(output.getvalue(), mimetype=XLSX_TYPE, headers=_attachment(f"{filename}.xlsx"))


def download(fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Response:
    return (xlsx_response if fmt == "xlsx" else csv_response)(filename, headers, rows)
