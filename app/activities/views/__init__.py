"""The activities pages."""

from flask import Blueprint

from app.activities.enums import ActivityType, Audience

bp = Blueprint("activities", __name__, template_folder="../templates")

bp.add_app_template_global(lambda code: Audience(code).label, "audience_label")
bp.add_app_template_global(lambda code: ActivityType(code).label, "type_label")

from app.activities.views import calendar, feeds, routes  # noqa: E402, F401
