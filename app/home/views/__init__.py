"""Home, the privacy notice and the language switcher."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, abort, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import LOCALES, current_locale
from app.core.safety import safe_next
from app.home import queries as public
from app.mission.texts import mission

bp = Blueprint("main", __name__, template_folder="../templates")


@bp.get("/")
def home():
    now = datetime.now(UTC)
    pillars = public.pillar_texts(current_locale())
    return render_template(
        "home/home.html",
        mission=mission(current_locale()),
        pillars=pillars,
        labels={text.pillar_code: text.short_label for text in pillars},
        upcoming=public.upcoming_public_activities(now),
        ambassadors=public.ambassador_counts(now.date()),
    )


@bp.post("/language")
def set_language():
    """Remember the reader's language in the session, and in their profile when signed in."""
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        abort(400, description=_("That language is not available."))
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
    return redirect(without_lang(safe_next(request.form.get("next"))))


def without_lang(target: str) -> str:
    """Drop ``?lang=`` from where we go back to: it would outrank the choice just made."""
    parts = urlsplit(target)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    )
    return urlunsplit(("", "", parts.path, query, parts.fragment))


@bp.get("/privacy")
def privacy():
    return render_template("home/privacy.html")


from app.home.views import design, desk, notifications  # noqa: E402, F401
