"""The certificates' pages: the public check of a code, and the PDFs.

The registrant downloads theirs by the signed link of their mails, in the language they
registered in; a school's members download their school's certificate of mentoring, in
their own language.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import login_required

from app.certificates import codes, documents
from app.certificates.forms import CodeForm
from app.certificates.loaders import load_attendance, load_mentoring
from app.core.extensions import limiter
from app.core.i18n import current_locale, normalise_locale
from app.core.security import page_family, secret_link, wait_message
from app.dashboards.report import pdf

bp = Blueprint("certificates", __name__, template_folder="templates")

#: The public check of a code: cheap for a person, and no oracle for someone guessing.
checks = limiter.shared_limit(
    lambda: current_app.config["CERTIFICATE_RATE_LIMIT"],
    scope="certificates",
    error_message=wait_message,
)


@bp.after_request
def _private(response):
    """Certificates name people: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/certificates")
@checks
def lookup():
    form = CodeForm(request.args)
    if "code" not in request.args:
        return render_template("certificates/verify.html", form=form, checked=False)
    if form.validate():
        return redirect(url_for(".verify", code=codes.normalise(form.code.data)))
    return render_template("certificates/verify.html", form=form, checked=False), 422


@bp.get("/certificates/<code>")
@checks
def verify(code: str):
    certificate = documents.find(code)
    form = CodeForm(formdata=None, code=code if certificate is None else None)
    page = render_template(
        "certificates/verify.html", form=form, checked=True, certificate=certificate, code=code
    )
    return page, 200 if certificate is not None else 404


@bp.get("/registrations/<token>/certificate.pdf")
@secret_link
@page_family("export")
def attendance_pdf(token: str):
    registration = load_attendance(token)
    locale = normalise_locale(registration.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return _pdf(documents.of_registration(registration), locale)


@bp.get("/mentoring/matches/<int:match_id>/certificate.pdf")
@login_required
@page_family("export")
def mentoring_pdf(match_id: int):
    match, side = load_mentoring(match_id, request.args.get("school", type=int))
    return _pdf(documents.of_match(match, side), current_locale())


def _pdf(certificate: documents.Certificate, locale: str) -> Response:
    with force_locale(locale):
        html = render_template(
            "certificates/certificate.html",
            certificate=certificate,
            locale=locale,
            issued_on=datetime.now(ZoneInfo(certificate.timezone)).date(),
            verify_url=url_for(".verify", code=certificate.code, _external=True),
        )
    return Response(
        pdf(html, current_app.static_folder),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{certificate.code}.pdf"'
        },
    )
