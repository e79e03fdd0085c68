"""The organising school's pages: who registered, the waiting list, a message to all,
the sign-in sheet and the check-in on the day."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core import audit, exports
from app.core.database import utcnow, writes
from app.core.errors import Refused
from app.core.timezones import to_local
from app.registrations import feedback, queries
from app.registrations import operations as registrations
from app.registrations.attendance import WalkIn, add_walk_in, attendance, can_check_in, mark_present
from app.registrations.enums import NextStep, RegistrationStatus
from app.registrations.forms import MessageForm, WalkInForm
from app.registrations.loaders import load_organised
from app.registrations.places import closes_at, is_open, places
from app.registrations.views import bp

EXPORT_FORMATS = ("csv", "xlsx")


@bp.get("/activities/<int:activity_id>/registrations")
@login_required
def organiser_list(activity_id: int, message_form: MessageForm | None = None):
    activity = load_organised(activity_id)
    rows = queries.for_activity(activity.id)
    return render_template(
        "registrations/organiser_list.html",
        activity=activity,
        sections=_sections(rows),
        places=places(activity.id, activity.capacity),
        is_open=is_open(activity),
        closes_at=closes_at(activity),
        checked_in=attendance(activity.id),
        can_check_in=can_check_in(activity),
        message_form=message_form or MessageForm(formdata=None),
        survey=feedback.for_activity(activity.id),
        steps=list(NextStep),
    ), 422 if message_form is not None and message_form.errors else 200


def _sections(rows) -> list[tuple[str, str, list]]:
    """(key, heading, rows) of the list, in its order; empty sections are left out."""
    headings = {
        RegistrationStatus.CONFIRMED: _("With a place"),
        RegistrationStatus.WAITLISTED: _("Waiting list"),
        RegistrationStatus.PENDING: _("Address not confirmed yet"),
        RegistrationStatus.CANCELLED: _("Cancelled"),
    }
    grouped: dict[RegistrationStatus, list] = {}
    for row in rows:
        grouped.setdefault(row.status, []).append(row)
    return [
        (status.value, headings[status], grouped[status])
        for status in headings
        if status in grouped
    ]


@bp.get("/activities/<int:activity_id>/registrations.<fmt>")
@login_required
@writes  # the audit entry of a download of personal data
def export(activity_id: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    activity = load_organised(activity_id)
    headers = [
        _("Status"), _("Place on the waiting list"), _("Name"), _("E-mail"), _("School"),
        _("Region"), _("People"), _("Registered (%(zone)s)", zone=activity.timezone), _("Present"),
    ]  # fmt: skip
    rows, waiting = [], 0
    for row in queries.for_activity(activity.id):
        if row.status is RegistrationStatus.WAITLISTED:
            waiting += 1
        rows.append(
            [
                _("Walk-in") if row.walk_in else str(row.status.label),
                waiting if row.status is RegistrationStatus.WAITLISTED else None,
                row.name,
                row.email,
                row.school_label,
                row.region_code or "",
                row.people,
                to_local(row.created_at, activity.timezone),
                row.attended,
            ]
        )
    audit.record(
        "registrations.export",
        actor=current_user,
        object_type="activity",
        object_id=activity.id,
        country_code=activity.country_code,
        format=fmt,
    )
    sheet = _("Registrations %(day)s", day=to_local(activity.starts_at, activity.timezone).date())
    return exports.download(fmt, f"registrations-{activity.id}", headers, rows, sheet=sheet)


@bp.post("/activities/<int:activity_id>/registrations/message")
@login_required
def message(activity_id: int):
    activity = load_organised(activity_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return organiser_list(activity_id, message_form=form)
    sent = registrations.message_all(activity, form.subject.data, form.body.data, current_user)
    flash(
        ngettext(
            "Your message is on its way to %(num)s registrant.",
            "Your message is on its way to %(num)s registrants.",
            sent,
        ),
        "success",
    )
    return redirect(url_for(".organiser_list", activity_id=activity.id))


@bp.get("/activities/<int:activity_id>/sign-in-sheet")
@login_required
def sign_in_sheet(activity_id: int):
    activity = load_organised(activity_id)
    rows = [
        row
        for row in queries.for_activity(activity.id)
        if row.status is RegistrationStatus.CONFIRMED and not row.walk_in
    ]
    return render_template("registrations/sign_in_sheet.html", activity=activity, rows=rows)


@bp.route("/activities/<int:activity_id>/check-in", methods=["GET", "POST"])
@login_required
def check_in(activity_id: int):
    activity = load_organised(activity_id)
    if request.method == "GET":
        return _check_in_page(activity, WalkInForm(formdata=None, activity=activity))
    present = {int(value) for value in request.form.getlist("present") if value.isdigit()}
    try:
        mark_present(activity, present)
    except Refused as refusal:
        flash(str(refusal.reason), "warning")
    else:
        flash(_("The attendance has been saved."), "success")
    return redirect(url_for(".check_in", activity_id=activity.id))


def _check_in_page(activity, walk_in_form: WalkInForm):
    rows = queries.for_activity(activity.id)
    page = render_template(
        "registrations/check_in.html",
        activity=activity,
        registered=[r for r in rows if r.status is RegistrationStatus.CONFIRMED and not r.walk_in],
        walk_ins=[r for r in rows if r.walk_in],
        checked_in=attendance(activity.id),
        open_now=can_check_in(activity),
        now=utcnow(),
        walk_in_form=walk_in_form,
    )
    return page, 422 if walk_in_form.errors else 200


@bp.post("/activities/<int:activity_id>/walk-ins")
@login_required
def walk_in(activity_id: int):
    activity = load_organised(activity_id)
    form = WalkInForm(activity=activity)
    if not form.validate_on_submit():
        return _check_in_page(activity, form)
    try:
        add_walk_in(
            activity, WalkIn(name=form.name.data, people=form.people.data, **form.school_data())
        )
    except Refused as refusal:
        flash(str(refusal.reason), "warning")
    else:
        flash(_("%(name)s has been added as present.", name=form.name.data), "success")
    return redirect(url_for(".check_in", activity_id=activity.id))
