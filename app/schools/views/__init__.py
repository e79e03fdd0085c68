"""The schools pages."""

from flask import Blueprint

from app.schools.enums import EducationLevel

bp = Blueprint("schools", __name__, template_folder="../templates")

bp.add_app_template_global(EducationLevel.choices, "level_choices")

from app.schools.views import ambassador, directory, importing, members, routes  # noqa: E402, F401
