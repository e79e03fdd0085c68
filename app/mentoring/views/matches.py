"""A match from the mentor's answer to its end."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.activities.models import Activity
from app.certificates.documents import downloadable
from app.core.extensions import db
from app.core.i18n import current_locale
from app.home.queries import short_labels
from app.mentoring import operations as mentoring
from app.mentoring import runs
from app.mentoring.enums import MatchStatus
from app.mentoring.forms import DeclineForm, FeedbackForm, FinishForm
from app.mentoring.loaders import load_match
from app.mentoring.models import Match
from app.mentoring.views import bp
from app.schools.operations import school_admins


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
        expires_on=runs.expires_on(match),
        labels=short_labels(current_locale()),
        shared=match.status in SHARED,
        school_contacts=_school_contacts(match) if match.status in SHARED else [],
        certificates=downloadable(current_user, match),
    )


#: Once the mentor has said yes, each side sees how to reach the other.
SHARED = (MatchStatus.ACCEPTED, MatchStatus.ACTIVE, MatchStatus.COMPLETED, MatchStatus.ENDED)


def _school_contacts(match: Match) -> list[tuple[str, str]]:
    """(name, e-mail) of the people the mentor can write to: the school's contact, its
    administrators and whoever asked for the mentor, each once."""
    school = match.request.school
    people = [(school.contact_name or school.name, school.contact_email)]
    people += [(user.name, user.email) for user in school_admins(school)]
    requester = match.request.requested_by
    if requester is not None:
        people.append((requester.name, requester.email))
    seen, contacts = set(), []
    for name, email in people:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            contacts.append((name, email))
    return contacts


@bp.post("/matches/<int:match_id>/accept")
@login_required
def accept(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_answer_proposal(current_user, match))
    mentoring.accept(match, current_user)
    flash(
        _("You have accepted and the mentoring has started. The school has been told."), "success"
    )
    return _back(match)


@bp.post("/matches/<int:match_id>/decline")
@login_required
def decline(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_answer_proposal(current_user, match))
    form = DeclineForm()
    if not form.validate_on_submit():
        return _match_page(match, decline_form=form), 422
    mentoring.decline(match, form.reason.data, current_user)
    flash(_("You have declined the proposal."), "info")
    return _back(match)


@bp.post("/matches/<int:match_id>/finish")
@login_required
def finish(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_follow_up_match(current_user, match))
    mentoring.require_running(match)
    form = FinishForm()
    if not form.validate_on_submit():
        return _match_page(match, finish_form=form), 422
    mentoring.finish(match, form.completed(), form.feedback.data or "", current_user)
    flash(_("The mentoring has been closed. Thank you for the feedback."), "success")
    return _back(match)


@bp.post("/matches/<int:match_id>/feedback")
@login_required
def feedback(match_id: int):
    match = load_match(match_id)
    policy.require(policy.can_follow_up_match(current_user, match))
    mentoring.require_finished(match)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _match_page(match, feedback_form=form), 422
    mentoring.add_feedback(match, form.feedback.data, current_user)
    flash(_("Thank you for the feedback."), "success")
    return _back(match)
