"""Pages of accounts: signing in and out, registering, resetting (``auth``), and the
signed-in user's own account (``account``)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

auth_bp = Blueprint("auth", __name__, template_folder="../templates")
account_bp = Blueprint("account", __name__, url_prefix="/account")

#: The pages of one's own account: the account menu of the header and the account pages'
#: own menu list them.
ACCOUNT_PAGES = (
    ("account.profile", _l("Profile and language")),
    ("account.password", _l("Password")),
    ("account.two_factor", _l("Two-step sign-in")),
    ("notifications.preferences", _l("E-mail notifications")),
    ("account.privacy_page", _l("Your data")),
    ("account.tokens", _l("API tokens")),
)


@account_bp.app_context_processor
def account_pages() -> dict:
    return {"account_pages": ACCOUNT_PAGES}


from app.accounts.views import account, auth, tokens  # noqa: E402, F401
