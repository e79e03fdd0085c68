from flask import Blueprint

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")

from app.blueprints.dashboards import routes  # noqa: E402, F401
