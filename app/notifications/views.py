"""Mail preferences on the account pages; unsubscribing from a mail without signing in."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import audit
from app.core.extensions import csrf
from app.notifications import operations
from app.notifications.enums import Frequency
from app.notifications.forms import kinds_for, preferences_form

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.app_template_filter("iso_day")
def iso_day(value: str) -> date:
    """The day a reminder's payload stores as ``2026-10-01``, for ``format_date``."""
    return date.fromisoformat(value)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    kinds = kinds_for(current_user)
    form = preferences_form(kinds, operations.preferences(current_user.id))
    if form.validate_on_submit():
        chosen = {kind: Frequency(form[kind.value].data) for kind in kinds}
        operations.set_preferences(current_user.id, chosen)
        flash(_("Your e-mail preferences have been saved."), "success")
        return redirect(url_for("notifications.preferences"))
    status = 422 if form.errors else 200
    return render_template("notifications/preferences.html", form=form, kinds=kinds), status


def _read(token: str):
    found = operations.read_token(token)
    if found is None:
        abort(404)
    return found


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """A link followed (or fetched by a mail scanner) changes nothing: one button does."""
    user, kinds = _read(token)
    chosen = operations.preferences(user.id)
    done = all(chosen[kind] == Frequency.NEVER for kind in kinds)
    return render_template("notifications/unsubscribe.html", kinds=kinds, done=done)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", no form token
def unsubscribe_now(token: str):
    user, kinds = _read(token)
    operations.set_preferences(user.id, dict.fromkeys(kinds, Frequency.NEVER))
    audit.record("notifications.unsubscribe", actor=user, kinds=[kind.value for kind in kinds])
    return render_template("notifications/unsubscribe.html", kinds=kinds, done=True)
