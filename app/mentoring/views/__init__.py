"""The mentoring pages."""

from flask import Blueprint

from app.mentoring import explain

bp = Blueprint("mentoring", __name__, template_folder="../templates", url_prefix="/mentoring")

bp.add_app_template_global(explain.facts, "match_facts")
bp.add_app_template_global(explain.fit_text, "fit_text")
bp.add_app_template_global(explain.unmatched_reason, "unmatched_reason")
bp.add_app_template_global(explain.level_label, "level_label")


from app.mentoring.views import matches, routes, runs  # noqa: E402, F401
