"""Importing schools from CSV: validated row by row, applied all at once or not at all.

The file is UTF-8 (with or without BOM), separated by ``,`` or ``;``, with LF or
CRLF line ends and a header row. ``external_id`` (unique within a country) makes the
import idempotent: a row whose school exists already in its country updates it, and
importing the same file twice changes nothing the second time. Rows are written in bulk,
so 100,000 schools take seconds, not minutes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from app.accounts.models import User
from app.core.database import utcnow
from app.core.enums import LANGUAGES
from app.core.extensions import db
from app.core.school_years import school_year_of
from app.core.text import search_key
from app.geography.models import Country, Region
from app.schools.enums import EducationLevel, SchoolStatus
from app.schools.models import School, SchoolLanguage, SchoolLevel
from app.schools.operations import carry, record_move

REQUIRED = ("external_id", "name", "country", "region")
OPTIONAL = (
    "city", "website", "levels", "languages", "label_year", "pupil_count",
    "contact_name", "contact_email",
)  # fmt: skip
LIMITS = {"external_id": 64, "name": 200, "city": 120, "website": 300, "contact_name": 120,
          "contact_email": 254}  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CHUNK = 2000


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

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    values: dict


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_rows(raw: bytes, report: ImportReport) -> Iterator[tuple[int, dict]]:
    """(line number, row) pairs; problems with the file itself go to ``report``."""
    text = _text(raw)
    if text is None:
        report.errors.append(
            RowError(0, "", _l("The file is not UTF-8 text. Save it as CSV UTF-8."))
        )
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        if missing:
            report.errors.append(
                RowError(1, ", ".join(missing), _l("Required columns are missing."))
            )
        if unknown:
            report.errors.append(
                RowError(1, ", ".join(unknown), _l("These columns are not known."))
            )
        return
    reader.fieldnames = header
    for row in reader:
        if not any((value or "").strip() for key, value in row.items() if key is not None):
            continue  # an empty line, or one of separators only, as spreadsheets leave them
        if None in row:
            report.errors.append(
                RowError(reader.line_num, "", _l("This row has more cells than the header."))
            )
            continue
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


class _Validator:
    def __init__(self, allowed_countries: set[str] | None, today: date):
        self.countries = set(db.session.scalars(select(Country.code)))
        self.allowed = allowed_countries
        self.regions = dict(
            db.session.execute(
                select(Region.code, Region.country_code).where(Region.is_leaf.is_(True))
            )
            .tuples()
            .all()
        )
        self.latest_label_year = school_year_of(today)
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
        label_year = _integer(row.get("label_year", ""), 2000, self.latest_label_year)
        if label_year is False:
            fail(
                "label_year", _l("Use a year between 2000 and %(num)s.", num=self.latest_label_year)
            )
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
            "label_year": label_year,
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


def import_schools(
    raw: bytes,
    *,
    importer_id: int | None,
    allowed_countries: set[str] | None,
    today: date,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row; unless ``dry_run`` or any row failed, write them all. Flushes."""
    report = ImportReport()
    validator = _Validator(allowed_countries, today)
    rows: list[dict] = []
    for line, row in read_rows(raw, report):
        report.rows += 1
        checked = validator.check(line, row, report.errors)
        if checked is not None:
            rows.append({**checked, "line": line})
    if not report.ok:
        return report
    plan = _plan(rows)
    report.created, report.updated = len(plan.new), len(plan.changed)
    report.unchanged = len(rows) - report.created - report.updated
    if not dry_run:
        _write(plan, importer_id, progress)
    return report


_COMPARED = (
    "name", "city", "country_code", "region_code", "website", "label_year", "pupil_count",
    "contact_name", "contact_email",
)  # fmt: skip


