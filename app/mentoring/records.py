"""Saving a mentor profile and filing a mentoring request: one path for pages and API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.operations import coordinators_of
from app.core import audit
from app.core.enums import Mode
from app.core.errors import Refused
from app.core.extensions import db
from app.core.notify import notify
from app.mentoring.enums import OPEN_MATCH_STATES, RequestStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.schools.models import School


def save_profile(profile: MentorProfile | None, user, school: School, form) -> MentorProfile:
    """Create or update ``user``'s profile from a validated ``MentorProfileForm``."""
    profile = profile or MentorProfile(user_id=user.id)
    profile.school_id = school.id
    profile.country_code = school.country_code
    profile.region_code = school.region_code
    profile.capacity = form.capacity.data
    profile.languages = sorted(form.languages.data)
    profile.levels = sorted(form.levels.data or [])
    profile.pillars = sorted(form.pillars.data or [])
    profile.regions = sorted(
        code for code in form.regions.data or [] if code.startswith(school.country_code + "-")
    )
    profile.modes = sorted(form.modes.data)
    profile.available_until = form.available_until.data
    profile.bio = (form.bio.data or "").strip()
    profile.paused = form.paused.data
    db.session.add(profile)
    db.session.flush()
    return profile


class RequestAlreadyOpen(Refused):
    reason = _l("Your school already has an open mentoring request: change that one instead.")


def open_request(school: School) -> MentoringRequest | None:
    return db.session.scalar(
        select(MentoringRequest).where(
            MentoringRequest.school_id == school.id,
            MentoringRequest.status == RequestStatus.OPEN,
        )
    )


def file_request(school: School, user, form) -> MentoringRequest:
    """A school's request for a mentor from a validated ``MentoringRequestForm``; refused
    while the school has an open one (the database holds to it under concurrency too)."""
    if open_request(school) is not None:
        raise RequestAlreadyOpen
    row = MentoringRequest(
        school_id=school.id,
        country_code=school.country_code,
        region_code=school.region_code,
        requested_by_id=user.id,
    )
    apply_request(row, form)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another request of the school was filed at the same moment
        raise RequestAlreadyOpen from None
    audit.record(
        "mentoring.request",
        actor=user,
        object_type="mentoring_request",
        object_id=row.id,
        country_code=school.country_code,
    )
    notify(
        coordinators_of(school.country_code),
        "mentoring.request",
        {"request": row.id, "school": school.id},
    )
    return row


def apply_request(row: MentoringRequest, form) -> None:
    """What the school asks for, from a validated ``MentoringRequestForm``."""
    row.pillars = sorted(form.pillars.data or [])
    row.languages = sorted(form.languages.data)
    row.levels = sorted(form.levels.data or [])
    row.mode = Mode(form.mode.data)
    row.message = (form.message.data or "").strip()


def change_request(row: MentoringRequest, form, withdraw: bool, actor) -> None:
    """Change what an open request asks for, and withdraw it if asked to, unless a mentor
    has been proposed or is at work on it."""
    if row.status is not RequestStatus.OPEN:
        raise Refused(_l("Only open requests can be changed."))
    apply_request(row, form)
    if withdraw:
        engaged = db.session.scalar(
            select(Match.id).where(
                Match.request_id == row.id,
                Match.status.in_(OPEN_MATCH_STATES),
            )
        )
        if engaged is not None:
            raise Refused(_l("A mentor has been proposed or is at work on this request."))
        row.status = RequestStatus.WITHDRAWN
    audit.record(
        "mentoring.request_withdraw" if withdraw else "mentoring.request_change",
        actor=actor,
        object_type="mentoring_request",
        object_id=row.id,
        country_code=row.country_code,
    )
