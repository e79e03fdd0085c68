"""The registration pages: the registrant's (no account needed) and the organisers'."""

from flask import Blueprint

bp = Blueprint("registrations", __name__, template_folder="../templates")

from app.registrations.views import feedback, organiser, public  # noqa: E402, F401
