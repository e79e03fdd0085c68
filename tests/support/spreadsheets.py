"""Reading exports as spreadsheet programs do: CSV and XLSX bodies, and LibreOffice headless.

LibreOffice (Debian's ``libreoffice-calc-nogui``, installed by the Makefile's test targets)
converts a file the way a reader's spreadsheet would open it. Without ``soffice`` its tests
are skipped, except in CI (``CI`` set), where they fail: they must run there.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff".encode()
CONVERSION_SECONDS = 120


def csv_rows(response, delimiter: str = ",") -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()  # reads the whole stream, which closes it
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def workbook(body: bytes):
    """The workbook of an XLSX body (closed by the garbage collector: not read-only)."""
    return load_workbook(io.BytesIO(body))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    return list(workbook(response.get_data()).worksheets[0].iter_rows(values_only=True))


def download_form(page: str, action: str) -> str:
    """The inside of a page's CSV download form that submits to ``action``."""
    pattern = (
        rf'<form method="get" action="{re.escape(action)}" class="downloads[^"]*">(.*?)</form>'
    )
    found = re.search(pattern, page, re.S)
    assert found, f"no download form for {action}"
    return found.group(1)


def cells(sheet) -> list:
    return [cell for row in sheet.iter_rows() for cell in row]


@dataclass
class LibreOffice:
    soffice: str
    profile: Path

    def convert(self, source: Path, to: str, infilter: str | None = None) -> Path:
        """``source`` converted to ``to`` (a file extension) beside it, in ``out/``."""
        out = source.parent / "out"
        command = [
            self.soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ]
        done = subprocess.run(  # noqa: S603 - soffice on our own temporary files
            command, capture_output=True, text=True, timeout=CONVERSION_SECONDS, check=False
        )
        result = out / f"{source.stem}.{to}"
        assert done.returncode == 0, (done.stdout, done.stderr)
        assert result.exists(), (done.stdout, done.stderr)
        return result


def libreoffice(profile: Path) -> LibreOffice:
    """LibreOffice headless with a profile of its own (runs elsewhere on the machine keep
    theirs); skipped where ``soffice`` is missing, failed in CI."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        message = "LibreOffice (soffice) is missing: apt-get install libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the spreadsheet tests")
        pytest.skip(message)
    return LibreOffice(soffice, profile)
