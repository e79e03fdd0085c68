"""Mentoring: the overview, mentor profiles and requests from schools."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.enums import MembershipStatus
from app.core.collation import collated
from app.core.extensions import db
from app.core.i18n import region_name
from app.geography.models import Region
from app.mentoring import operations as mentoring
from app.mentoring import pool
from app.mentoring import records as mentoring_records
from app.mentoring.enums import OPEN_MATCH_STATES, RequestStatus
from app.mentoring.forms import MentoringRequestForm, MentorProfileForm
from app.mentoring.loaders import load_request
from app.mentoring.matching import fit
from app.mentoring.models import (
    Match,
    MatchRun,
    MentoringRequest,
    MentorProfile,
    UnmatchedRequest,
)
from app.mentoring.views import bp
from app.schools.models import School


def today():
    return datetime.now(UTC).date()


def _status(form) -> int:
    return 422 if form.errors else 200


def my_profile() -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == current_user.id))


def my_schools() -> list[School]:
    return [m.school for m in current_user.memberships if m.status is MembershipStatus.APPROVED]


@bp.get("/")
@login_required
def overview():
    profile = my_profile()
    school_ids = [school.id for school in my_schools()]
    requests = (
        db.session.scalars(
            select(MentoringRequest)
            .where(MentoringRequest.school_id.in_(school_ids))
            .order_by(MentoringRequest.created_at.desc())
            .limit(50)
        ).all()
        if school_ids
        else []
    )
    proposals = (
        db.session.scalars(
            select(Match)
            .where(Match.mentor_id == profile.id)
            .options(selectinload(Match.request).selectinload(MentoringRequest.school))
            .order_by(Match.created_at.desc())
            .limit(50)
        ).all()
        if profile
        else []
    )
    proposals = [m for m in proposals if not mentoring.is_draft(m)]
    eligible = [s for s in my_schools() if policy.can_offer_mentoring(current_user, s, today())]
    return render_template(
        "mentoring/overview.html",
        profile=profile,
        requests=requests,
        proposals=proposals,
        can_mentor=bool(eligible) or profile is not None,
        schools=my_schools(),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    existing = my_profile()
    eligible = [s for s in my_schools() if policy.can_offer_mentoring(current_user, s, today())]
    if existing is None and not eligible:
        abort(
            403,
            description=_("Mentors are teachers of an eTwinning School or an ambassador school."),
        )
    if existing is not None and existing.school not in eligible:
        eligible.append(existing.school)
    countries = {school.country_code for school in eligible}
    regions = db.session.scalars(
        select(Region).where(Region.country_code.in_(countries), Region.selectable())
    ).all()
    form = MentorProfileForm(
        obj=existing,
        schools=[(school.id, school.name) for school in eligible],
        regions=collated(((r.code, region_name(r.name)) for r in regions), lambda c: c[1]),
        load=existing.load if existing else 0,
    )
    if existing is not None and not form.is_submitted():
        form.school.data = existing.school_id
    if form.validate_on_submit():
        school = next(s for s in eligible if s.id == form.school.data)
        mentoring_records.save_profile(existing, current_user, school, form)
        flash(_("Your mentor profile has been saved."), "success")
        return redirect(url_for("mentoring.overview"))
    return render_template("mentoring/profile.html", form=form, profile=existing), _status(form)


def _requesting_school() -> School:
    school = db.session.get(School, request.args.get("school", type=int) or 0)
    if school is None or not policy.can_view_school(current_user, school):
        abort(404)
    policy.require(policy.can_request_mentor(current_user, school))
    return school


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    school = _requesting_school()
    already = mentoring_records.open_request(school)
    if already is not None:
        flash(str(mentoring_records.RequestAlreadyOpen.reason), "info")
        return redirect(url_for("mentoring.show_request", request_id=already.id))
    form = MentoringRequestForm()
    if not form.is_submitted():
        form.languages.data = [row.language for row in school.languages]
        form.levels.data = [row.level.value for row in school.levels]
    if form.validate_on_submit():
        row = mentoring_records.file_request(school, current_user, form)
        flash(
            _("Your request has been sent. Your national coordinator will propose a mentor."),
            "success",
        )
        return redirect(url_for("mentoring.show_request", request_id=row.id))
    return render_template("mentoring/request_form.html", form=form, school=school), _status(form)


@bp.get("/requests/<int:request_id>")
@login_required
def show_request(request_id: int):
    row = load_request(request_id)
    matches = db.session.scalars(
        select(Match).where(Match.request_id == row.id).order_by(Match.created_at.desc())
    ).all()
    coordinator = policy.coordinates(current_user, row.country_code)
    matches = [m for m in matches if not mentoring.is_draft(m) or coordinator]
    waiting = row.status is RequestStatus.OPEN and not any(
        m.status in OPEN_MATCH_STATES for m in matches
    )
    return render_template(
        "mentoring/request.html",
        row=row,
        matches=matches,
        ranked=_ranked(row) if waiting else [],
        left_out=_left_out(row, coordinator) if waiting else None,
    )


def _ranked(row: MentoringRequest) -> list[tuple[MentorProfile, dict]]:
    """The ten mentors with a free place who fit the request best, with the facts."""
    day = today()
    spec = pool.request_spec(row, day)
    excluded = {mentor for _request, mentor in pool.excluded_pairs([row.id])}
    weights = pool.weights()
    ranked = []
    for profile, held in pool.free_mentors(row.country_code, day):
        facts = (
            None
            if profile.id in excluded
            else fit.pair_fit(pool.mentor_spec(profile, held), spec, weights)
        )
        if facts is not None:
            ranked.append((profile, facts))
    ranked.sort(key=lambda item: (-item[1]["fit"], item[0].id))
    return ranked[:10]


def _left_out(row: MentoringRequest, coordinator: bool) -> UnmatchedRequest | None:
    """Why the latest run (a confirmed one, unless the reader coordinates) left the
    request without a proposal; None when it did not, or no run saw it yet."""
    query = (
        select(UnmatchedRequest, MatchRun)
        .join(MatchRun, MatchRun.id == UnmatchedRequest.run_id)
        .where(UnmatchedRequest.request_id == row.id, MatchRun.discarded_at.is_(None))
    )
    if not coordinator:
        query = query.where(MatchRun.confirmed_at.is_not(None))
    found = db.session.execute(query.order_by(MatchRun.created_at.desc()).limit(1)).first()
    return found[0] if found else None


@bp.post("/requests/<int:request_id>/ask/<int:mentor_id>")
@login_required
def ask(request_id: int, mentor_id: int):
    row = load_request(request_id)
    policy.require(policy.can_request_mentor(current_user, row.school))
    mentor = db.get_or_404(MentorProfile, mentor_id)
    try:
        mentoring.propose(row, mentor, current_user)
    except (mentoring.NotAllowedNow, mentoring.MentorFull) as refusal:
        flash(str(refusal.reason), "warning")
        return redirect(url_for("mentoring.show_request", request_id=row.id))
    flash(_("The mentor has been asked. You will hear when they answer."), "success")
    return redirect(url_for("mentoring.show_request", request_id=row.id))
