from flask import Blueprint

bp = Blueprint("schools", __name__)

from app.blueprints.schools import ambassador, directory, importing, members, routes  # noqa: E402, F401
