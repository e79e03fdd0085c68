from flask import Blueprint

bp = Blueprint("activities", __name__)

from app.blueprints.activities import calendar, feeds, routes  # noqa: E402, F401
