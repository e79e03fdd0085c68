"""Loading the certificate a request names: 404 when there is none to give."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app import policy
from app.certificates import documents
from app.certificates.codes import Side
from app.mentoring.loaders import load_match
from app.mentoring.models import Match
from app.registrations.loaders import load_by_token
from app.registrations.models import Registration


def load_attendance(token: str) -> Registration:
    """The registration of a signed link, if its registrant has a certificate."""
    registration = load_by_token(token)
    if not documents.attended(registration):
        abort(404)
    return registration


def load_mentoring(match_id: int, school_id: int | None) -> tuple[Match, Side]:
    """A completed match the user may see, and the side of ``school_id``: 404 for a match
    they may not see, one not completed or a school not of it; 403 for the certificate of
    the other school."""
    match = load_match(match_id)
    side = documents.side_of(match, school_id)
    if side is None:
        abort(404)
    policy.require(documents.may_download(current_user, match, side))
    return match, side
