"""Importing schools from a CSV upload: check first, then confirm."""

from __future__ import annotations

import csv
import io
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.core import audit
from app.schools.forms import SchoolImportForm
from app.schools.import_rows import OPTIONAL, REQUIRED
from app.schools.importing import import_schools
from app.schools.views import bp

#: Uploads waiting for confirmation are kept this long.
KEEP_SECONDS = 3600


def _upload_dir() -> Path:
    directory = Path(current_app.instance_path) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.csv"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return directory


def _run(raw: bytes, dry_run: bool):
    return import_schools(
        raw,
        importer_id=current_user.id,
        allowed_countries=policy.importable_countries(current_user),
        today=datetime.now(UTC).date(),
        dry_run=dry_run,
    )


@bp.route("/schools/import", methods=["GET", "POST"])
@login_required
def import_upload():
    policy.require(policy.can_import_schools(current_user))
    form = SchoolImportForm()
    report = None
    if form.validate_on_submit():
        raw = form.file.data.read()
        report = _run(raw, dry_run=True)
        if report.ok:
            token = secrets.token_urlsafe(16)
            (_upload_dir() / f"{token}.csv").write_bytes(raw)
            session["school_import"] = token
    status = 422 if form.errors or (report is not None and not report.ok) else 200
    return render_template("schools/import.html", form=form, report=report), status


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


@bp.post("/schools/import/confirm")
@login_required
def import_confirm():
    policy.require(policy.can_import_schools(current_user))
    token = session.pop("school_import", None)
    path = _upload_dir() / f"{token}.csv" if token else None
    if path is None or not path.exists():
        flash(_("The checked file is no longer available. Please upload it again."), "warning")
        return redirect(url_for("schools.import_upload"))
    raw = path.read_bytes()
    path.unlink(missing_ok=True)
    report = _run(raw, dry_run=False)
    if not report.ok:  # the database changed since the check: nothing was written
        return render_template("schools/import.html", form=SchoolImportForm(), report=report), 409
    audit.record(
        "school.import",
        actor=current_user,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
    )
    flash(
        _(
            "Import finished: %(created)s schools created, %(updated)s updated, "
            "%(unchanged)s unchanged.",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        ),
        "success",
    )
    return redirect(url_for("schools.queue"))
