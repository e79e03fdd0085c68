"""Importing schools from a CSV upload: a job checks it, then, confirmed, another imports it.

Both run as jobs (:mod:`app.jobs`) whose page shows their progress and then their result:
the request that takes the upload only stores it, so 100,000 schools do not hold a web
worker for the 20 seconds or so they take.
"""

from __future__ import annotations

import csv
import io

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from app import policy
from app.core.database import utcnow
from app.core.extensions import db
from app.core.safety import accepts_large_uploads
from app.jobs import operations as jobs
from app.jobs.models import Job, JobStatus
from app.schools.forms import SchoolImportForm
from app.schools.import_rows import OPTIONAL, REQUIRED
from app.schools.views import bp


@bp.route("/schools/import", methods=["GET", "POST"])
@accepts_large_uploads("IMPORT_MAX_CONTENT_LENGTH")
@login_required
def import_upload():
    policy.require(policy.can_import_schools(current_user))
    form = SchoolImportForm()
    if form.validate_on_submit():
        job = jobs.start("schools.check", input=form.file.data.read(), user_id=current_user.id)
        db.session.commit()
        return redirect(url_for("jobs.show", token=job.token), 303)
    status = 422 if form.errors else 200
    return render_template("schools/import.html", form=form), status


#: The template's example row, under the header of every column the import knows.
TEMPLATE_EXAMPLE = {
    "external_id": "TR-0001",
    "name": "Atatürk Anadolu Lisesi",
    "country": "TR",
    "region": "TR-06",
    "city": "Ankara",
    "website": "https://ataturk-al.example.org",
    "levels": "upper_secondary",
    "languages": "tr|en",
    "label_year": "2024",
    "pupil_count": "850",
    "contact_name": "Ayşe Yılmaz",
    "contact_email": "info@ataturk-al.example.org",
}


@bp.get("/schools/import/template.csv")
@login_required
def import_template():
    """A CSV file to fill in: UTF-8 with a byte order mark, so that Excel reads it right."""
    policy.require(policy.can_import_schools(current_user))
    columns = [*REQUIRED, *OPTIONAL]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([columns, [TEMPLATE_EXAMPLE[name] for name in columns]])
    response = make_response("\ufeff" + out.getvalue())
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="schools-template.csv"'
    return response


@bp.post("/schools/import/<token>/confirm")
@login_required
def import_confirm(token: str):
    """Import the file of a check that found no problem, once."""
    policy.require(policy.can_import_schools(current_user))
    check = db.session.scalar(
        select(Job)
        .where(Job.token == token, Job.kind == "schools.check")
        .options(undefer(Job.input))
    )
    if check is None or check.user_id != current_user.id:
        abort(404)
    raw = check.input
    usable = (
        check.status == JobStatus.DONE
        and check.result["ok"]
        and raw is not None
        and check.expires_at > utcnow()
    )
    # The check's file goes to the import: a second confirmation finds none.
    taken = db.session.execute(
        update(Job).where(Job.id == check.id, Job.input.is_not(None)).values(input=None)
    ).rowcount
    if not usable or taken != 1:
        db.session.rollback()
        flash(_("The checked file is no longer available. Please upload it again."), "warning")
        return redirect(url_for("schools.import_upload"))
    job = jobs.start("schools.import", input=raw, user_id=current_user.id)
    check.result = {**check.result, "import": job.token}
    db.session.commit()
    return redirect(url_for("jobs.show", token=job.token), 303)
