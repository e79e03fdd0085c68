"""A match from the mentor's answer to its end."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import policy
from app.activities.models import Activity
from app.core.database import begin_write
from app.core.extensions import db
from app.mentoring import operations as mentoring
from app.mentoring.enums import MatchStatus
from app.mentoring.forms import DeclineForm, FeedbackForm, FinishForm
from app.mentoring.models import Match
from app.mentoring.views import bp


def load_match(match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or not policy.can_view_match(current_user, match):
        abort(404)
    if mentoring.is_draft(match) and not policy.coordinates(
        current_user, match.request.country_code
    ):
        abort(404)
    return match


def _back(match: Match):
    return redirect(url_for("mentoring.show_match", match_id=match.id))


@bp.get("/matches/<int:match_id>")
@login_required
def show_match(match_id: int):
    return _match_page(load_match(match_id))


def _match_page(match: Match, **forms):
    sessions = db.session.scalars(
        select(Activity).where(Activity.match_id == match.id).order_by(Activity.starts_at)
    ).all()
    return render_template(
        "mentoring/match.html",
        match=match,
        sessions=sessions,
        decline_form=forms.get("decline_form") or DeclineForm(formdata=None),
        finish_form=forms.get("finish_form") or FinishForm(formdata=None),
        feedback_form=forms.get("feedback_form") or FeedbackForm(formdata=None),
        is_mentor=policy.is_mentor_of(current_user, match),
    )


def accept_proposal(match_id: int) -> Match:
    """The mentor's yes, for the page and the API: 409 when full or already answered."""
    begin_write(db.session)  # the capacity check and the write are one transaction
    match = load_match(match_id)
    policy.require(policy.can_answer_proposal(current_user, match))
    try:
        mentoring.accept(match, current_user)
    except mentoring.MentorFull:
        db.session.rollback()
        abort(409, description=_("This mentor is full: all their places are taken."))
    except (mentoring.NotAllowedNow, IntegrityError):
        db.session.rollback()
        abort(409, description=_("This proposal has already been answered."))
    db.session.commit()
    return db.session.get(Match, match_id)


@bp.post("/matches/<int:match_id>/accept")
@login_required
def accept(match_id: int):
    match = accept_proposal(match_id)
    flash(_("You have accepted. The school has been told."), "success")
    return _back(match)


@bp.post("/matches/<int:match_id>/decline")
@login_required
def decline(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_answer_proposal(current_user, match))
    form = DeclineForm()
    if not form.validate_on_submit():
        return _match_page(match, decline_form=form), 422
    try:
        mentoring.decline(match, form.reason.data, current_user)
    except mentoring.NotAllowedNow:
        abort(409, description=_("This proposal has already been answered."))
    db.session.commit()
    flash(_("You have declined the proposal."), "info")
    return _back(match)


@bp.post("/matches/<int:match_id>/start")
@login_required
def start(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_follow_up_match(current_user, match))
    try:
        mentoring.start(match, current_user)
    except mentoring.NotAllowedNow:
        abort(409, description=_("Only an accepted mentoring can start."))
    db.session.commit()
    flash(_("The mentoring has started."), "success")
    return _back(match)


@bp.post("/matches/<int:match_id>/finish")
@login_required
def finish(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_follow_up_match(current_user, match))
    form = FinishForm()
    if not form.validate_on_submit():
        return _match_page(match, finish_form=form), 422
    close_match(match, form)
    db.session.commit()
    flash(_("The mentoring has been closed. Thank you for the feedback."), "success")
    return _back(match)


def close_match(match: Match, form: FinishForm) -> None:
    """Complete or end a match from a validated form, for the page and the API."""
    try:
        mentoring.finish(
            match,
            form.outcome.data == "completed",
            form.feedback.data or "",
            policy.is_mentor_of(current_user, match),
            current_user,
        )
    except mentoring.NotAllowedNow:
        db.session.rollback()
        abort(409, description=_("This mentoring is not running."))


@bp.post("/matches/<int:match_id>/feedback")
@login_required
def feedback(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_follow_up_match(current_user, match))
    form = FeedbackForm()
    if match.status not in (MatchStatus.COMPLETED, MatchStatus.ENDED):
        abort(409, description=_("Feedback can be given once the mentoring has ended."))
    if not form.validate_on_submit():
        return _match_page(match, feedback_form=form), 422
    mentoring.add_feedback(
        match, form.feedback.data, policy.is_mentor_of(current_user, match), current_user
    )
    db.session.commit()
    flash(_("Thank you for the feedback."), "success")
    return _back(match)
