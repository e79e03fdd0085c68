"""The CSV import of schools as two jobs: the check of an upload, then (confirmed on the
check's page) the import of the same file. Run by :mod:`app.jobs`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from app import policy
from app.accounts.models import User
from app.core import audit
from app.core.extensions import db
from app.jobs.models import Job
from app.jobs.operations import Outcome, Progress
from app.schools.import_rows import ImportReport
from app.schools.importing import import_schools

#: Errors kept for the page (the count says how many there were in all).
SHOWN_ERRORS = 500


def _result(report: ImportReport) -> dict:
    return {
        "ok": report.ok,
        "encoding": report.encoding,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "error_count": len(report.errors),
        "errors": [
            {"line": error.line, "column": error.column, "message": str(error.message)}
            for error in report.errors[:SHOWN_ERRORS]
        ],
    }


def _import(job: Job, progress: Progress, *, dry_run: bool) -> ImportReport:
    """Checking takes the first half of the bar when writing follows, all of it if not."""
    user = db.session.get(User, job.user_id) if job.user_id is not None else None
    share = 1000 if dry_run else 500
    written = 0

    def checking(rows: int, about: int) -> None:
        progress(share * rows // about, 1000)

    def writing(more: int, total: int) -> None:
        nonlocal written
        written += more
        progress(500 + 500 * written // max(total, 1), 1000)

    return import_schools(
        job.input or b"",
        importer_id=job.user_id,
        allowed_countries=policy.importable_countries(user) if user is not None else set(),
        today=datetime.now(UTC).date(),
        dry_run=dry_run,
        progress=writing,
        checking=checking,
    )


def check(job: Job, progress: Progress) -> Outcome:
    """Check an upload and say what importing it would do; writes nothing."""
    return Outcome(result=_result(_import(job, progress, dry_run=True)))


def write(job: Job, progress: Progress) -> Outcome:
    """Import the file checked before: all of it, or (when the database changed since the
    check and a row no longer fits) nothing, with the rows that failed."""
    report = _import(job, progress, dry_run=False)
    if report.ok:
        audit.record(
            "school.import",
            actor=db.session.get(User, job.user_id) if job.user_id is not None else None,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
        )
    # The file has done its work: the job keeps its result, not the schools' contacts.
    db.session.execute(update(Job).where(Job.id == job.id).values(input=None))
    return Outcome(result=_result(report))
