"""Starting, running, retrying and forgetting jobs.

:func:`start` writes the job in the caller's transaction and enqueues it for after the
commit (:func:`app.core.jobs.enqueue`): on a worker with a broker, in this process right
after the commit without one. :func:`run` claims the job with one conditional UPDATE (a
queued job, or a running one whose worker has not finished within ``JOBS_CLAIM_SECONDS``:
it died), so two workers never run it at once, and commits the claim. The kind's function
then works in a transaction of its own, which also records the result: the work and
"done" are committed together, or neither is, and the job is marked failed with the
reason for the admin, who may start it again.

How far a running job is lives in the cache (shared by the workers with Redis), not in the
database: the work holds the write lock on SQLite until it commits.
"""

from __future__ import annotations

import importlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, delete, or_, select, update

from app.core.database import utcnow
from app.core.extensions import cache, db
from app.core.i18n import current_locale
from app.core.jobs import celery, enqueue
from app.jobs.kinds import KINDS
from app.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

#: ``progress(done, total)``: how far the work is, in whatever units it counts.
Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    """What a job's function returns: a result for its page, and perhaps a file."""

    result: dict = field(default_factory=dict)
    output: bytes | None = None
    output_name: str | None = None
    output_type: str | None = None


def start(
    kind: str,
    *,
    params: dict | None = None,
    input: bytes | None = None,
    user_id: int | None = None,
) -> Job:
    """A queued job of ``kind``, run once the caller's transaction commits. Flushes."""
    now = utcnow()
    job = Job(
        token=secrets.token_urlsafe(32),
        kind=kind,
        status=JobStatus.QUEUED,
        user_id=user_id,
        locale=current_locale(),
        params=params or {},
        input=input,
        created_at=now,
        expires_at=now + KINDS[kind].keep,
    )
    db.session.add(job)
    db.session.flush()
    enqueue(run, job.id)
    return job


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def reporter(job_id: int) -> Progress:
    """A ``progress`` for the job that writes at most one update per whole per cent."""
    shown = -1

    def report(done: int, total: int) -> None:
        nonlocal shown
        percent = 100 * done // total if total else 0
        if percent != shown:
            shown = percent
            cache.set(_progress_key(job_id), [done, total], timeout=24 * 3600)

    return report


def progress(job: Job) -> tuple[int, int] | None:
    """(done, total) of a job: complete when it is done, unknown while no report came."""
    if job.status == JobStatus.DONE:
        return (1, 1)
    if job.status != JobStatus.RUNNING:
        return None
    found = cache.get(_progress_key(job.id))
    return (found[0], found[1]) if found else None


def _claimable(now: datetime):
    lease = timedelta(seconds=current_app.config["JOBS_CLAIM_SECONDS"])
    return or_(
        Job.status == JobStatus.QUEUED,
        and_(Job.status == JobStatus.RUNNING, Job.started_at < now - lease),
    )


def claim(job_id: int) -> bool:
    """Take the job for this worker; False when it is done, failed or being run. Commits."""
    now = utcnow()
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, _claimable(now))
        .values(status=JobStatus.RUNNING, started_at=now, attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _function(kind: str) -> Callable[[Job, Progress], Outcome]:
    module, _, name = KINDS[kind].function.partition(":")
    return getattr(importlib.import_module(module), name)


@celery.task(name="exports.run_job")
def run(job_id: int) -> str:
    """Run one job, once. Safe to run any number of times."""
    if not claim(job_id):
        return "skipped"
    job = db.session.get(Job, job_id)
    kind = job.kind
    try:
        with force_locale(job.locale):
            outcome = _function(kind)(job, reporter(job_id))
        job.status = JobStatus.DONE
        job.result = outcome.result
        job.output = outcome.output
        job.output_name = outcome.output_name
        job.output_type = outcome.output_type
        job.error = None
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        _failed(job_id, f"{type(error).__name__}: {error}"[:2000])
        return "failed"
    finally:
        cache.delete(_progress_key(job_id))
    return "done"


def _failed(job_id: int, reason: str) -> None:
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.FAILED, error=reason, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def retry(job_id: int) -> bool:
    """Start a failed job again, from the beginning. Flushes."""
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.FAILED, Job.expires_at > utcnow())
        .values(status=JobStatus.QUEUED, error=None, started_at=None, finished_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    enqueue(run, job_id)
    return True


def sweep(now: datetime, limit: int = 100) -> int:
    """A periodic task: forget the jobs past their time, with their files, and enqueue the
    ones whose task was lost (queued while the broker was away, or whose worker died).
    Returns how many were enqueued."""
    db.session.execute(delete(Job).where(Job.expires_at <= now))
    waiting = timedelta(minutes=10)
    ids = db.session.scalars(
        select(Job.id)
        .where(
            _claimable(now),
            or_(Job.status != JobStatus.QUEUED, Job.created_at < now - waiting),
        )
        .order_by(Job.id)
        .limit(limit)
    ).all()
    for job_id in ids:
        enqueue(run, job_id)
    return len(ids)
