"""The schools pages."""

from flask import Blueprint

from app.core.school_years import school_year_label
from app.schools.enums import EducationLevel

bp = Blueprint("schools", __name__, template_folder="../templates")

bp.add_app_template_global(EducationLevel.choices, "level_choices")
bp.add_app_template_filter(school_year_label, "school_year")

from app.schools.views import (  # noqa: E402, F401
    ambassador,
    directory,
    importing,
    labels,
    members,
    routes,
)
