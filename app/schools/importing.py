"""Importing schools from CSV: validated row by row, applied all at once or not at all.

The file is UTF-8 (with or without BOM), separated by ``,`` or ``;``, with LF or
CRLF line ends and a header row. ``external_id`` (unique within a country) makes the
import idempotent: a row whose school exists already in its country updates it, and
importing the same file twice changes nothing the second time. Rows are written in bulk,
so 100,000 schools take seconds, not minutes. A ``label_year`` records a verified award
of the eTwinning School label (only coordinators and admins import); an empty cell never
erases a label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, insert, select, update

from app.accounts.models import User
from app.core.database import utcnow
from app.core.extensions import db
from app.geography.models import Country, Region
from app.schools.enums import EducationLevel, LabelStatus, SchoolStatus
from app.schools.import_rows import ImportReport, Validator, read_rows
from app.schools.labels import record_imported
from app.schools.models import LabelAward, School, SchoolLanguage, SchoolLevel
from app.schools.operations import carry, record_move

_CHUNK = 2000


def import_schools(
    raw: bytes,
    *,
    importer_id: int | None,
    allowed_countries: set[str] | None,
    today: date,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    checking: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row; unless ``dry_run`` or any row failed, write them all. Flushes.

    ``checking(rows, about)`` is told every 2,000 rows how many were checked, of about how
    many (the file's line count); ``progress(written, total)`` after each chunk written,
    how many more were written."""
    report = ImportReport()
    validator = Validator(allowed_countries, today)
    rows: list[dict] = []
    about = max(raw.count(b"\n"), 1)
    for line, row in read_rows(raw, report):
        report.rows += 1
        if checking and report.rows % _CHUNK == 0:
            checking(report.rows, max(about, report.rows))
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
    #: school id → its stored values, for the schools the file moves to another region
    moves: dict[int, dict] = field(default_factory=dict)


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Stored values of the schools with these (country, external id) keys, levels and
    languages included."""
    found: dict[tuple[str, str], dict] = {}
    columns = [
        School.id,
        School.external_id,
        School.timezone,
        *(getattr(School, name) for name in _COMPARED),
    ]
    by_country: dict[str, list[str]] = {}
    for country, external_id in keys:
        by_country.setdefault(country, []).append(external_id)
    for country, external_ids in sorted(by_country.items()):
        for chunk in _chunks(external_ids):
            query = select(*columns).where(
                School.country_code == country, School.external_id.in_(chunk)
            )
            for row in db.session.execute(query):
                found[(country, row.external_id)] = {
                    **row._asdict(),
                    "levels": [],
                    "languages": [],
                    "awards": set(),
                }
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
        for school_id, year in db.session.execute(
            select(LabelAward.school_id, LabelAward.award_year).where(
                LabelAward.school_id.in_(chunk), LabelAward.status == LabelStatus.VERIFIED
            )
        ):
            by_id[school_id]["awards"].add(year)
    return found


def _plan(rows: list[dict]) -> _Plan:
    """Which rows create a school and which change one: a school is its country's external
    id (a row of another country with the same id is another school)."""
    stored = _existing([(row["country_code"], row["external_id"]) for row in rows])
    plan = _Plan(new=[], changed=[])
    for row in rows:
        current = stored.get((row["country_code"], row["external_id"]))
        if current is None:
            plan.new.append({**row, "label_year": row["label"]})
            continue
        label, held = row["label"], current["label_year"]
        row["label_year"] = max(label, held) if None not in (label, held) else label or held
        differs = any(current[name] != row[name] for name in _COMPARED) or (
            sorted(current["levels"]) != row["levels"]
            or sorted(current["languages"]) != row["languages"]
            or (label is not None and label not in current["awards"])
        )
        if differs:
            plan.changed.append({**row, "id": current["id"]})
        if current["region_code"] != row["region_code"]:
            plan.moves[current["id"]] = current
    return plan


def _school_values(row: dict) -> dict:
    return {
        key: value
        for key, value in row.items()
        if key not in ("levels", "languages", "line", "label")
    }


def _write(
    plan: _Plan, importer_id: int | None, progress: Callable[[int, int], None] | None
) -> None:
    """Insert the new schools and update the changed ones; ``progress(done, total)``."""
    now = utcnow()
    total = len(plan.new) + len(plan.changed)
    zones = dict(db.session.execute(select(Country.code, Country.timezone)).tuples().all())
    actor = db.session.get(User, importer_id) if importer_id is not None else None
    awards: dict[int, int | None] = {}
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
        awards.update({ident: row["label"] for ident, row in zip(ids, chunk, strict=True)})
        if progress:
            progress(len(chunk), total)
    for chunk in _chunks(plan.changed):
        db.session.execute(
            update(School),
            [
                {**_school_values(row), "search_key": row["search_key"], "updated_at": now}
                for row in chunk
            ],
        )
        ids = [row["id"] for row in chunk]
        db.session.execute(delete(SchoolLevel).where(SchoolLevel.school_id.in_(ids)))
        db.session.execute(delete(SchoolLanguage).where(SchoolLanguage.school_id.in_(ids)))
        _write_links([(row["id"], row) for row in chunk])
        _carry_moves(chunk, plan, actor)
        awards.update({row["id"]: row["label"] for row in chunk})
        if progress:
            progress(len(chunk), total)
    # A label in the file is a verified award, the importer being a coordinator of the
    # row's country (or the command line's operator): app.schools.labels.
    record_imported({ident: year for ident, year in awards.items() if year is not None}, actor)
    db.session.flush()


def _carry_moves(rows: list[dict], plan: _Plan, actor) -> None:
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
        {row["id"]: plan.moves[row["id"]]["timezone"] for row in rows},  # zones stay
    )
    for row in rows:
        stored = plan.moves[row["id"]]
        before = (stored["country_code"], stored["region_code"])
        after = (row["country_code"], row["region_code"])
        record_move(row["id"], before, after, moved[row["id"]], actor)


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
