"""The calendar's export: its columns and rows, written in the request or, above
``JOBS_EXPORT_INLINE_ROWS`` rows, by a job (:mod:`app.jobs`) with a progress page."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.activities import queries as activity_queries
from app.activities.models import Activity
from app.activities.queries import ActivityFilters
from app.core import exports
from app.core.extensions import db
from app.core.i18n import country_name, current_locale, language_name, region_name
from app.core.timezones import to_local
from app.home.queries import short_labels
from app.jobs.models import Job
from app.jobs.operations import Outcome, Progress

LIMIT = 50_000
_DATES = ("date_from", "date_to")


def count(filters: ActivityFilters) -> int:
    """How many rows the export holds (at most :data:`LIMIT`)."""
    ids = activity_queries.filtered(filters, select(Activity.id)).limit(LIMIT).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def headers() -> list[str]:
    # Spreadsheets have no time zones: the start and end are the activity's wall-clock
    # times, and a column names its zone (a country's schools need not share one).
    return [
        _("Start"),
        _("End"),
        _("Time zone"),
        _("Type"),
        _("Title"),
        _("School"),
        _("Region"),
        _("Country"),
        _("How people take part"),
        _("Pillars"),
        _("Languages"),
        _("Status"),
        _("Teachers"),
        _("School leaders"),
        _("Students"),
        _("Parents"),
    ]


def rows(filters: ActivityFilters, progress: Progress | None = None) -> list[list]:
    query = activity_queries.with_details(activity_queries.filtered(filters))
    activities = db.session.scalars(query.order_by(Activity.starts_at, Activity.id).limit(LIMIT))
    labels = short_labels(current_locale())
    total = count(filters) if progress else 0
    found = []
    for activity in activities:
        found.append(
            [
                to_local(activity.starts_at, activity.timezone),
                to_local(activity.ends_at, activity.timezone),
                activity.timezone,
                str(activity.type.label),
                activity.title,
                activity.school.name,
                region_name(activity.school.region.name),
                country_name(activity.country_code),
                str(activity.mode.label),
                ", ".join(labels.get(code, code) for code in activity.pillar_codes),
                ", ".join(language_name(link.language) for link in activity.languages),
                str(activity.status.label),
                activity.participants_teachers,
                activity.participants_leaders,
                activity.participants_students,
                activity.participants_parents,
            ]
        )
        if progress and len(found) % 1000 == 0:
            progress(len(found), total)
    return found


def file_name(country_code: str) -> str:
    return f"activities-{country_code}-{datetime.now(UTC):%Y%m%d}"


def sheet_name(country_code: str) -> str:
    return _("Activities in %(country)s", country=country_name(country_code))


def job_params(filters: ActivityFilters, fmt: str, separator: str) -> dict:
    values = asdict(filters)
    for name in _DATES:
        values[name] = values[name] and values[name].isoformat()
    return {"filters": values, "format": fmt, "separator": separator}


def run_job(job: Job, progress: Progress) -> Outcome:
    """The export a calendar page asked for, as a file to download."""
    values = dict(job.params["filters"])
    for name in _DATES:
        values[name] = values[name] and date.fromisoformat(values[name])
    filters = ActivityFilters(**values)
    found = rows(filters, progress)
    name = file_name(filters.country or "")
    body, mimetype, extension = exports.file_bytes(
        job.params["format"],
        headers(),
        found,
        sheet=sheet_name(filters.country or ""),
        separator=job.params["separator"],
    )
    return Outcome(
        result={"rows": len(found)},
        output=body,
        output_name=f"{name}.{extension}",
        output_type=mimetype,
    )
