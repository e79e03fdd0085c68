"""Loading what a request names, for the pages and the API (see :mod:`app.core.loading`)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app import policy
from app.activities.models import Activity
from app.core.extensions import db
from app.core.loading import visible_or_404
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match
from app.schools.models import School


def load_activity(activity_id: int) -> Activity:
    return visible_or_404(Activity, activity_id, policy.can_view_activity)


def load_session_match(school: School, match_id: int | None) -> Match | None:
    """The mentoring match a new session of ``school`` belongs to, or 404 when the user may
    not follow it up, the school is not one of its two, or it is not accepted or active."""
    if match_id is None:
        return None
    match = db.session.get(Match, match_id)
    if (
        match is None
        or not policy.can_follow_up_match(current_user, match)
        or match.status not in (MatchStatus.ACCEPTED, MatchStatus.ACTIVE)
        or match.mentor is None
        or school.id not in (match.mentor.school_id, match.request.school_id)
    ):
        abort(404)
    return match
