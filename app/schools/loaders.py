"""Loading what a request names, for the pages and the API (see :mod:`app.core.loading`)."""

from __future__ import annotations

from app import policy
from app.core.loading import visible_or_404
from app.schools.models import School


def load_school(school_id: int) -> School:
    return visible_or_404(School, school_id, policy.can_view_school)
