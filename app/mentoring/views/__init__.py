"""The mentoring pages."""

from flask import Blueprint
from flask_babel import format_decimal

from app.mentoring.matching.engine import POINTS
from app.mentoring.operations import CRITERION_LABELS

bp = Blueprint("mentoring", __name__, template_folder="../templates", url_prefix="/mentoring")


@bp.app_template_global()
def explanation(parts: dict[str, int]) -> list[tuple[str, str]]:
    """A score's criteria as (label, points) in the reader's language, largest first."""
    return [
        (str(CRITERION_LABELS.get(name, name)), format_decimal(value / POINTS, "0.0##"))
        for name, value in sorted(parts.items(), key=lambda item: -item[1])
    ]


from app.mentoring.views import matches, routes, runs  # noqa: E402, F401
