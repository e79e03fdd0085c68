"""Loading what a request names: the object, or 404 (403) as the policy decides. Shared by
the pages and the API."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app import policy
from app.core.extensions import db
from app.mentoring import operations as mentoring
from app.mentoring.models import Match, MatchRun, MentoringRequest


def load_request(request_id: int) -> MentoringRequest:
    row = db.session.get(MentoringRequest, request_id)
    if row is None or not policy.can_view_request(current_user, row):
        abort(404)
    return row


def load_match(match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or not policy.can_view_match(current_user, match):
        abort(404)
    if mentoring.is_draft(match) and not policy.coordinates(
        current_user, match.request.country_code
    ):
        abort(404)
    return match


def load_run(run_id: int) -> MatchRun:
    match_run = db.session.get(MatchRun, run_id)
    if match_run is None:
        abort(404)
    policy.require(policy.can_run_matching(current_user, match_run.country_code), visible=False)
    return match_run
