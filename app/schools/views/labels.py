"""The eTwinning School label: a school admin asks for it, a coordinator decides."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.core.errors import Refused
from app.core.extensions import db
from app.core.school_years import school_year_label
from app.schools import labels
from app.schools.forms import DecisionForm, LabelRequestForm
from app.schools.loaders import load_school
from app.schools.models import LabelAward
from app.schools.views import bp


@bp.route("/schools/<int:school_id>/label", methods=["GET", "POST"])
@login_required
def request_label(school_id: int):
    school = load_school(school_id)
    policy.require(policy.can_request_label(current_user, school))
    if labels.waiting_request(school) is not None:
        flash(_("Your label request is waiting for the coordinator's decision."), "info")
        return redirect(url_for("schools.show", school_id=school.id))
    form = LabelRequestForm(years=labels.requestable_years(school, datetime.now(UTC).date()))
    if form.validate_on_submit():
        try:
            labels.request_label(school, form.year.data, current_user)
        except Refused as refusal:
            form.year.errors.append(str(refusal.reason))
        else:
            flash(_("Your request has been sent to your national coordinator."), "success")
            return redirect(url_for("schools.show", school_id=school.id))
    return render_template(
        "schools/label.html", school=school, form=form
    ), 422 if form.errors else 200


@bp.post("/label-requests/<int:award_id>")
@login_required
def decide_label(award_id: int):
    award = db.session.get(LabelAward, award_id)
    if award is None or not policy.can_view_school(current_user, award.school):
        abort(404)
    policy.require(policy.can_decide_label(current_user, award.school))
    form = DecisionForm()
    verify = bool(form.approve.data)
    if not verify and not (form.reason.data or "").strip():
        flash(_("Please give the school a reason when you refuse its label."), "danger")
        return redirect(url_for("schools.queue"))
    if form.validate_on_submit():
        labels.decide_label(award, current_user, verify, form.reason.data or "")
        values = {"school": award.school.name, "year": school_year_label(award.award_year)}
        if verify:
            flash(_("The label %(year)s of %(school)s is verified.", **values), "success")
        else:
            flash(_("The label %(year)s of %(school)s has been refused.", **values), "info")
    return redirect(url_for("schools.queue"))
