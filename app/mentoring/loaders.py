"""Loading what a request names, for the pages and the API (see :mod:`app.core.loading`)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app import policy
from app.core.extensions import db
from app.core.loading import visible_or_404
from app.mentoring import operations as mentoring
from app.mentoring.models import Match, MatchRun, MentoringRequest


def load_request(request_id: int) -> MentoringRequest:
    return visible_or_404(MentoringRequest, request_id, policy.can_view_request)


def load_match(match_id: int) -> Match:
    return visible_or_404(Match, match_id, _may_see_match)


def _may_see_match(user, match: Match) -> bool:
    """A proposal of a run not yet confirmed is seen by the run's coordinators only."""
    return policy.can_view_match(user, match) and (
        not mentoring.is_draft(match) or policy.coordinates(user, match.request.country_code)
    )


def load_run(run_id: int) -> MatchRun:
    match_run = db.session.get(MatchRun, run_id)
    if match_run is None:
        abort(404)
    policy.require(policy.can_run_matching(current_user, match_run.country_code), visible=False)
    return match_run
