from flask import Blueprint

bp = Blueprint("schools", __name__)

from app.blueprints.schools import ambassador, directory, members, routes  # noqa: E402, F401
