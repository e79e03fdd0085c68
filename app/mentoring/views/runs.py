"""Coordinators run the matching for a country or region, review it, confirm or discard it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.core.database import utcnow
from app.core.extensions import db
from app.core.pagination import BadCursor, paginate
from app.geography.models import Country
from app.mentoring import operations as mentoring
from app.mentoring import pool, runs
from app.mentoring.forms import RunForm
from app.mentoring.loaders import load_run
from app.mentoring.models import (
    Match,
    MatchRun,
    MentoringRequest,
    MentorProfile,
    UnmatchedRequest,
)
from app.mentoring.views import bp

UNMATCHED_PER_PAGE = 50


def _countries() -> list[str]:
    codes = db.session.scalars(select(Country.code)).all()
    return sorted(code for code in codes if policy.can_run_matching(current_user, code))


@bp.route("/run", methods=["GET", "POST"])
@login_required
def run():
    countries = _countries()
    policy.require(bool(countries))
    form = RunForm(countries=countries)
    if form.validate_on_submit():
        match_run = runs.run_matching(form.country.data, form.region.data or None, current_user)
        return redirect(url_for("mentoring.show_run", run_id=match_run.id))
    recent = db.session.scalars(
        select(MatchRun)
        .where(MatchRun.country_code.in_(countries))
        .order_by(MatchRun.created_at.desc())
        .limit(10)
    ).all()
    waiting = {code: pool.waiting_count(code) for code in countries}
    return render_template(
        "mentoring/run.html", form=form, recent=recent, waiting=waiting
    ), 422 if form.errors else 200


@bp.get("/runs/<int:run_id>")
@login_required
def show_run(run_id: int):
    match_run = load_run(run_id)
    proposals = db.session.scalars(
        select(Match)
        .where(Match.run_id == match_run.id)
        .options(
            selectinload(Match.request).selectinload(MentoringRequest.school),
            selectinload(Match.mentor).selectinload(MentorProfile.user),
            selectinload(Match.mentor).selectinload(MentorProfile.school),
        )
        .order_by(Match.score.desc(), Match.id)
    ).all()
    left = select(UnmatchedRequest).where(UnmatchedRequest.run_id == match_run.id)
    left = left.options(
        selectinload(UnmatchedRequest.request).selectinload(MentoringRequest.school)
    )
    try:
        unmatched = paginate(
            left, [UnmatchedRequest.id], request.args.get("after"), UNMATCHED_PER_PAGE
        )
    except BadCursor:
        abort(400)
    return render_template(
        "mentoring/run_result.html",
        run=match_run,
        proposals=proposals,
        unmatched=unmatched,
        today=utcnow().date(),
        is_draft=runs.is_draft(match_run),
    )


@bp.post("/runs/<int:run_id>/confirm")
@login_required
def confirm_run(run_id: int):
    return _settle(run_id, runs.confirm_run, _sent, "success")


@bp.post("/runs/<int:run_id>/discard")
@login_required
def discard_run(run_id: int):
    return _settle(run_id, runs.discard_run, _discarded, "info")


def _sent(count: int) -> str:
    return ngettext(
        "%(num)s proposal has been sent to its mentor.",
        "%(num)s proposals have been sent to the mentors.",
        count,
    )


def _discarded(count: int) -> str:
    return ngettext(
        "The draft has been discarded with its %(num)s proposal.",
        "The draft has been discarded with its %(num)s proposals.",
        count,
    )


def _settle(run_id: int, settle, said, category: str):
    """Confirm or discard a draft and say so. Settling it the same way again changes
    nothing; the other way is refused (409)."""
    match_run = load_run(run_id)
    draft = runs.is_draft(match_run)
    count = settle(match_run, current_user)
    if draft:
        flash(said(count), category)
    return redirect(url_for("mentoring.show_run", run_id=match_run.id))


@bp.post("/proposals/<int:match_id>/withdraw")
@login_required
def withdraw(match_id: int):
    match = db.get_or_404(Match, match_id)
    policy.require(
        policy.coordinates(current_user, match.request.country_code),
        visible=policy.can_view_match(current_user, match),
    )
    run_id = match.run_id
    try:
        mentoring.withdraw_proposal(match, current_user)
    except mentoring.NotAllowedNow as refusal:
        flash(str(refusal.reason), "warning")
    else:
        flash(_("The proposal has been withdrawn."), "info")
    if run_id:
        return redirect(url_for("mentoring.show_run", run_id=run_id))
    return redirect(url_for("mentoring.run"))
