"""Reading a CSV file of schools and checking each row: the first half of the import
(app.schools.importing), which writes nothing.

The file is UTF-8 (with or without BOM), separated by ``,`` or ``;``, with LF or CRLF line
ends and a header row. Each problem is reported with its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.enums import LANGUAGES
from app.core.extensions import db
from app.core.school_years import parse_start, school_year_of
from app.core.text import search_key
from app.core.text_files import Undecodable, decode
from app.geography.models import Country, Region
from app.schools.alphabets import misread_letters
from app.schools.enums import EducationLevel

REQUIRED = ("external_id", "name", "country", "region")
OPTIONAL = (
    "city", "website", "levels", "languages", "label_year", "pupil_count",
    "contact_name", "contact_email",
)  # fmt: skip
LIMITS = {"external_id": 64, "name": 200, "city": 120, "website": 300, "contact_name": 120,
          "contact_email": 254}  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class RowError:
    line: int
    column: str
    message: str  # lazily translated


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: The encoding the file was read in, for people (``Windows-1254``).
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    values: dict


_SEP_LINE = re.compile(r"sep=(.)[ \t]*\r?\n", re.IGNORECASE)


def _separated(text: str) -> tuple[str, int, str]:
    """The text without Excel's ``sep=;`` line, how many lines that removed, and the
    separator: the one that line names, else the most frequent of ``,;\\t`` in the header."""
    found = _SEP_LINE.match(text)
    if found:
        return text[found.end() :], 1, found.group(1)
    header = text.split("\n", 1)[0]
    return text, 0, max(",;\t", key=header.count)  # a tie keeps the comma


def read_rows(raw: bytes, report: ImportReport) -> Iterator[tuple[int, dict]]:
    """(line number, row) pairs; problems with the file itself go to ``report``."""
    try:
        decoded = decode(raw, plausible=misread_letters)
    except Undecodable as problem:
        message = _l("This line cannot be read in any encoding. Save the file as CSV UTF-8.")
        report.errors.append(RowError(problem.line, "", message))
        return
    report.encoding = decoded.label
    text, skipped, separator = _separated(decoded.text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        if missing:
            report.errors.append(
                RowError(1 + skipped, ", ".join(missing), _l("Required columns are missing."))
            )
        if unknown:
            report.errors.append(
                RowError(1 + skipped, ", ".join(unknown), _l("These columns are not known."))
            )
        return
    reader.fieldnames = header
    for row in reader:
        if not any((value or "").strip() for key, value in row.items() if key is not None):
            continue  # an empty line, or one of separators only, as spreadsheets leave them
        if None in row:
            report.errors.append(
                RowError(
                    reader.line_num + skipped, "", _l("This row has more cells than the header.")
                )
            )
            continue
        yield reader.line_num + skipped, {key: (value or "").strip() for key, value in row.items()}


class Validator:
    """Checks rows one by one, and what the rows of a file must not share."""

    def __init__(self, allowed_countries: set[str] | None, today: date):
        starts = dict(
            db.session.execute(select(Country.code, Country.school_year_start)).tuples().all()
        )
        self.countries = set(starts)
        self.allowed = allowed_countries
        self.regions = dict(
            db.session.execute(select(Region.code, Region.country_code).where(Region.selectable()))
            .tuples()
            .all()
        )
        #: The latest label year of each country: its current school year.
        self.latest_label_year = {
            code: school_year_of(today, parse_start(start)) for code, start in starts.items()
        }
        self.default_latest = school_year_of(today)
        self.seen: set[tuple[str, str]] = set()

    def check(self, line: int, row: dict, errors: list[RowError]) -> dict | None:
        problems: list[RowError] = []

        def fail(column: str, message) -> None:
            problems.append(RowError(line, column, message))

        for column in REQUIRED:
            if not row.get(column):
                fail(column, _l("This value is required."))
        for column, limit in LIMITS.items():
            if len(row.get(column, "")) > limit:
                fail(column, _l("At most %(num)s characters.", num=limit))
        if any("\x00" in value for value in row.values()):
            fail("", _l("The row contains characters that are not allowed."))
        external_id = row.get("external_id", "")
        country = row.get("country", "").upper()
        if (country, external_id) in self.seen:
            fail("external_id", _l("This external id appears twice in the file."))
        self.seen.add((country, external_id))
        region = row.get("region", "").upper()
        if country and country not in self.countries:
            fail("country", _l("Unknown country %(value)s.", value=country))
        elif country and self.allowed is not None and country not in self.allowed:
            fail("country", _l("You may only import schools of your own countries."))
        if region and "-" not in region:
            region = f"{country}-{region}"
        if region and self.regions.get(region) != country:
            fail(
                "region", _l("%(value)s is not a region of this country.", value=row.get("region"))
            )
        levels = _split(row.get("levels", ""))
        if any(level not in EducationLevel._value2member_map_ for level in levels):
            fail(
                "levels",
                _l(
                    "Use pre_primary, primary, lower_secondary, upper_secondary or vocational, "
                    "separated by |."
                ),
            )
        languages = [code.lower() for code in _split(row.get("languages", ""))]
        if any(code not in LANGUAGES for code in languages):
            fail("languages", _l("Use two-letter language codes such as tr or nl, separated by |."))
        latest = self.latest_label_year.get(country, self.default_latest)
        label_year = _integer(row.get("label_year", ""), 2000, latest)
        if label_year is False:
            fail("label_year", _l("Use a year between 2000 and %(num)s.", num=latest))
        pupils = _integer(row.get("pupil_count", ""), 0, 100000)
        if pupils is False:
            fail("pupil_count", _l("Use a whole number between 0 and 100000."))
        email = row.get("contact_email", "").lower()
        if email and not _EMAIL.match(email):
            fail("contact_email", _l("This is not an e-mail address."))
        website = row.get("website", "")
        if website and not website.startswith(("http://", "https://")):
            fail("website", _l("A website starts with https:// or http://."))
        if problems:
            errors.extend(problems)
            return None
        return {
            "external_id": external_id,
            "name": row["name"],
            "city": row.get("city", ""),
            "search_key": search_key(row["name"], row.get("city", "")),
            "country_code": country,
            "region_code": region,
            "website": website or None,
            "label": label_year,  # an empty cell leaves the school's label as it is
            "pupil_count": pupils,
            "contact_name": row.get("contact_name") or None,
            "contact_email": email or None,
            "levels": sorted(set(levels)),
            "languages": sorted(set(languages)),
        }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _integer(value: str, low: int, high: int) -> int | bool | None:
    """None when empty, False when invalid."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        return False
    number = int(value)
    return number if low <= number <= high else False
