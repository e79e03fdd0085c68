"""A job's page (progress, then its result or its file), its state for the progress bar,
and the admin's list of jobs with a retry for the failed ones."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from app import policy
from app.core import audit
from app.core.database import utcnow
from app.core.extensions import db
from app.core.jobs import queue_state
from app.core.pagination import BadCursor, kept_filters, paginate
from app.jobs import operations
from app.jobs.kinds import KINDS
from app.jobs.models import Job, JobStatus

bp = Blueprint("jobs", __name__, template_folder="templates")

#: Each state of a job, as the pages name it.
STATUS_LABELS = {
    JobStatus.QUEUED: _l("Waiting to start"),
    JobStatus.RUNNING: _l("Running"),
    JobStatus.DONE: _l("Finished"),
    JobStatus.FAILED: _l("Failed"),
}


@bp.app_context_processor
def job_helpers() -> dict:
    return {"job_kinds": KINDS, "job_status_labels": STATUS_LABELS}


def _job(token: str, *options) -> Job:
    """The job of this address: one started by a user is shown to that user (and admins)
    only; one started without an account, to whoever has its address."""
    job = db.session.scalar(select(Job).where(Job.token == token).options(*options))
    if job is None or job.expires_at <= utcnow():
        abort(404)
    if job.user_id is not None and not (
        policy.is_admin(current_user)
        or (current_user.is_authenticated and current_user.id == job.user_id)
    ):
        abort(404)
    return job


def _state(job: Job) -> dict:
    found = operations.progress(job)
    percent = None if found is None else min(100, 100 * found[0] // max(found[1], 1))
    return {
        "status": job.status,
        "label": str(STATUS_LABELS[JobStatus(job.status)]),
        "finished": job.finished,
        "percent": percent,
        "done": found[0] if found and job.status == JobStatus.RUNNING else None,
        "total": found[1] if found and job.status == JobStatus.RUNNING else None,
    }


@bp.get("/jobs/<token>")
def show(token: str):
    job = _job(token)
    state = _state(job)
    headers = {"Cache-Control": "no-store"}
    return (
        render_template("jobs/show.html", job=job, kind=KINDS[job.kind], state=state),
        200,
        headers,
    )


@bp.get("/jobs/<token>/state")
def state(token: str):
    """What the progress bar shows, asked for every second or so by the job page."""
    response = jsonify(_state(_job(token)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<token>/download")
def download(token: str):
    job = _job(token, undefer(Job.output))
    if job.status != JobStatus.DONE or job.output is None:
        abort(404)
    return Response(
        job.output,
        mimetype=job.output_type,
        headers={
            "Content-Disposition": f'attachment; filename="{job.output_name}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/admin/jobs")
@login_required
def admin_list():
    policy.require(policy.is_admin(current_user))
    chosen = request.args.get("status") or None
    if chosen is not None and chosen not in STATUS_LABELS:
        abort(400)
    query = select(Job)
    if chosen:
        query = query.where(Job.status == chosen)
    try:
        page = paginate(query, [Job.id], request.args.get("after"), 50, descending=True)
    except BadCursor:
        abort(400)
    page.keep = kept_filters(["status"])
    counts = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return render_template(
        "jobs/admin.html",
        page=page,
        chosen=chosen,
        queues=queue_state(),
        counts={status: counts.get(status, 0) for status in STATUS_LABELS},
    )


@bp.post("/admin/jobs/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    policy.require(policy.is_admin(current_user))
    if db.session.get(Job, job_id) is None:
        abort(404)
    if operations.retry(job_id):
        audit.record("job.retry", actor=current_user, object_type="job", object_id=job_id)
        flash(_("The job will run again."), "success")
    else:
        flash(_("Only a failed job that has not expired can run again."), "info")
    return redirect(url_for("jobs.admin_list", status=JobStatus.FAILED))