@dataclass
class _Plan:
    new: list[dict]
    changed: list[dict]
    #: school id → (country, region) before, for the schools the file moves
    moves: dict[int, tuple[str, str]] = field(default_factory=dict)


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Stored values of the schools with these (country, external id) keys, levels and
    languages included."""
    found: dict[tuple[str, str], dict] = {}
    columns = [School.id, School.external_id, *(getattr(School, name) for name in _COMPARED)]
    by_country: dict[str, list[str]] = {}
    for country, external_id in keys:
        by_country.setdefault(country, []).append(external_id)
    for country, external_ids in sorted(by_country.items()):
        for chunk in _chunks(external_ids):
            query = select(*columns).where(
                School.country_code == country, School.external_id.in_(chunk)
            )
            for row in db.session.execute(query):
                found[(country, row.external_id)] = {**row._asdict(), "levels": [], "languages": []}
    by_id = {values["id"]: values for values in found.values()}
    for chunk in _chunks(list(by_id)):
        for school_id, level in db.session.execute(
            select(SchoolLevel.school_id, SchoolLevel.level).where(SchoolLevel.school_id.in_(chunk))
        ):
            by_id[school_id]["levels"].append(level.value)
        for school_id, language in db.session.execute(
            select(SchoolLanguage.school_id, SchoolLanguage.language).where(
                SchoolLanguage.school_id.in_(chunk)
            )
        ):
            by_id[school_id]["languages"].append(language)
    return found


def _plan(rows: list[dict]) -> _Plan:
    """Which rows create a school and which change one: a school is its country's external
    id (a row of another country with the same id is another school)."""
    stored = _existing([(row["country_code"], row["external_id"]) for row in rows])
    plan = _Plan(new=[], changed=[])
    for row in rows:
        current = stored.get((row["country_code"], row["external_id"]))
        if current is None:
            plan.new.append(row)
            continue
        differs = any(current[name] != row[name] for name in _COMPARED) or (
            sorted(current["levels"]) != row["levels"]
            or sorted(current["languages"]) != row["languages"]
        )
        if differs:
            plan.changed.append({**row, "id": current["id"]})
        if current["region_code"] != row["region_code"]:
            plan.moves[current["id"]] = (current["country_code"], current["region_code"])
    return plan


def _school_values(row: dict) -> dict:
    return {key: value for key, value in row.items() if key not in ("levels", "languages", "line")}


def _write(
    plan: _Plan, importer_id: int | None, progress: Callable[[int, int], None] | None
) -> None:
    """Insert the new schools and update the changed ones; ``progress(done, total)``."""
    now = utcnow()
    total = len(plan.new) + len(plan.changed)
    zones = dict(db.session.execute(select(Country.code, Country.timezone)).tuples().all())
    actor = db.session.get(User, importer_id) if importer_id is not None else None
    for chunk in _chunks(plan.new):
        values = [
            {
                **_school_values(row),
                "timezone": zones[row["country_code"]],
                "status": SchoolStatus.VERIFIED,
                "verified_at": now,
                "created_by_id": importer_id,
                "created_at": now,
                "updated_at": now,
            }
            for row in chunk
        ]
        ids = db.session.scalars(
            insert(School).returning(School.id, sort_by_parameter_order=True), values
        ).all()
        _write_links(list(zip(ids, chunk, strict=True)))
        if progress:
            progress(len(chunk), total)
    for chunk in _chunks(plan.changed):
        db.session.execute(
            update(School),
            [
                {
                    **_school_values(row),
                    "search_key": row["search_key"],
                    "timezone": zones[row["country_code"]],
                    "updated_at": now,
                }
                for row in chunk
            ],
        )
        ids = [row["id"] for row in chunk]
        db.session.execute(delete(SchoolLevel).where(SchoolLevel.school_id.in_(ids)))
        db.session.execute(delete(SchoolLanguage).where(SchoolLanguage.school_id.in_(ids)))
        _write_links([(row["id"], row) for row in chunk])
        _carry_moves(chunk, plan, zones, actor)
        if progress:
            progress(len(chunk), total)
    db.session.flush()


def _carry_moves(rows: list[dict], plan: _Plan, zones: dict[str, str], actor) -> None:
    """What moves with the schools the file moves to another region (app.schools.operations
    .move_school, set-based), with an audit entry for each."""
    rows = [row for row in rows if row["id"] in plan.moves]
    if not rows:
        return
    regions = {
        region.code: region
        for region in db.session.scalars(
            select(Region).where(Region.code.in_({row["region_code"] for row in rows}))
        )
    }
    moved = carry(
        {row["id"]: regions[row["region_code"]] for row in rows},
        {row["id"]: zones[row["country_code"]] for row in rows},
    )
    for row in rows:
        after = (row["country_code"], row["region_code"])
        record_move(row["id"], plan.moves[row["id"]], after, moved[row["id"]], actor)


def _write_links(pairs: list[tuple[int, dict]]) -> None:
    levels = [
        {"school_id": school_id, "level": EducationLevel(level)}
        for school_id, row in pairs
        for level in row["levels"]
    ]
    languages = [
        {"school_id": school_id, "language": code}
        for school_id, row in pairs
        for code in row["languages"]
    ]
    if levels:
        db.session.execute(insert(SchoolLevel), levels)
    if languages:
        db.session.execute(insert(SchoolLanguage), languages)
