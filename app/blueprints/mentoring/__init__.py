from flask import Blueprint

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")

from app.blueprints.mentoring import matches, routes, runs  # noqa: E402, F401
