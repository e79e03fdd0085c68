"""Loading what a request names: the object, or 404 (403) as the policy decides. Shared by
the pages and the API."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app import policy
from app.core.extensions import db
from app.schools.models import School


def load_school(school_id: int) -> School:
    """The school, or 404 when it does not exist or the user may not see it."""
    school = db.session.get(School, school_id)
    if school is None or not policy.can_view_school(current_user, school):
        abort(404)
    return school
