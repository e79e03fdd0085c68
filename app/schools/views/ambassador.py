"""Applying for ambassador status, and the coordinators' decisions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app import policy
from app.core.extensions import db
from app.schools import operations as schools
from app.schools import verification
from app.schools.enums import AmbassadorStatus, LabelStatus, SchoolStatus
from app.schools.forms import AmbassadorApplicationForm, DecisionForm
from app.schools.loaders import load_school
from app.schools.models import AmbassadorPeriod, LabelAward, School
from app.schools.views import bp


@bp.route("/schools/<int:school_id>/ambassador", methods=["GET", "POST"])
@login_required
def apply(school_id: int):
    school = load_school(school_id)
    policy.require(policy.can_apply_for_ambassador(current_user, school))
    pending = [p for p in school.ambassador_periods if p.status is AmbassadorStatus.APPLIED]
    form = AmbassadorApplicationForm(start=school.region.country.year_start)
    if pending:
        flash(_("Your application is waiting for the coordinator's decision."), "info")
        return redirect(url_for("schools.show", school_id=school.id))
    if form.validate_on_submit():
        schools.apply_for_ambassador(
            school, current_user, form.motivation.data, form.first_year.data, form.years.data
        )
        flash(_("Your application has been sent to your national coordinator."), "success")
        return redirect(url_for("schools.show", school_id=school.id))
    return render_template(
        "schools/apply.html", school=school, form=form
    ), 422 if form.errors else 200


#: The oldest requests first, this many of each kind on the page.
QUEUE_SHOWN = 50


@bp.get("/coordination")
@login_required
def queue():
    """What waits for a coordinator: schools to verify, ambassador applications and label
    requests."""
    policy.require(policy.is_staff(current_user))
    return queue_page()


def queue_page(refusal_errors: dict[int, str] | None = None) -> str:
    """The queue; ``refusal_errors`` (school id → message) put a message next to the
    reason of a refusal that was refused."""
    countries = None if policy.is_admin(current_user) else current_user.country_codes
    schools_query = select(School).where(
        School.status == SchoolStatus.PENDING, School.refused_at.is_(None)
    )
    periods_query = (
        select(AmbassadorPeriod)
        .join(School)
        .where(AmbassadorPeriod.status == AmbassadorStatus.APPLIED)
    )
    awards_query = select(LabelAward).join(School).where(LabelAward.status == LabelStatus.REQUESTED)
    if countries is not None:
        schools_query = schools_query.where(School.country_code.in_(countries))
        periods_query = periods_query.where(School.country_code.in_(countries))
        awards_query = awards_query.where(School.country_code.in_(countries))
    schools_waiting, applications_waiting, labels_waiting = (
        db.session.scalar(select(func.count()).select_from(query.subquery()))
        for query in (schools_query, periods_query, awards_query)
    )
    pending_schools = db.session.scalars(
        schools_query.options(joinedload(School.region))
        .order_by(School.created_at, School.id)
        .limit(QUEUE_SHOWN)
    ).all()
    recent = verification.decisions(countries=countries)
    return render_template(
        "schools/queue.html",
        pending_schools=pending_schools,
        duplicates=verification.possible_duplicates(list(pending_schools)),
        refusal_errors=refusal_errors or {},
        recent_decisions=recent,
        decided_schools={s.id: s for s in load_schools([d.school_id for d in recent])},
        applications=db.session.scalars(
            periods_query.options(selectinload(AmbassadorPeriod.school).joinedload(School.region))
            .order_by(AmbassadorPeriod.created_at, AmbassadorPeriod.id)
            .limit(QUEUE_SHOWN)
        ).all(),
        label_requests=db.session.scalars(
            awards_query.options(selectinload(LabelAward.school).joinedload(School.region))
            .order_by(LabelAward.created_at, LabelAward.id)
            .limit(QUEUE_SHOWN)
        ).all(),
        schools_waiting=schools_waiting,
        applications_waiting=applications_waiting,
        labels_waiting=labels_waiting,
        form=DecisionForm(formdata=None),
    )


def load_schools(ids: list[int]) -> list[School]:
    return list(db.session.scalars(select(School).where(School.id.in_(ids)))) if ids else []


@bp.post("/ambassador-applications/<int:period_id>")
@login_required
def decide(period_id: int):
    period = db.session.get(AmbassadorPeriod, period_id)
    if period is None or not policy.can_view_school(current_user, period.school):
        abort(404)
    policy.require(policy.can_decide_ambassador(current_user, period.school))
    form = DecisionForm()
    if period.status is not AmbassadorStatus.APPLIED:
        flash(_("This application has already been decided."), "info")
        return redirect(url_for("schools.queue"))
    approve = bool(form.approve.data)
    if not approve and not (form.reason.data or "").strip():
        flash(_("Please give the school a reason when you reject its application."), "danger")
        return redirect(url_for("schools.queue"))
    if form.validate_on_submit():
        schools.decide_ambassador(period, current_user, approve, form.reason.data or "")
        if approve:
            flash(
                _("%(school)s is now an ambassador school.", school=period.school.name), "success"
            )
        else:
            flash(
                _("The application of %(school)s has been rejected.", school=period.school.name),
                "info",
            )
    return redirect(url_for("schools.queue"))
