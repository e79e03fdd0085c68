"""Pages of accounts: signing in and out, registering, resetting (``auth``), and the
signed-in user's own account (``account``)."""

from flask import Blueprint

auth_bp = Blueprint("auth", __name__, template_folder="../templates")
account_bp = Blueprint("account", __name__, url_prefix="/account")

from app.accounts.views import account, auth, tokens  # noqa: E402, F401
