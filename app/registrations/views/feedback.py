"""The survey after the activity: the attendee's page, and the coordinators' summary of
their country."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.core.collation import collated
from app.core.errors import Refused
from app.core.extensions import db
from app.core.i18n import region_name
from app.core.school_years import school_year_bounds, school_year_label, school_year_of
from app.core.security import secret_link
from app.dashboards.declaration import Period
from app.dashboards.loaders import cached_figures
from app.geography.models import Country
from app.registrations import feedback, newcomers
from app.registrations.enums import NextStep
from app.registrations.forms import FeedbackForm
from app.registrations.loaders import load_by_token
from app.registrations.models import Registration
from app.registrations.views import bp


@bp.route("/registrations/<token>/feedback", methods=["GET", "POST"])
@secret_link
def feedback_form(token: str):
    registration: Registration = load_by_token(token)
    if not feedback.can_answer(registration):
        abort(404)
    form = FeedbackForm()
    answered_before = registration.feedback is not None
    if not answered_before and form.validate_on_submit():
        try:
            feedback.answer(
                registration,
                form.rating.data,
                NextStep(form.next_step.data),
                form.comment.data or "",
            )
        except Refused as refusal:
            flash(str(refusal.reason), "info")
        else:
            flash(_("Thank you for your answer: it helps the school and the network."), "success")
        return redirect(url_for(".feedback_form", token=token))
    page = render_template(
        "registrations/feedback.html",
        registration=registration,
        activity=registration.activity,
        form=form,
        answered=answered_before,
    )
    if form.errors:
        return page, 422
    return page, 409 if answered_before and request.method == "POST" else 200


@bp.get("/dashboards/<cc>/feedback")
@login_required
def country_feedback(cc: str):
    country = db.session.get(Country, cc.upper()) if len(cc) == 2 else None
    if country is None or cc != country.code:
        abort(404)
    policy.require(policy.can_view_dashboard(current_user, country.code))
    start = country.year_start
    current = school_year_of(datetime.now(UTC).date(), start)
    year = request.args.get("year", current, type=int)
    if not 2000 <= year <= current + 1:
        abort(400)
    first, last = school_year_bounds(year, start)
    summary = feedback.for_country(country.code, first, last)
    period = Period(first, last, country.timezone)
    arrivals = cached_figures(
        country,
        ("newcomers", first, last),
        lambda: newcomers.funnel(country.code, None, *period.bounds),
    )
    names = {region.code: region_name(region.name) for region in country.regions}
    regions = collated(
        [(names.get(code, code), group) for code, group in summary.by_region.items()],
        lambda row: row[0],
    )
    return render_template(
        "registrations/country_feedback.html",
        country=country,
        year=year,
        years=list(range(current, current - 5, -1)),
        year_label=school_year_label,
        summary=summary,
        regions=regions,
        arrivals=arrivals,
        arrival_labels={key: str(label) for key, label in newcomers.STEPS.items()},
        small_group=feedback.SMALL_GROUP,
        steps=list(NextStep),
    )
